package aim.core;

import java.util.List;

/**
 * What domain code throws when a request cannot be done: which {@link Kind} of failure, the
 * {@code field} at fault (a parameter, body field or column; may be null), a message in words, and for
 * imports the {@link Issue}s found. It knows nothing of HTTP: the web layer's {@code Problems} alone maps each
 * kind to a status. Domain code that merely looks something up returns {@code Optional} instead.
 */
public final class DomainException extends RuntimeException {
    /** The kinds of failure, each one status in the web layer's {@code Problems}. */
    public enum Kind {
        /** a value is malformed or out of range (400) */
        INVALID,
        /** the caller is not signed in, or their credentials are not valid (401) */
        UNAUTHENTICATED,
        /** the caller may not do this (403) */
        FORBIDDEN,
        /** no such thing (404) */
        NOT_FOUND,
        /** it clashes with what is stored (409) */
        CONFLICT,
        /** a condition of the request (If-Match) does not hold: the thing changed meanwhile (412) */
        PRECONDITION_FAILED,
        /** a body or file is too large (413) */
        TOO_LARGE,
        /** a body or file is not of a type accepted here (415) */
        UNSUPPORTED_TYPE,
        /** well-formed, but its content cannot be used; usually with issues (422) */
        REJECTED,
        /** too many attempts: try again later (429) */
        TOO_MANY_ATTEMPTS,
        /** the server cannot take it on now: try again later (503) */
        UNAVAILABLE
    }

    private final Kind kind;
    private final String field;
    private final List<?> issues;

    public DomainException(Kind kind, String field, String message, List<?> issues) {
        super(message);
        this.kind = kind;
        this.field = field;
        this.issues = issues == null ? List.of() : issues;
    }

    public static DomainException invalid(String field, String message) {
        return new DomainException(Kind.INVALID, field, message, null);
    }

    public static DomainException unauthenticated(String field, String message) {
        return new DomainException(Kind.UNAUTHENTICATED, field, message, null);
    }

    public static DomainException forbidden(String field, String message) {
        return new DomainException(Kind.FORBIDDEN, field, message, null);
    }

    public static DomainException notFound(String field, String message) {
        return new DomainException(Kind.NOT_FOUND, field, message, null);
    }

    public static DomainException conflict(String field, String message) {
        return new DomainException(Kind.CONFLICT, field, message, null);
    }

    public static DomainException preconditionFailed(String field, String message) {
        return new DomainException(Kind.PRECONDITION_FAILED, field, message, null);
    }

    public static DomainException tooLarge(String field, String message) {
        return new DomainException(Kind.TOO_LARGE, field, message, null);
    }

    public static DomainException unsupportedType(String field, String message) {
        return new DomainException(Kind.UNSUPPORTED_TYPE, field, message, null);
    }

    public static DomainException rejected(String field, String message, List<?> issues) {
        return new DomainException(Kind.REJECTED, field, message, issues);
    }

    public static DomainException tooManyAttempts(String field, String message) {
        return new DomainException(Kind.TOO_MANY_ATTEMPTS, field, message, null);
    }

    public static DomainException unavailable(String field, String message) {
        return new DomainException(Kind.UNAVAILABLE, field, message, null);
    }

    /** The same failure with another field name (e.g. prefixed with the record it came from). */
    public DomainException withField(String newField) {
        return new DomainException(kind, newField, getMessage(), issues);
    }

    public Kind kind() {
        return kind;
    }

    public String field() {
        return field;
    }

    public List<?> issues() {
        return issues;
    }
}
