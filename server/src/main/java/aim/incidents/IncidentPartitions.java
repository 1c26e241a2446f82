package aim.incidents;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * The monthly partitions of {@code incident} (migrations/V11__incident_partitions.sql): each month, in
 * Europe/London as the rollups count it, has a partition of its own. Every writer makes sure its months
 * have theirs before it writes ({@code incident_ensure_months}); a row written without one waits in the
 * default partition until its month's partition is created, then moves there.
 */
public final class IncidentPartitions {
    /** The zone whose month starts bound the partitions (the rollups' months). */
    public static final ZoneId MONTHS = ZoneId.of("Europe/London");

    private IncidentPartitions() {
    }

    /**
     * Creates the partitions missing for the months from {@code from} to {@code to} (any day of each);
     * returns how many were created. Creating one briefly locks the default partition until the
     * transaction ends, so call it with auto-commit on (its own short transaction) where the caller can;
     * months that exist cost a catalogue lookup each and take no lock.
     */
    public static int ensureMonths(Connection c, LocalDate from, LocalDate to) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT incident_ensure_months(?, ?)")) {
            ps.setObject(1, from);
            ps.setObject(2, to);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** {@link #ensureMonths} for the month (in Europe/London) of one instant. */
    public static int ensureMonth(Connection c, Instant at) throws SQLException {
        LocalDate day = at.atZone(MONTHS).toLocalDate();
        return ensureMonths(c, day, day);
    }
}
