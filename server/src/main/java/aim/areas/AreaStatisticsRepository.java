package aim.areas;

import aim.core.Council;
import aim.boundaries.BoundarySet;
import aim.db.SqlFragment;
import aim.incidents.IncidentFilter;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The SQL behind the area statistics and time series: incident counts per ward of a ward set for a
 * window and the previous equivalent period, the areas of a set with their latest population, and
 * monthly counts per category for a group of wards or a grid cell. Incidents are assigned to wards
 * as {@link AreaIncidentSql} describes (EPSG:27700), at the point the viewer may see.
 */
public final class AreaStatisticsRepository {
    private final DataSource dataSource;
    private final boolean rollups;

    /** Reads the rollups (see {@link AreaRollupSql}) whenever a window holds a whole month. */
    public AreaStatisticsRepository(DataSource dataSource) {
        this(dataSource, true);
    }

    /** {@code rollups} false: always the raw point-in-polygon path (tests compare both on the same data). */
    AreaStatisticsRepository(DataSource dataSource, boolean rollups) {
        this.dataSource = dataSource;
        this.rollups = rollups;
    }

    /** An area of a boundary set with its latest population (null when it has none). */
    public record Area(long id, String code, String name, Integer population, Integer populationYear, String populationMethod) {
    }

    /** Counts in the current and the previous period. */
    public record Pair(long current, long previous) {
        Pair plus(Pair o) {
            return new Pair(current + o.current, previous + o.previous);
        }
    }

    /**
     * Counts per ward id, plus the area-only rows that went into wards through their LSOA or ward code
     * ({@code areaOnlyCounted}), those whose code matched no loaded LSOA or ward ({@code unlocated}) and
     * those whose LSOA lies outside every ward ({@code outside}).
     */
    public record WardCounts(Map<Long, Pair> byWard, Pair areaOnlyCounted, Pair unlocated, Pair outside) {
        public Pair ward(long id) {
            return byWard.getOrDefault(id, new Pair(0, 0));
        }
    }

