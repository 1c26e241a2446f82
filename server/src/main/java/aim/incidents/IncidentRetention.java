package aim.incidents;

import aim.core.DomainException;

import javax.sql.DataSource;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./aim retention --before YYYY-MM [--force]}: drops every month of incidents before the month
 * given, whole partitions at a time, with the months' rollup rows and key rows (and by cascade their events,
 * photos and idempotency keys), in one transaction ({@code incident_drop_months_before} in
 * migrations/V11__incident_partitions.sql, V21__point_areas.sql; the placed points stay, see V21). Months are in Europe/London, as the partitions and rollups.
 *
 * <p>Problems count incidents over their target period and its baseline (aim.problems.ProblemTarget); a
 * problem whose baseline starts before the cut would lose incidents it counts, so the command refuses
 * while one exists, unless {@code force}. Actions and meetings hold no reference to incidents.
 */
public final class IncidentRetention {
    /** A month dropped and how many incidents it held ({@code month} null: rows from the default partition). */
    public record Dropped(LocalDate month, long incidents) {
    }

    private static final String REFERENCING = """
            SELECT id, title,
                   CASE WHEN target_baseline = 'previous-period' THEN target_start - make_interval(months => target_months)
                        ELSE target_start - interval '1 year' END::date AS baseline_start
            FROM problem
            WHERE target_start IS NOT NULL
              AND CASE WHEN target_baseline = 'previous-period' THEN target_start - make_interval(months => target_months)
                       ELSE target_start - interval '1 year' END < ?
            ORDER BY id""";

    private final DataSource dataSource;

    public IncidentRetention(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Drops the months before {@code before}; throws a conflict naming the problems that count incidents
     * of those months unless {@code force}.
     */
    public List<Dropped> dropBefore(YearMonth before, boolean force) throws SQLException {
        LocalDate cut = before.atDay(1);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<Dropped> dropped = new ArrayList<>();
                // the lock first, so no problem target changes between the check and the drop
                try (var st = c.createStatement()) {
                    st.execute("LOCK TABLE problem IN SHARE MODE");
                }
                if (!force) {
                    List<String> problems = new ArrayList<>();
                    try (PreparedStatement ps = c.prepareStatement(REFERENCING)) {
                        ps.setObject(1, cut);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                problems.add("problem " + rs.getLong(1) + " \"" + rs.getString(2) + "\" counts incidents from "
                                        + rs.getObject(3, LocalDate.class));
                            }
                        }
                    }
                    if (!problems.isEmpty()) {
                        throw DomainException.conflict("before", "retention before " + before + " would drop incidents that "
                                + problems.size() + " problem(s) count: " + String.join("; ", problems)
                                + " (--force drops them anyway)");
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT month, incidents FROM incident_drop_months_before(?)")) {
                    ps.setObject(1, cut);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) dropped.add(new Dropped(rs.getObject(1, LocalDate.class), rs.getLong(2)));
                    }
                }
                c.commit();
                return dropped;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** The command: parses {@code --before YYYY-MM}, drops, prints one line per month dropped. */
    public static int run(DataSource dataSource, String before, boolean force, PrintStream out) throws SQLException {
        if (before == null || !before.matches("[0-9]{4}-[0-9]{2}")) {
            throw new IllegalArgumentException("usage: aim retention --before YYYY-MM [--force]");
        }
        YearMonth month;
        try {
            month = YearMonth.parse(before);
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException("--before: not a month: " + before);
        }
        List<Dropped> dropped = new IncidentRetention(dataSource).dropBefore(month, force);
        long total = 0;
        for (Dropped d : dropped) {
            out.printf("dropped %s: %,d incidents%n", d.month() == null ? "rows from the default partition" : YearMonth.from(d.month()), d.incidents());
            total += d.incidents();
        }
        out.printf("retention before %s: %d month(s), %,d incidents dropped%n", month, dropped.stream().filter(d -> d.month() != null).count(), total);
        return 0;
    }
}
