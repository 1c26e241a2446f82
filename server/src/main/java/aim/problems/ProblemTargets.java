package aim.problems;

import aim.accounts.User;
import aim.core.Council;
import aim.db.SqlFragment;
import aim.incidents.IncidentFilter;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Target progress of problems ({@link TargetProgress}), counted from the incidents the caller may see.
 *
 * <p>The periods are whole calendar months in the council's zone ({@link Council#UK}). An incident
 * belongs to the month of its local date; a month-precise police.uk row to its month, which always lies
 * wholly in one target or baseline month, so this is exactly the {@link aim.incidents.OccurredWindow}
 * rule for month windows. Only incidents with a point inside the problem's place (EPSG:27700) count:
 * the point as {@link aim.incidents.Redaction} lets the caller see it, so a viewer or partner counts a
 * sensitive incident where its generalised square's centre lies.
 */
public final class ProblemTargets {
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy-MM");

    private ProblemTargets() {
    }

    /** The problem's progress against its target for {@code caller} on {@code today}; empty without a target or problem. */
    public static Optional<TargetProgress> progress(Connection c, long problemId, User caller, LocalDate today) {
        try {
            Subject subject = subject(c, problemId);
            if (subject == null || subject.target() == null) return Optional.empty();
            ProblemTarget t = subject.target();
            Map<String, Long> counts = monthlyCounts(c, problemId, subject.categories(), caller, t);
            return Optional.of(compute(t, counts, subject, today));
        } catch (SQLException e) {
            throw new IllegalStateException("computing target progress failed", e);
        }
    }

    /** What the progress of one problem is about: its target, categories (with their labels) and place. */
    private record Subject(ProblemTarget target, List<String> categories, List<String> labels, String placeLabel) {
    }

