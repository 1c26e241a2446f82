package aim.accounts;

import io.javalin.security.RouteRole;

import java.util.Locale;

/**
 * What a user may do. Admins manage users and data; analysts (the AIM group) see everything
 * including personal data; wardens record reports and see their own in full; planners and viewers
 * see no personal data and only generalised locations of sensitive incidents. Partners (members of a
 * partner organisation of the AIM group) see what viewers see, and the actions of their own organisation.
 */
public enum Role implements RouteRole {
    ADMIN, ANALYST, WARDEN, PLANNER, VIEWER, PARTNER;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this role may read personal data (reporter names, contacts, free text) of any incident. */
    public boolean seesPersonalData() {
        return this == ADMIN || this == ANALYST;
    }

    public static Role parse(String value) {
        for (Role r : values()) if (r.id().equalsIgnoreCase(value == null ? "" : value.trim())) return r;
        throw new IllegalArgumentException("unknown role '" + value + "': expected admin, analyst, warden, planner, viewer or partner");
    }

    /** Every role: for endpoints any signed-in user may call. */
    public static final Role[] ANY = values();
}
