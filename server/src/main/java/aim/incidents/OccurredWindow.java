package aim.incidents;

import aim.db.SqlFragment;

import java.sql.Date;
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
        // Compare occurred_at with instants computed once per query (local midnights in Europe/London),
        // never a per-row time-zone conversion, so the comparison is cheap and can use an index.
        // A month-precise row starts at local midnight on the 1st (m); its whole month lies inside
        // [from, to] when m >= from and m + 1 month <= to + 1 day, i.e. m <= (to + 1 day) - 1 month.
        List<SqlFragment> parts = new ArrayList<>();
        if (from != null) {
            parts.add(SqlFragment.of(alias + ".occurred_at >= (?::date)::timestamp AT TIME ZONE 'Europe/London'", Date.valueOf(from)));
        }
        if (to != null) {
            parts.add(SqlFragment.of("CASE WHEN " + alias + ".occurred_precision = 'month'"
                    + " THEN " + alias + ".occurred_at <= ((?::date + 1)::timestamp - interval '1 month') AT TIME ZONE 'Europe/London'"
                    + " ELSE " + alias + ".occurred_at < (?::date + 1)::timestamp AT TIME ZONE 'Europe/London' END",
                    Date.valueOf(to), Date.valueOf(to)));
        }
        return SqlFragment.and(parts);
    }
}