    private static Subject subject(Connection c, long problemId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT p.target_percent, p.target_months, p.target_baseline, p.target_start, p.categories, p.place_label,
                       ARRAY(SELECT coalesce(ic.label, cat) FROM unnest(p.categories) WITH ORDINALITY AS u(cat, n)
                             LEFT JOIN incident_category ic ON ic.code = u.cat ORDER BY u.n)
                FROM problem p WHERE p.id = ?""")) {
            ps.setLong(1, problemId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return null;
                ProblemTarget target = rs.getBigDecimal(1) == null ? null : new ProblemTarget(rs.getBigDecimal(1).doubleValue(),
                        rs.getInt(2), rs.getString(3), rs.getObject(4, LocalDate.class));
                return new Subject(target, strings(rs.getArray(5)), strings(rs.getArray(7)), rs.getString(6));
            }
        }
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }

    /** Incidents per local month ({@code YYYY-MM}) from the baseline's start to the target's end. */
    private static Map<String, Long> monthlyCounts(Connection c, long problemId, List<String> categories, User caller,
                                                   ProblemTarget t) throws SQLException {
        LocalDate first = t.baselineStart().isBefore(t.start()) ? t.baselineStart() : t.start();
        IncidentFilter filter = new IncidentFilter(first, t.end().minusDays(1), categories, List.of(), null, caller);
        SqlFragment place = SqlFragment.of("(SELECT geom FROM problem WHERE id = ?)", problemId);
        SqlFragment rows = filter.incidents(place);
        SqlFragment where = SqlFragment.and(List.of(SqlFragment.of("i.geom IS NOT NULL"), filter.span(), filter.kinds(),
                new SqlFragment("ST_Intersects(i.geom, " + place.sql() + ")", place.params())));
        String sql = """
                SELECT to_char(i.occurred_at AT TIME ZONE ?, 'YYYY-MM') AS month, count(*)
                FROM %s WHERE %s GROUP BY 1""".formatted(rows.sql(), where.sql());
        List<Object> params = new ArrayList<>();
        params.add(Council.UK.getId());
        params.addAll(rows.params());
        params.addAll(where.params());
        Map<String, Long> counts = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) ps.setObject(i + 1, params.get(i));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) counts.put(rs.getString(1), rs.getLong(2));
            }
        }
        return counts;
    }

    private static TargetProgress compute(ProblemTarget t, Map<String, Long> counts, Subject subject, LocalDate today) {
        // a month is complete once today is in a later month
        long sinceStart = ChronoUnit.MONTHS.between(YearMonth.from(t.start()), YearMonth.from(today));
        int elapsed = (int) Math.max(0, Math.min(t.months(), sinceStart));
        long current = 0;
        long baseline = 0;
        List<TargetProgress.Month> monthly = new ArrayList<>();
        for (int k = 0; k < t.months(); k++) {
            String month = t.start().plusMonths(k).format(MONTH);
            long base = counts.getOrDefault(t.baselineStart().plusMonths(k).format(MONTH), 0L);
            Long now = k < elapsed ? counts.getOrDefault(month, 0L) : null;
            if (now != null) {
                current += now;
                baseline += base;
            }
            monthly.add(new TargetProgress.Month(month, now, base));
        }
        Double change = baseline == 0 ? null : Math.round((current - baseline) * 1000.0 / baseline) / 10.0;
        String status = status(t, elapsed, current, baseline, change);
        return new TargetProgress(t.start(), t.end(), t.baselineStart(), t.baselineStart().plusMonths(t.months()), elapsed,
                current, baseline, change, t.percent(), status, List.copyOf(monthly),
                describe(t, subject, elapsed, current, baseline, change, status));
    }

    /**
     * A reduction target (percent ≤ 0) is on course while the change is at or below it, an increase
     * target while it is at or above it. With no baseline incidents there is no percentage: a reduction
     * is on course while there are none now either, an increase once there are some.
     */
    private static String status(ProblemTarget t, int elapsed, long current, long baseline, Double change) {
        if (elapsed == 0) return "not-started";
        boolean reduce = t.percent() <= 0;
        boolean good = change == null
                ? (reduce ? current == 0 : current > 0)
                : (reduce ? change <= t.percent() : change >= t.percent());
        if (elapsed < t.months()) return good ? "on-track" : "off-track";
        return good ? "met" : "missed";
    }

    private static String describe(ProblemTarget t, Subject s, int elapsed, long current, long baseline, Double change,
                                   String status) {
        StringBuilder d = new StringBuilder();
        d.append(t.percent() <= 0 ? "Reduce " : "Increase ").append(list(s.labels())).append(" in ").append(s.placeLabel())
                .append(" by ").append(number(Math.abs(t.percent()))).append(" % over ").append(t.months())
                .append(t.months() == 1 ? " month (" : " months (").append(period(t.start(), t.end().minusDays(1))).append(")")
                .append(ProblemTarget.PREVIOUS_PERIOD.equals(t.baseline())
                        ? " against the previous " + (t.months() == 1 ? "month" : t.months() + " months")
                        : " against the same months last year");
        if (elapsed == 0) return d.append(": not started").toString();
        d.append(": ").append(current).append(elapsed < t.months() ? " so far vs " : " vs ").append(baseline);
        if (change != null) d.append(" (").append(change < 0 ? "−" : "+").append(number(Math.abs(Math.round(change)))).append(" %)");
        else d.append(" (no incidents in the baseline)");
        return d.append(", ").append(status.replace('-', ' ')).toString();
    }

    private static String list(List<String> labels) {
        List<String> words = labels.stream().map(ProblemTargets::lowerFirst).toList();
        if (words.size() <= 1) return String.join("", words);
        return String.join(", ", words.subList(0, words.size() - 1)) + " and " + words.get(words.size() - 1);
    }

    /** "Anti-social behaviour" → "anti-social behaviour"; acronyms ("ASB") stay as they are. */
    private static String lowerFirst(String label) {
        if (label.length() > 1 && Character.isUpperCase(label.charAt(0)) && Character.isLowerCase(label.charAt(1))) {
            return Character.toLowerCase(label.charAt(0)) + label.substring(1);
        }
        return label;
    }

    private static String number(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }

    /** "Oct–Dec 2026", or "Nov 2026–Jan 2027" across a year's end, or "Oct 2026" for one month. */
    private static String period(LocalDate first, LocalDate last) {
        String a = first.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
        String b = last.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
        if (YearMonth.from(first).equals(YearMonth.from(last))) return a + " " + first.getYear();
        if (first.getYear() == last.getYear()) return a + "–" + b + " " + last.getYear();
        return a + " " + first.getYear() + "–" + b + " " + last.getYear();
    }
}
