package aim.incidents;

import aim.core.Council;
import aim.db.SqlFragment;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Which incidents fall in a window of inclusive calendar dates, honouring each row's time precision
 * (in the council's time zone, Europe/London): a minute- or day-precise incident counts when its
 * date lies in the window; a month-precise one (police.uk) counts only when its whole month lies in
 * the window, so a window of 15 Oct to 30 Nov counts November's police rows but not October's.
 */
public final class OccurredWindow {
    private OccurredWindow() {
    }


    /** SQL over the incident alias {@code alias}; either date may be null (open-ended). */
    public static SqlFragment sql(String alias, LocalDate from, LocalDate to) {
        // Compare occurred_at with instants computed here (local midnights in Europe/London), never a
        // time-zone conversion per row, so the test is two plain comparisons and can use an index.
        // UK clocks change at 01:00/02:00, never across midnight, so "local date in [from, to]" is
        // exactly "midnight starting from <= occurred_at < midnight after to". A month-precise row
        // starts at local midnight on the 1st (m); its whole month lies inside [from, to] when
        // m >= from and m + 1 month <= to + 1 day, i.e. m <= (to + 1 day) - 1 month.
        List<SqlFragment> parts = new ArrayList<>();
        if (from != null) parts.add(SqlFragment.of(alias + ".occurred_at >= ?", midnight(from)));
        if (to != null) {
            LocalDate after = to.plusDays(1);
            parts.add(SqlFragment.of("CASE WHEN " + alias + ".occurred_precision = 'month' THEN " + alias + ".occurred_at <= ?"
                    + " ELSE " + alias + ".occurred_at < ? END", midnight(after.minusMonths(1)), midnight(after)));
        }
        return SqlFragment.and(parts);
    }

    /**
     * Plain bounds that every incident of the window [first, last] satisfies, whatever its precision:
     * from local midnight starting {@code first} to local midnight after {@code last}. They let an index
     * on {@code occurred_at} narrow the rows before {@link #sql} decides exactly (e.g. per period).
     */
    public static SqlFragment bounds(String alias, LocalDate first, LocalDate last) {
        return SqlFragment.of(alias + ".occurred_at >= ? AND " + alias + ".occurred_at < ?", midnight(first), midnight(last.plusDays(1)));
    }

    /**
     * Whether any month-precise row not stored at its month's local start (never from the police.uk import;
     * the partial index {@code incident_offset_month_idx} holds exactly these) lies within the bounds of
     * [first, last]. The planner cannot estimate that index's condition and takes it to hold nearly every row,
     * so the query that corrects for such rows would scan the window's rows; its callers ask this first, with
     * only index scans allowed (the first row in time order comes straight from the partial index).
     */
    public static boolean anyOffsetMonthRows(Connection c, LocalDate first, LocalDate last) throws SQLException {
        SqlFragment within = bounds("i", first, last);
        try (Statement st = c.createStatement()) {
            st.execute("SET enable_seqscan = off");
            st.execute("SET enable_bitmapscan = off");
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT i.occurred_at FROM incident i
                    WHERE i.occurred_precision = 'month'
                      AND i.occurred_at <> (date_trunc('month', i.occurred_at AT TIME ZONE 'Europe/London') AT TIME ZONE 'Europe/London')
                      AND %s
                    ORDER BY i.occurred_at LIMIT 1""".formatted(within.sql()))) {
                for (int k = 0; k < within.params().size(); k++) ps.setObject(k + 1, within.params().get(k));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            } finally {
                st.execute("RESET enable_seqscan");
                st.execute("RESET enable_bitmapscan");
            }
        }
    }

    private static OffsetDateTime midnight(LocalDate date) {
        return OffsetDateTime.ofInstant(date.atStartOfDay(Council.UK).toInstant(), ZoneOffset.UTC);
    }
}
