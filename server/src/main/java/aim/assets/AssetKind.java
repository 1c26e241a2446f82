package aim.assets;

import aim.core.DomainException;
import aim.accounts.Role;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What an asset is: a {@code place} (a building or open space), a {@code service} (what is offered, by
 * whom, for whom, when and where) or {@code people} (champions, groups, volunteers). People assets are
 * personal data: only roles that see personal data (admin, analyst) may read them.
 */
public enum AssetKind {
    PLACE, SERVICE, PEOPLE;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind a value names (trimmed, any case), or empty when it names none. */
    public static Optional<AssetKind> find(String value) {
        for (AssetKind k : values()) if (k.id().equals(value == null ? "" : value.trim().toLowerCase(Locale.ROOT))) return Optional.of(k);
        return Optional.empty();
    }

    /** Parses a request value, naming {@code field} in the failure (invalid) when it is unknown. */
    public static AssetKind parse(String value, String field) {
        return find(value).orElseThrow(() -> DomainException.invalid(field, unknown(value, field)));
    }

    /** What is wrong with a value that names no kind. */
    static String unknown(String value, String field) {
        return "unknown " + field + " '" + value + "': expected place, service or people";
    }

    /**
     * The kinds a request asks for (ids already checked against {@link #id()}s); people asked for by a role
     * that may not read them is forbidden.
     */
    public static List<AssetKind> requested(List<String> ids, Role role) {
        List<AssetKind> kinds = ids.stream().map(k -> parse(k, "kind")).toList();
        if (kinds.contains(PEOPLE) && !peopleVisibleTo(role)) {
            throw DomainException.forbidden("kind", "people assets hold personal data: only admins and analysts may read them");
        }
        return kinds;
    }

    /** Whether a user with this role may read people assets. */
    public static boolean peopleVisibleTo(Role role) {
        return role.seesPersonalData();
    }
}
