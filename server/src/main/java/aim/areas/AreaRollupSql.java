package aim.areas;

import aim.db.SqlFragment;
import aim.incidents.IncidentFilter;
import aim.incidents.OccurredWindow;
import aim.incidents.Redaction;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

/**
 * Counts of located incidents per ward of one ward set (EPSG:27700) from the rollups of
 * {@code migrations/V9__rollups.sql} ({@code area_month_count}) and the stored areas of each distinct point
 * ({@code point_area}, {@code migrations/V21__point_areas.sql}) instead of a point-in-polygon join per
 * request. The answers equal {@link AreaIncidentSql}'s raw ones:
 *
 * <ul>
 *   <li>The months wholly inside the window come from {@code area_month_count} (per ward alone, for a caller who
 *       {@link IncidentFilter#countsEveryIncidentExact}, from its sum over every category and source, {@code area_month_total}, V26); the partial months at the
 *       window's edges from raw rows joined by their point to {@code point_area} (the same stored
 *       assignment, so the same tie rule), with the exact {@link OccurredWindow} rule.</li>
 *   <li>A caller {@link Redaction} applies to reads sensitive categories at their generalised place and
 *       everything else at its exact one; their own sensitive incidents (which Redaction shows them exactly)
 *       are moved back from the generalised to the exact place from raw rows (few, by
 *       {@code incident_recorded_by_idx}).</li>
 *   <li>A month-precise row not at its month's local start (never from the police.uk import) may fail the
 *       window rule inside a whole month at the window's end: such rows are subtracted from raw rows
 *       ({@code incident_offset_month_idx}).</li>
 * </ul>
 *
 * <p>Every query yields rows {@code (period, ward_id, month 'YYYY-MM', category, n)}; area-only incidents
 * are not here (the callers count them as {@link AreaIncidentSql} does).
 */
final class AreaRollupSql {
    private static final String MONTH_START =
            "(date_trunc('month', i.occurred_at AT TIME ZONE 'Europe/London') AT TIME ZONE 'Europe/London')";

    private AreaRollupSql() {
    }

    /** Whether the set's incidents are assigned (its row in {@code rollup_set}). */
    static SqlFragment assigned(long setId) {
        return SqlFragment.of("SELECT EXISTS (SELECT 1 FROM rollup_set WHERE set_id = ?)", setId);
    }

    /**
     * The pieces of one period [from, to] (both inclusive, given), tagged {@code period}, of the incidents of
     * {@code filter} (its categories, sources and viewer; its window is not used), in {@code wardIds}
     * (null: every ward of the set), as {@code UNION ALL} branches.
     */
    static SqlFragment period(int period, long wardSetId, Long[] wardIds, IncidentFilter filter, LocalDate from, LocalDate to,
                              boolean offsetMonthRows) {
        return period(period, wardSetId, wardIds, filter, from, to, offsetMonthRows, true);
    }

    /**
     * {@link #period(int, long, Long[], IncidentFilter, LocalDate, LocalDate, boolean)}, where the whole months' rows
     * come per ward alone ({@code month} and {@code category} null) unless {@code byMonthAndCategory}: a caller that
     * sums per ward (the statistics of every ward of England) skips grouping the rollup by month and category.
     */
    static SqlFragment period(int period, long wardSetId, Long[] wardIds, IncidentFilter filter, LocalDate from, LocalDate to,
                              boolean offsetMonthRows, boolean byMonthAndCategory) {
        YearMonth first = from.getDayOfMonth() == 1 ? YearMonth.from(from) : YearMonth.from(from).plusMonths(1);
        YearMonth last = to.equals(YearMonth.from(to).atEndOfMonth()) ? YearMonth.from(to) : YearMonth.from(to).minusMonths(1);
        List<SqlFragment> pieces = new ArrayList<>();
        SqlFragment window = OccurredWindow.sql("i", from, to);
        if (first.isAfter(last)) {
            // no whole month: every row from raw rows
            pieces.add(raw(period, wardSetId, wardIds, filter, "1",
                    SqlFragment.and(List.of(OccurredWindow.bounds("i", from, to), window))));
            return union(pieces);
        }
        LocalDate wholeFrom = first.atDay(1), wholeTo = last.atEndOfMonth();
        pieces.add(rollup(period, wardSetId, wardIds, filter, wholeFrom, wholeTo, byMonthAndCategory));
        if (from.isBefore(wholeFrom)) {
            pieces.add(raw(period, wardSetId, wardIds, filter, "1",
                    SqlFragment.and(List.of(OccurredWindow.bounds("i", from, wholeFrom.minusDays(1)), window))));
        }
        if (to.isAfter(wholeTo)) {
            pieces.add(raw(period, wardSetId, wardIds, filter, "1",
                    SqlFragment.and(List.of(OccurredWindow.bounds("i", wholeTo.plusDays(1), to), window))));
        }
        // month-precise rows off their month's start that the window rule leaves out of a whole month (asked only
        // when there are any: OccurredWindow.anyOffsetMonthRows)
        if (offsetMonthRows) pieces.add(raw(period, wardSetId, wardIds, filter, "-1", SqlFragment.and(List.of(
                OccurredWindow.bounds("i", wholeFrom, wholeTo),
                SqlFragment.of("i.occurred_precision = 'month' AND i.occurred_at <> " + MONTH_START),
                new SqlFragment("NOT (" + window.sql() + ")", window.params())))));
        if (Redaction.applies(filter.viewer())) pieces.add(own(period, wardSetId, wardIds, filter, wholeFrom, wholeTo));
        return union(pieces);
    }