    /**
     * Every area of a set, by code, with its latest population ({@code latest_population}). Without JIT: the view's
     * neighbourhood sums look expensive to the planner, which JIT-compiled the query on every statistics request
     * (233 ms of a 278 ms query for England's 7,600 wards; the query itself takes tens of milliseconds).
     */
    public List<Area> areas(BoundarySet set) {
        String sql = """
                SELECT b.id, b.code, b.name, lp.population, lp.year, lp.method
                FROM boundary b LEFT JOIN latest_population lp ON lp.boundary_id = b.id
                WHERE b.set_id = ? ORDER BY b.code""";
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement(); PreparedStatement ps = c.prepareStatement(sql)) {
                st.execute("SET LOCAL jit = off");
                ps.setLong(1, set.id());
                try (ResultSet rs = ps.executeQuery()) {
                    List<Area> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(new Area(rs.getLong(1), rs.getString(2), rs.getString(3), (Integer) rs.getObject(4),
                                (Integer) rs.getObject(5), rs.getString(6)));
                    }
                    return out;
                }
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the areas of " + set.level().id() + " " + set.version() + " failed", e);
        }
    }

    /** Ward ids of every neighbourhood of a neighbourhood set, by neighbourhood id. */
    public Map<Long, List<Long>> neighbourhoodWards(BoundarySet neighbourhoods) {
        String sql = """
                SELECT nw.neighbourhood_id, nw.ward_id FROM neighbourhood_ward nw
                JOIN boundary n ON n.id = nw.neighbourhood_id WHERE n.set_id = ? ORDER BY 1, 2""";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, neighbourhoods.id());
            try (ResultSet rs = ps.executeQuery()) {
                Map<Long, List<Long>> out = new LinkedHashMap<>();
                while (rs.next()) out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getLong(2));
                return out;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading neighbourhood wards failed", e);
        }
    }

    /**
     * Codes of the areas of set {@code targetSetId} related to one area of the other level: the wards of
     * a neighbourhood, or the neighbourhoods containing a ward.
     */
    public List<String> memberCodes(long areaSetId, String code, aim.boundaries.BoundaryLevel areaLevel, long targetSetId) {
        String sql = areaLevel == aim.boundaries.BoundaryLevel.NEIGHBOURHOOD
                ? """
                  SELECT w.code FROM boundary n
                  JOIN neighbourhood_ward nw ON nw.neighbourhood_id = n.id
                  JOIN boundary w ON w.id = nw.ward_id
                  WHERE n.set_id = ? AND n.code = ? AND w.set_id = ? ORDER BY 1"""
                : """
                  SELECT n.code FROM boundary w
                  JOIN neighbourhood_ward nw ON nw.ward_id = w.id
                  JOIN boundary n ON n.id = nw.neighbourhood_id
                  WHERE w.set_id = ? AND w.code = ? AND n.set_id = ? ORDER BY 1""";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, areaSetId);
            ps.setString(2, code);
            ps.setLong(3, targetSetId);
            try (ResultSet rs = ps.executeQuery()) {
                List<String> out = new ArrayList<>();
                while (rs.next()) out.add(rs.getString(1));
                return out;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the areas related to " + code + " failed", e);
        }
    }

    /**
     * Counts per ward for the current and previous period in one pass over the incidents of both
     * (located ones through the ward polygons' index, area-only ones in one scan), of the incidents of
     * {@code filter} (its categories, sources and viewer; its window is replaced by the two periods).
     */
    public WardCounts count(BoundarySet wards, AreaPeriods periods, IncidentFilter filter) {
        IncidentFilter span = filter.during(periods.previousFrom(), periods.to());
        SqlFragment current = AreaIncidentSql.filter(periods.from(), periods.to());
        SqlFragment previous = AreaIncidentSql.filter(periods.previousFrom(), periods.previousTo());
        SqlFragment counts = AreaIncidentSql.concat("count(*)", current, "AS cur, count(*)", previous, "AS prev");
        SqlFragment located = readsRollups(wards, periods.from(), periods.to())
                ? AreaIncidentSql.concat("SELECT 'located' AS kind, ward_id,",
                        "coalesce(sum(n) FILTER (WHERE period = 0), 0)::bigint AS cur,",
                        "coalesce(sum(n) FILTER (WHERE period = 1), 0)::bigint AS prev FROM (",
                        AreaRollupSql.period(0, wards.id(), null, filter, periods.from(), periods.to(),
                                anyOffsetMonthRows(periods.from(), periods.to()), false),
                        "UNION ALL",
                        AreaRollupSql.period(1, wards.id(), null, filter, periods.previousFrom(), periods.previousTo(),
                                anyOffsetMonthRows(periods.previousFrom(), periods.previousTo()), false),
                        ") located GROUP BY ward_id")
                : AreaIncidentSql.concat("SELECT 'located' AS kind, ward_id, cur, prev FROM (",
                        AreaIncidentSql.located(AreaIncidentSql.concat("b.id AS ward_id,", counts), wards.id(), null, span, null),
                        "GROUP BY b.id) located");
        SqlFragment sql = AreaIncidentSql.concat(
                AreaIncidentSql.ctes(wards.id(), span),
                located,
                "UNION ALL",
                "SELECT CASE WHEN m.area_code IS NULL THEN 'unlocated' WHEN m.ward_id IS NULL THEN 'outside' ELSE 'area' END,",
                "m.ward_id,", counts, "FROM area_only i LEFT JOIN area_ward m ON m.area_code = i.area_code GROUP BY 1, 2");
        Map<Long, Pair> byWard = new HashMap<>();
        Pair counted = new Pair(0, 0), unlocated = new Pair(0, 0), outside = new Pair(0, 0);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.sql())) {
            bind(c, ps, sql.params());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String kind = rs.getString(1);
                    Pair p = new Pair(rs.getLong(3), rs.getLong(4));
                    switch (kind) {
                        case "unlocated" -> unlocated = unlocated.plus(p);
                        case "outside" -> outside = outside.plus(p);
                        default -> {
                            byWard.merge(rs.getLong(2), p, Pair::plus);
                            if (kind.equals("area")) counted = counted.plus(p);
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("counting incidents per ward failed", e);
        }
        return new WardCounts(byWard, counted, unlocated, outside);
    }

    /**
     * Incidents of {@code filter} per local month and category between its {@code from} and {@code to}
     * (both given; the exact window rule), assigned to the given wards ({@code wardIds} null: every ward
     * of the set), or, with a {@code cell}, located in that cell and in those wards. Area-only incidents
     * never lie in a cell.
     */
    public Map<YearMonth, Map<String, Long>> monthlyCounts(BoundarySet wards, Long[] wardIds, IncidentFilter filter, AreaGridCell cell) {
        SqlFragment window = filter.window();
        SqlFragment month = SqlFragment.of("to_char(i.occurred_at AT TIME ZONE '" + Council.UK.getId() + "', 'YYYY-MM') AS month, i.category");
        SqlFragment located = AreaIncidentSql.located(month, wards.id(), wardIds, filter, cell);
        SqlFragment sql;
        if (cell == null && readsRollups(wards, filter.from(), filter.to())) {
            SqlFragment wardFilter = wardIds == null ? SqlFragment.of("m.ward_id IS NOT NULL")
                    : SqlFragment.of("m.ward_id = ANY (?::bigint[])", (Object) wardIds);
            sql = AreaIncidentSql.concat(AreaIncidentSql.ctes(wards.id(), filter),
                    "SELECT month, category, sum(n)::bigint FROM (",
                    AreaRollupSql.period(0, wards.id(), wardIds, filter, filter.from(), filter.to(),
                            anyOffsetMonthRows(filter.from(), filter.to())),
                    "UNION ALL SELECT 0, m.ward_id,", month, ", 1 FROM area_only i JOIN area_ward m ON m.area_code = i.area_code WHERE",
                    paren(wardFilter), "AND", paren(window), ") x GROUP BY 1, 2 HAVING sum(n) <> 0");
        } else if (cell != null) {
            sql = AreaIncidentSql.concat("SELECT month, category, count(*) FROM (", located, "AND", paren(window),
                    ") x GROUP BY 1, 2");
        } else {
            SqlFragment wardFilter = wardIds == null ? SqlFragment.of("m.ward_id IS NOT NULL")
                    : SqlFragment.of("m.ward_id = ANY (?::bigint[])", (Object) wardIds);
            sql = AreaIncidentSql.concat(AreaIncidentSql.ctes(wards.id(), filter),
                    "SELECT month, category, count(*) FROM (", located, "AND", paren(window),
                    "UNION ALL SELECT", month, "FROM area_only i JOIN area_ward m ON m.area_code = i.area_code WHERE",
                    paren(wardFilter), "AND", paren(window), ") x GROUP BY 1, 2");
        }
        Map<YearMonth, Map<String, Long>> out = new TreeMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.sql())) {
            bind(c, ps, sql.params());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(YearMonth.parse(rs.getString(1)), k -> new TreeMap<>()).put(rs.getString(2), rs.getLong(3));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("counting incidents per month failed", e);
        }
        return out;
    }

    /**
     * Incidents of {@code filter} per area and local month between its {@code from} and {@code to} (both
     * given; the exact window rule), for every area of {@code set} (a ward or zone set): located incidents in
     * the area holding the point the viewer may see, area-only ones in the area holding their LSOA's
     * point-on-surface or whose code they give, as {@link #count} assigns them. Keyed by boundary id; months
     * without incidents are absent. The performance indicators read their computed counts here.
     */
    public Map<Long, Map<YearMonth, Long>> monthlyCountsByArea(BoundarySet set, IncidentFilter filter) {
        Map<Long, Map<YearMonth, Long>> out = new HashMap<>();
        countsByArea(set, filter, false, (area, month, category, n) ->
                out.computeIfAbsent(area, k -> new TreeMap<>()).put(month, n));
        return out;
    }

    /** One count of {@link #monthlyCountsByAreaAndCategory}: area (boundary id), local month, category, incidents. */
    public record AreaMonthCategory(long areaId, YearMonth month, String category, long count) {
    }

    /**
     * {@link #monthlyCountsByArea} split by category as well: every non-zero count per area, local month and
     * category (the same assignment and window rule). The public view builds its tables from these.
     */
    public List<AreaMonthCategory> monthlyCountsByAreaAndCategory(BoundarySet set, IncidentFilter filter) {
        List<AreaMonthCategory> out = new ArrayList<>();
        countsByArea(set, filter, true, (area, month, category, n) -> out.add(new AreaMonthCategory(area, month, category, n)));
        return out;
    }

    private interface AreaCountSink {
        void accept(long area, YearMonth month, String category, long n);
    }

    private void countsByArea(BoundarySet set, IncidentFilter filter, boolean byCategory, AreaCountSink sink) {
        SqlFragment window = filter.window();
        String monthSql = "to_char(i.occurred_at AT TIME ZONE '" + Council.UK.getId() + "', 'YYYY-MM')";
        // the category column is grouped on only when asked for; otherwise a constant keeps the columns the same
        String category = byCategory ? "category" : "''";
        SqlFragment sql;
        if (readsRollups(set, filter.from(), filter.to())) {
            sql = AreaIncidentSql.concat(AreaIncidentSql.ctes(set.id(), filter),
                    "SELECT ward_id, month, " + category + ", sum(n)::bigint FROM (",
                    AreaRollupSql.period(0, set.id(), null, filter, filter.from(), filter.to(),
                            anyOffsetMonthRows(filter.from(), filter.to())),
                    "UNION ALL SELECT 0, m.ward_id, " + monthSql + ", i.category, 1 FROM area_only i",
                    "JOIN area_ward m ON m.area_code = i.area_code WHERE m.ward_id IS NOT NULL AND", paren(window),
                    ") x GROUP BY 1, 2, 3 HAVING sum(n) <> 0");
        } else {
            SqlFragment located = AreaIncidentSql.located(SqlFragment.of("b.id AS ward_id, " + monthSql + " AS month, i.category"),
                    set.id(), null, filter, null);
            sql = AreaIncidentSql.concat(AreaIncidentSql.ctes(set.id(), filter),
                    "SELECT ward_id, month, " + category + ", count(*) FROM (", located, "AND", paren(window),
                    "UNION ALL SELECT m.ward_id, " + monthSql + ", i.category FROM area_only i JOIN area_ward m ON m.area_code = i.area_code",
                    "WHERE m.ward_id IS NOT NULL AND", paren(window), ") x GROUP BY 1, 2, 3");
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.sql())) {
            bind(c, ps, sql.params());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) sink.accept(rs.getLong(1), YearMonth.parse(rs.getString(2)), rs.getString(3), rs.getLong(4));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("counting incidents per area and month failed", e);
        }
    }

    /**
     * Whether to read the rollups: enabled, the window holds at least one whole calendar month, and the
     * ward set's incidents are assigned ({@code rollup_set}).
     */
    /** Whether month-precise rows off their month's start lie in [from, to] (see OccurredWindow.anyOffsetMonthRows). */
    private boolean anyOffsetMonthRows(java.time.LocalDate from, java.time.LocalDate to) {
        try (Connection c = dataSource.getConnection()) {
            return aim.incidents.OccurredWindow.anyOffsetMonthRows(c, from, to);
        } catch (SQLException e) {
            throw new IllegalStateException("looking for month rows off their month's start failed", e);
        }
    }

    boolean readsRollups(BoundarySet wards, java.time.LocalDate from, java.time.LocalDate to) {
        if (!rollups || from == null || to == null) return false;
        YearMonth first = from.getDayOfMonth() == 1 ? YearMonth.from(from) : YearMonth.from(from).plusMonths(1);
        YearMonth last = to.equals(YearMonth.from(to).atEndOfMonth()) ? YearMonth.from(to) : YearMonth.from(to).minusMonths(1);
        if (first.isAfter(last)) return false;
        SqlFragment q = AreaRollupSql.assigned(wards.id());
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(q.sql())) {
            bind(c, ps, q.params());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading whether ward version " + wards.version() + " is assigned failed", e);
        }
    }

    private static SqlFragment paren(SqlFragment f) {
        return new SqlFragment("(" + f.sql() + ")", f.params());
    }

    /** Binds parameters; arrays of strings or longs become SQL arrays. */
    static void bind(Connection c, PreparedStatement ps, List<Object> params) throws SQLException {
        int i = 1;
        for (Object p : params) {
            if (p instanceof String[] s) ps.setArray(i++, c.createArrayOf("text", s));
            else if (p instanceof Long[] l) ps.setArray(i++, c.createArrayOf("bigint", l));
            else ps.setObject(i++, p);
        }
    }
}
