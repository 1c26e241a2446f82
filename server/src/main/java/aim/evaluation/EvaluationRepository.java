package aim.evaluation;

import aim.accounts.User;
import aim.db.SqlFragment;
import aim.incidents.IncidentFilter;
import aim.incidents.OccurredWindow;
import aim.problems.ActionVisibility;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SQL of an evaluation (EPSG:27700, metres). Every located incident the caller may see (the point
 * {@link aim.incidents.Redaction} shows them, through {@link IncidentFilter#incidents}) falls in at most one
 * zone, tested in this order:
 * <ol>
 *   <li><b>target</b>: covered by the area ({@code ST_Covers}: a point on its edge is in the target);</li>
 *   <li><b>buffer</b>: otherwise within {@code buffer} metres of the area ({@code ST_DWithin});</li>
 *   <li><b>control</b>: otherwise covered by the union of the control wards.</li>
 * </ol>
 * A row counts in a period by the {@link OccurredWindow} rule: a month-precise police.uk row counts in the
 * period that holds its whole month (a month split between the periods counts in neither). Area-only
 * incidents (no point) cannot be placed in a buffer and are not counted.
 */
final class EvaluationRepository {
    private final DataSource dataSource;

    EvaluationRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A place to evaluate: its label, its geometry (EWKB, EPSG:27700) and the problem's categories (empty for an area). */
    record Place(String label, byte[] ewkb, List<String> categories) {
    }

    /** An action the caller may see, with its problem's place and its operation dates (null when it has none). */
    record ActionPlace(long id, String title, long problemId, String problemTitle, LocalDate startsOn, LocalDate endsOn, Place place) {
    }

    /** Before/after counts per zone. */
    record ZoneCounts(EffectSize.Counts target, EffectSize.Counts buffer, EffectSize.Counts control) {
    }

    /** The three zones as GeoJSON (WGS84, simplified to 5 m for drawing). */
    record Shapes(String target, String buffer, String control) {
    }

    Optional<Place> problem(long id) {
        return query("""
                SELECT p.place_label, ST_AsEWKB(p.geom), p.categories FROM problem p WHERE p.id = ?""",
                List.of(id), rs -> new Place(rs.getString(1), rs.getBytes(2), strings(rs.getArray(3)))).stream().findFirst();
    }

    Optional<ActionPlace> action(long id, User caller) {
        SqlFragment visible = ActionVisibility.visibleTo(caller, "a");
        List<Object> params = new ArrayList<>();
        params.add(id);
        params.addAll(visible.params());
        return query("""
                SELECT a.id, a.title, p.id, p.title, a.starts_on, a.ends_on, p.place_label, ST_AsEWKB(p.geom), p.categories
                FROM problem_action a JOIN problem p ON p.id = a.problem_id
                WHERE a.id = ? AND %s""".formatted(visible.sql()), params,
                rs -> new ActionPlace(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                        rs.getObject(5, LocalDate.class), rs.getObject(6, LocalDate.class),
                        new Place(rs.getString(7), rs.getBytes(8), strings(rs.getArray(9))))).stream().findFirst();
    }

    /** Ids of the actions the caller may see whose operation ended in [from, to], latest end first. */
    List<Long> operationsEnded(LocalDate from, LocalDate to, User caller, int limit) {
        SqlFragment visible = ActionVisibility.visibleTo(caller, "a");
        List<Object> params = new ArrayList<>(List.of(from, to));
        params.addAll(visible.params());
        params.add(limit);
        return query("""
                SELECT a.id FROM problem_action a
                WHERE a.ends_on BETWEEN ? AND ? AND a.status <> 'cancelled' AND %s
                ORDER BY a.ends_on DESC, a.id LIMIT ?""".formatted(visible.sql()), params, rs -> rs.getLong(1));
    }

    /** The codes of {@code codes} that are not wards of the set. */
    List<String> unknownWards(long wardSetId, List<String> codes) {
        return query("""
                SELECT c FROM unnest(?::text[]) AS c
                WHERE NOT EXISTS (SELECT 1 FROM boundary b WHERE b.set_id = ? AND b.code = c) ORDER BY c""",
                List.of(codes.toArray(String[]::new), wardSetId), rs -> rs.getString(1));
    }

    /**
     * The CTEs {@code t} (the target), {@code ctl} (the union of the control wards: every ward of the set
     * when {@code controlCodes} is null) and {@code env} (the box of the target's buffer and the control).
     */
    private static SqlFragment zones(byte[] target, long wardSetId, List<String> controlCodes, int buffer) {
        List<Object> params = new ArrayList<>();
        params.add(target);
        params.add(wardSetId);
        String codes = "";
        if (controlCodes != null) {
            codes = " AND b.code = ANY (?::text[])";
            params.add(controlCodes.toArray(String[]::new));
        }
        params.add((double) buffer);
        return new SqlFragment("""
                WITH t AS MATERIALIZED (SELECT ST_GeomFromEWKB(?) AS g),
                ctl AS MATERIALIZED (SELECT ST_Union(b.geom) AS g FROM boundary b WHERE b.set_id = ?%s),
                env AS MATERIALIZED (SELECT ST_Envelope(ST_Collect(ST_Expand(t.g, ?), ctl.g)) AS g FROM t, ctl)
                """.formatted(codes), params);
    }

    /** The counts per zone for the filter's categories, sources and viewer (its window is not used). */
    ZoneCounts counts(byte[] target, long wardSetId, List<String> controlCodes, int buffer, IncidentFilter filter,
                      LocalDate beforeFrom, LocalDate beforeTo, LocalDate afterFrom, LocalDate afterTo) {
        SqlFragment with = zones(target, wardSetId, controlCodes, buffer);
        SqlFragment near = SqlFragment.of("(SELECT g FROM env)");
        SqlFragment rows = filter.incidents(near);
        SqlFragment before = OccurredWindow.sql("i", beforeFrom, beforeTo), after = OccurredWindow.sql("i", afterFrom, afterTo);
        SqlFragment where = SqlFragment.and(List.of(SqlFragment.of("i.geom IS NOT NULL AND i.geom && (SELECT g FROM env)"),
                OccurredWindow.bounds("i", beforeFrom, afterTo), filter.kinds()));
        List<Object> params = new ArrayList<>(with.params());
        params.add((double) buffer);
        params.addAll(before.params());
        params.addAll(after.params());
        params.addAll(rows.params());
        params.addAll(where.params());
        String sql = with.sql() + """
                SELECT CASE WHEN ST_Covers(t.g, i.geom) THEN 'target'
                            WHEN ST_DWithin(t.g, i.geom, ?) THEN 'buffer'
                            WHEN ST_Covers(ctl.g, i.geom) THEN 'control' END AS zone,
                       count(*) FILTER (WHERE %s), count(*) FILTER (WHERE %s)
                FROM %s CROSS JOIN t CROSS JOIN ctl
                WHERE %s
                GROUP BY 1""".formatted(before.sql(), after.sql(), rows.sql(), where.sql());
        Map<String, EffectSize.Counts> byZone = new HashMap<>();
        query(sql, params, rs -> {
            if (rs.getString(1) != null) byZone.put(rs.getString(1), new EffectSize.Counts(rs.getLong(2), rs.getLong(3)));
            return null;
        });
        EffectSize.Counts none = new EffectSize.Counts(0, 0);
        return new ZoneCounts(byZone.getOrDefault("target", none), byZone.getOrDefault("buffer", none),
                byZone.getOrDefault("control", none));
    }

    Shapes shapes(byte[] target, long wardSetId, List<String> controlCodes, int buffer) {
        SqlFragment with = zones(target, wardSetId, controlCodes, buffer);
        List<Object> params = new ArrayList<>(with.params());
        params.add((double) buffer);
        return query(with.sql() + """
                , zone AS (SELECT t.g AS target, ST_Buffer(t.g, ?) AS outer_edge FROM t)
                SELECT ST_AsGeoJSON(ST_Transform(ST_SimplifyPreserveTopology(z.target, 5), 4326), 6),
                       ST_AsGeoJSON(ST_Transform(ST_SimplifyPreserveTopology(ST_Difference(z.outer_edge, z.target), 5), 4326), 6),
                       ST_AsGeoJSON(ST_Transform(ST_SimplifyPreserveTopology(ST_Difference(ctl.g, z.outer_edge), 5), 4326), 6)
                FROM zone z, ctl""", params, rs -> new Shapes(rs.getString(1), rs.getString(2), rs.getString(3))).get(0);
    }

    /** Codes of the set's wards that share more than 1 m² with the target (they cannot be its control). */
    List<String> overlapping(byte[] target, long wardSetId) {
        return query("""
                SELECT b.code FROM boundary b
                WHERE b.set_id = ? AND ST_Intersects(b.geom, ST_GeomFromEWKB(?))
                  AND ST_Area(ST_Intersection(b.geom, ST_GeomFromEWKB(?))) > 1
                ORDER BY b.code""", List.of(wardSetId, target, target), rs -> rs.getString(1));
    }

    /**
     * Monthly counts ('YYYY-MM' → n) in the before period: the target's (key "") and each ward's (by code;
     * a point on a shared ward edge counts in both wards, good enough for likeness), with their names.
     */
    Map<String, Map<String, Long>> monthly(byte[] target, long wardSetId, IncidentFilter filter, LocalDate from, LocalDate to,
                                           Map<String, String> names) {
        SqlFragment window = OccurredWindow.sql("i", from, to);
        SqlFragment rows = filter.incidents();
        SqlFragment where = SqlFragment.and(List.of(SqlFragment.of("i.geom IS NOT NULL"), OccurredWindow.bounds("i", from, to),
                window, filter.kinds()));
        List<Object> params = new ArrayList<>();
        params.add(target);
        params.add(wardSetId);
        params.addAll(rows.params());
        params.addAll(where.params());
        String sql = """
                WITH z AS MATERIALIZED (SELECT '' AS code, '' AS name, ST_GeomFromEWKB(?) AS g
                                        UNION ALL SELECT b.code, b.name, b.geom FROM boundary b WHERE b.set_id = ?)
                SELECT z.code, z.name, to_char(i.occurred_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), count(*)
                FROM z JOIN %s ON ST_Covers(z.g, i.geom)
                WHERE %s GROUP BY 1, 2, 3""".formatted(rows.sql(), where.sql());
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        query(sql, params, rs -> {
            out.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getString(3), rs.getLong(4));
            return null;
        });
        query("SELECT code, name FROM boundary WHERE set_id = ? ORDER BY code", List.of(wardSetId), rs -> {
            names.put(rs.getString(1), rs.getString(2));
            return null;
        });
        return out;
    }

    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, List<Object> params, Row<T> row) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) ps.setObject(i + 1, params.get(i));
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(row.read(rs));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("evaluation query failed", e);
        }
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }
}