    private static SqlFragment union(List<SqlFragment> pieces) {
        StringBuilder sql = new StringBuilder();
        List<Object> params = new ArrayList<>();
        for (SqlFragment p : pieces) {
            if (sql.length() > 0) sql.append("\nUNION ALL\n");
            sql.append(p.sql());
            params.addAll(p.params());
        }
        return new SqlFragment(sql.toString(), params);
    }

    /** Whole months [wholeFrom, wholeTo] from area_month_count, at the place the viewer sees each category. */
    private static SqlFragment rollup(int period, long wardSetId, Long[] wardIds, IncidentFilter filter,
                                      LocalDate wholeFrom, LocalDate wholeTo, boolean byMonthAndCategory) {
        List<SqlFragment> where = new ArrayList<>();
        where.add(wards("a.boundary_id", wardSetId, wardIds));
        where.add(SqlFragment.of("a.month >= ? AND a.month <= ?", wholeFrom, wholeTo));
        where.add(SqlFragment.of(Redaction.applies(filter.viewer())
                ? "(a.located_as = 'generalised') = c.sensitive" : "a.located_as = 'exact'"));
        where.add(IncidentFilter.anyOf("a.category", filter.categories()));
        where.add(IncidentFilter.anyOf("a.source", filter.sources()));
        SqlFragment w = SqlFragment.and(where);
        if (!byMonthAndCategory && filter.countsEveryIncidentExact()) {
            SqlFragment t = SqlFragment.and(List.of(wards("t.boundary_id", wardSetId, wardIds),
                    SqlFragment.of("t.month >= ? AND t.month <= ?", wholeFrom, wholeTo)));
            return new SqlFragment("""
                    SELECT %d AS period, t.boundary_id AS ward_id, NULL::text AS month, NULL::text AS category, sum(t.n) AS n
                    FROM area_month_total t WHERE %s GROUP BY 2""".formatted(period, t.sql()), t.params());
        }
        if (!byMonthAndCategory) return new SqlFragment("""
                SELECT %d AS period, a.boundary_id AS ward_id, NULL::text AS month, NULL::text AS category, sum(a.n) AS n
                FROM area_month_count a JOIN incident_category c ON c.code = a.category
                WHERE %s GROUP BY 2""".formatted(period, w.sql()), w.params());
        return new SqlFragment("""
                SELECT %d AS period, a.boundary_id AS ward_id, to_char(a.month, 'YYYY-MM') AS month, a.category, sum(a.n) AS n
                FROM area_month_count a JOIN incident_category c ON c.code = a.category
                WHERE %s GROUP BY 2, 3, 4""".formatted(period, w.sql()), w.params());
    }

    /**
     * Raw rows in {@code rows} (over alias i), each at the stored ward of the point the viewer sees (its exact or its
     * generalised point: {@code point_area}, keyed by the point's coordinates as stored), counted {@code sign}.
     */
    private static SqlFragment raw(int period, long wardSetId, Long[] wardIds, IncidentFilter filter, String sign, SqlFragment rows) {
        List<Object> params = new ArrayList<>();
        String visible = "'exact'";
        if (Redaction.applies(filter.viewer())) {
            visible = "CASE WHEN c.sensitive AND i.recorded_by IS DISTINCT FROM ?::bigint THEN 'generalised' ELSE 'exact' END";
            params.add(filter.viewer().id());
        }
        params.add(wardSetId);
        SqlFragment w = SqlFragment.and(List.of(rows, filter.kinds(), wardIds == null ? SqlFragment.EMPTY : wards("pa.boundary_id", wardSetId, wardIds)));
        params.addAll(w.params());
        return new SqlFragment("""
                SELECT %d, pa.boundary_id, to_char(i.occurred_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), i.category, %s * count(*)
                FROM incident i JOIN incident_category c ON c.code = i.category
                CROSS JOIN LATERAL (SELECT CASE WHEN %s = 'generalised' THEN rollup_generalised(i.geom) ELSE i.geom END AS g) v
                JOIN point_area pa ON pa.set_id = ? AND pa.x = ST_X(v.g) AND pa.y = ST_Y(v.g)
                WHERE %s GROUP BY 2, 3, 4""".formatted(period, sign, visible, w.sql()), params);
    }

    /** The viewer's own sensitive incidents in the whole months: from their generalised point's ward back to their exact point's. */
    private static SqlFragment own(int period, long wardSetId, Long[] wardIds, IncidentFilter filter, LocalDate wholeFrom, LocalDate wholeTo) {
        List<Object> params = new ArrayList<>();
        params.add(wardSetId);
        SqlFragment w = SqlFragment.and(List.of(SqlFragment.of("i.recorded_by = ?", filter.viewer().id()),
                OccurredWindow.bounds("i", wholeFrom, wholeTo), filter.kinds(),
                wardIds == null ? SqlFragment.EMPTY : wards("pa.boundary_id", wardSetId, wardIds)));
        params.addAll(w.params());
        return new SqlFragment("""
                SELECT %d, pa.boundary_id, to_char(i.occurred_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), i.category, sum(v.k)
                FROM incident i JOIN incident_category c ON c.code = i.category AND c.sensitive
                CROSS JOIN LATERAL (VALUES (i.geom, 1), (rollup_generalised(i.geom), -1)) v(g, k)
                JOIN point_area pa ON pa.set_id = ? AND pa.x = ST_X(v.g) AND pa.y = ST_Y(v.g)
                WHERE %s GROUP BY 2, 3, 4""".formatted(period, w.sql()), params);
    }

    private static SqlFragment wards(String column, long wardSetId, Long[] wardIds) {
        if (wardIds != null) return SqlFragment.of(column + " = ANY (?::bigint[])", (Object) wardIds);
        return SqlFragment.of(column + " IN (SELECT id FROM boundary WHERE set_id = ?)", wardSetId);
    }
}
