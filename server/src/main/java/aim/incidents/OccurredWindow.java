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
        String local = "(" + alias + ".occurred_at AT TIME ZONE 'Europe/London')";
        List<SqlFragment> parts = new ArrayList<>();
        if (from != null) {
            parts.add(SqlFragment.of(local + " >= ?::date", Date.valueOf(from)));
        }
        if (to != null) {
            parts.add(SqlFragment.of("CASE WHEN " + alias + ".occurred_precision = 'month'"
                    + " THEN " + local + " + interval '1 month' <= ?::date + 1"
                    + " ELSE " + local + " < ?::date + 1 END", Date.valueOf(to), Date.valueOf(to)));
        }
        return SqlFragment.and(parts);
    }
}
