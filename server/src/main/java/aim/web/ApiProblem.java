package aim.web;

import java.util.List;

/**
 * A client's mistake (or a conflict with stored data), reported as an RFC 9457 problem.
 * {@code field} names the query parameter, path parameter or body field at fault; {@code issues}
 * carries per-row or per-feature findings (for imports).
 */
public class ApiProblem extends RuntimeException {
    private final int status;
    private final String title;
    private final String field;
    private final List<?> issues;

    public ApiProblem(int status, String title, String field, String detail, List<?> issues) {
        super(detail);
        this.status = status;
        this.title = title;
        this.field = field;
        this.issues = issues == null ? List.of() : issues;
    }

    public static ApiProblem badRequest(String field, String detail) {
        return new ApiProblem(400, "Bad Request", field, detail, null);
    }

    public static ApiProblem notFound(String field, String detail) {
        return new ApiProblem(404, "Not Found", field, detail, null);
    }

    public static ApiProblem conflict(String field, String detail) {
        return new ApiProblem(409, "Conflict", field, detail, null);
    }

    public static ApiProblem unprocessable(String field, String detail, List<?> issues) {
        return new ApiProblem(422, "Unprocessable Content", field, detail, issues);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String field() {
        return field;
    }

    public List<?> issues() {
        return issues;
    }
}
