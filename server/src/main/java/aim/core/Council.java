package aim.core;

import java.time.Clock;
import java.time.ZoneId;

/**
 * The council AIM serves: its name, the time zone its days, months and financial quarters are counted
 * in, and the spatial reference its geometries are stored and measured in. The SRID is that of the
 * stored geometry columns (fixed by the migrations), so it is a constant here rather than a setting.
 *
 * <p>Every council AIM serves keeps UK time, so the zone is {@link #UK} today; it is one named value
 * that every rule counting days, months or quarters refers to (never a literal "Europe/London").
 *
 * @param name the council's or area's name, as shown to people (AIM_COUNCIL_NAME)
 * @param zone the local time zone: {@link #UK}
 */
public record Council(String name, ZoneId zone) {
    /** British National Grid (OSGB36, metres): the SRID of every stored geometry. */
    public static final int SRID = 27700;

    /** The default: a council in England, Scotland or Wales. */
    public static final ZoneId UK = ZoneId.of("Europe/London");

    /** A clock that tells the time in the council's zone (today's date is the council's today). */
    public Clock clock() {
        return Clock.system(zone);
    }
}
