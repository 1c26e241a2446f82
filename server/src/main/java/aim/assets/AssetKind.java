package aim.assets;

import aim.core.DomainException;
import aim.accounts.Role;

import java.util.Locale;

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

    /** Parses a request value, naming {@code field} in the 400 problem when it is unknown. */
    public static AssetKind parse(String value, String field) {
        for (AssetKind k : values()) if (k.id().equals(value == null ? "" : value.trim().toLowerCase(Locale.ROOT))) return k;
        throw DomainException.invalid(field, "unknown " + field + " '" + value + "': expected place, service or people");
    }

    /** Whether a user with this role may read people assets. */
    public static boolean peopleVisibleTo(Role role) {
        return role.seesPersonalData();
    }
}
