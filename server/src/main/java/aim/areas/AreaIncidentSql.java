package aim.areas;

import aim.db.SqlFragment;
import aim.incidents.IncidentFilter;
import aim.incidents.OccurredWindow;
import aim.incidents.Redaction;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * SQL that assigns incidents to the wards of one ward set (EPSG:27700), shared by the area
 * statistics and the time series so that a ward's series adds up to its count and a
 * neighbourhood's or the borough's to the sum of their wards.
 *
 * <ul>
 *   <li>An incident with a point belongs to the ward whose polygon contains the point the caller may
 *       see ({@link Redaction}: for some callers, sensitive categories at their 500 m square's centre). A point exactly on
 *       the edge between wards belongs to the one with the lowest code, so every incident is counted
 *       once (the tie-break is only evaluated for points on an edge: {@code ST_Contains} settles all
 *       others).</li>
 *   <li>An area-only incident (no point; {@code area_code} from the source) belongs to the ward
 *       containing the point-on-surface of its LSOA, if that LSOA is in a loaded LSOA boundary set
 *       (the newest set holding the code), or else to the ward whose code it is. Area-only rows whose
 *       code is in neither are <em>unlocated</em>; those whose LSOA lies outside every ward are
 *       <em>outside</em>. Neither is counted in any area.</li>
 * </ul>
 *
 * <p>Which rows are read, and where the viewer sees them, is the shared {@link IncidentFilter}'s
 * decision; its window here spans every period a query counts. Every query first narrows rows with
 * the filter's plain bounds on {@code occurred_at} ({@link IncidentFilter#span}, so its index can be
 * used and no time-zone conversion is paid for rows outside), then applies the exact
 * {@link OccurredWindow} rule (month-precise rows count only when their whole month is in the
 * window) per period.
 */
final class AreaIncidentSql {
    private AreaIncidentSql() {
    }

    /**
     * The common table expressions {@code area_only} (area-only incidents passing the filter, with
     * the incident columns {@code area_code, category, source, occurred_at, occurred_precision}) and
     * {@code area_ward} ({@code area_code → ward_id}, ward_id null when the LSOA lies outside every ward).
     * Starts with "WITH". {@code span}'s window covers every period counted.
     */
    static SqlFragment ctes(long wardSetId, IncidentFilter span) {
        SqlFragment rows = span.incidents();
        SqlFragment filter = span.areaOnly();
        String sql = """
                WITH area_only AS MATERIALIZED (
                    SELECT i.area_code, i.category, i.source, i.occurred_at, i.occurred_precision
                    FROM %s WHERE %s),
                area_ward AS MATERIALIZED (
                    SELECT DISTINCT ON (area_code) area_code, ward_id FROM (
                        SELECT l.code AS area_code, w.id AS ward_id, 0 AS preference, ls.valid_from, ls.id AS set_id
                        FROM boundary l
                        JOIN boundary_set ls ON ls.id = l.set_id AND ls.level = 'lsoa'
                        LEFT JOIN LATERAL (
                            SELECT b.id FROM boundary b
                            WHERE b.set_id = ? AND ST_Intersects(b.geom, ST_PointOnSurface(l.geom))
                            ORDER BY b.code LIMIT 1) w ON true
                        WHERE l.code IN (SELECT area_code FROM area_only)
                        UNION ALL
                        SELECT b.code, b.id, 1, NULL, NULL FROM boundary b
                        WHERE b.set_id = ? AND b.code IN (SELECT area_code FROM area_only)
                    ) candidates
                    ORDER BY area_code, preference, valid_from DESC, set_id DESC)
                """.formatted(rows.sql(), filter.sql());
        List<Object> params = new ArrayList<>(rows.params());
        params.addAll(filter.params());
        params.add(wardSetId);
        params.add(wardSetId);
        return new SqlFragment(sql, params);
    }

    /**
     * {@code SELECT <columns> FROM boundary b JOIN incident i …}: located incidents passing the
     * filter (within the {@link IncidentFilter#span} of its window, which covers every period counted),
     * as its viewer may see them, each joined to its one ward {@code b}. {@code wardIds} null means
     * every ward of the set; {@code cell} null means anywhere.
     */
    static SqlFragment located(SqlFragment columns, long wardSetId, Long[] wardIds, IncidentFilter span, AreaGridCell cell) {
        List<SqlFragment> where = new ArrayList<>();
        where.add(SqlFragment.of("b.set_id = ?", wardSetId));
        if (wardIds != null) where.add(SqlFragment.of("b.id = ANY (?::bigint[])", (Object) wardIds));
        where.add(span.span());
        where.add(span.kinds());
        if (cell != null) {
            // half-open cell, so a point on a grid line belongs to exactly one cell, as floor(x / size) says
            where.add(SqlFragment.of("i.geom && ST_MakeEnvelope(?, ?, ?, ?, 27700)",
                    cell.minX(), cell.minY(), cell.maxX(), cell.maxY()));
            where.add(SqlFragment.of("ST_X(i.geom) >= ? AND ST_X(i.geom) < ? AND ST_Y(i.geom) >= ? AND ST_Y(i.geom) < ?",
                    cell.minX(), cell.maxX(), cell.minY(), cell.maxY()));
        }
        where.add(SqlFragment.of("""
                ST_Contains(b.geom, i.geom) OR NOT EXISTS (
                    SELECT 1 FROM boundary o WHERE o.set_id = b.set_id AND o.code < b.code AND ST_Intersects(o.geom, i.geom))"""));
        SqlFragment w = SqlFragment.and(where);
        SqlFragment incidents = span.incidents(cell == null ? null
                : SqlFragment.of("ST_MakeEnvelope(?, ?, ?, ?, 27700)", cell.minX(), cell.minY(), cell.maxX(), cell.maxY()));
        List<Object> params = new ArrayList<>(columns.params());
        params.addAll(incidents.params());
        params.addAll(w.params());
        return new SqlFragment("SELECT " + columns.sql() + " FROM boundary b JOIN " + incidents.sql()
                + " ON ST_Intersects(b.geom, i.geom) WHERE " + w.sql(), params);
    }

    /** The exact window rule over alias {@code i}. */
    static SqlFragment window(LocalDate from, LocalDate to) {
        return OccurredWindow.sql("i", from, to);
    }

    /** A FILTER clause for an aggregate: {@code FILTER (WHERE <window>)}, the exact window rule. */
    static SqlFragment filter(LocalDate from, LocalDate to) {
        SqlFragment w = window(from, to);
        return new SqlFragment("FILTER (WHERE " + w.sql() + ")", w.params());
    }

    /** Concatenates fragments with single spaces. */
    static SqlFragment concat(Object... parts) {
        StringBuilder sql = new StringBuilder();
        List<Object> params = new ArrayList<>();
        for (Object p : parts) {
            if (sql.length() > 0) sql.append(' ');
            if (p instanceof SqlFragment f) {
                sql.append(f.sql());
                params.addAll(f.params());
            } else {
                sql.append((String) p);
            }
        }
        return new SqlFragment(sql.toString(), params);
    }
}
