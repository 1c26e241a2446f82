package aim.indicators;

import aim.boundaries.BoundaryLevel;
import aim.boundaries.BoundarySet;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The SQL of the indicators: definitions, imported values (stored by area code and level, mapped to the
 * areas of a boundary set when read), and targets. LSOAs are mapped to the ward of the requested set
 * holding their point-on-surface (the newest LSOA set holding the code), as area-only incidents are.
 */
public final class IndicatorRepository {
    private final DataSource dataSource;

    public IndicatorRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    private static final String COLUMNS = "code, name, kind, direction, source, licence, category_group, source_group, demo";

    /** Every indicator, in display order. */
    public List<Indicator> all() {
        return query("SELECT " + COLUMNS + " FROM indicator ORDER BY sort, code");
    }

    public Optional<Indicator> find(String code) {
        return query("SELECT " + COLUMNS + " FROM indicator WHERE code = ?", code).stream().findFirst();
    }

    private List<Indicator> query(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
            try (ResultSet rs = ps.executeQuery()) {
                List<Indicator> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new Indicator(rs.getString(1), rs.getString(2), IndicatorKind.of(rs.getString(3)), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getBoolean(9)));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the indicators failed", e);
        }
    }

    /**
     * The level of each code that is a ward, LSOA or zone of any loaded set (a code that is several is taken
     * as a ward, then an LSOA, then a zone); codes of no loaded area are absent.
     */
    public Map<String, BoundaryLevel> areaLevels(Collection<String> codes) {
        String sql = """
                SELECT DISTINCT ON (b.code) b.code, s.level FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                WHERE b.code = ANY (?) AND s.level IN ('ward', 'lsoa', 'zone')
                ORDER BY b.code, array_position(ARRAY['ward', 'lsoa', 'zone'], s.level::text)""";
        Map<String, BoundaryLevel> out = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("text", codes.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.put(rs.getString(1), BoundaryLevel.parse(rs.getString(2), "level"));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading area codes failed", e);
        }
        return out;
    }

    /** One imported value, ready to store. */
    public record StoredValue(String indicator, IndicatorPeriod period, BoundaryLevel level, String areaCode, double value, Integer n) {
    }

    /**
     * In one transaction: creates the {@code created} indicators, deletes every stored value of each
     * (indicator, period) in {@code values} and inserts {@code values}. Returns how many values were replaced.
     */
    public int store(List<Indicator> created, List<StoredValue> values) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO indicator (code, name, kind, direction, source, licence, demo) VALUES (?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (code) DO NOTHING""")) {
                    for (Indicator i : created) {
                        ps.setString(1, i.code());
                        ps.setString(2, i.name());
                        ps.setString(3, i.kind().id());
                        ps.setString(4, i.direction());
                        ps.setString(5, i.source());
                        ps.setString(6, i.licence());
                        ps.setBoolean(7, i.demo());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                Set<List<Object>> periods = new LinkedHashSet<>();
                for (StoredValue v : values) periods.add(List.of(v.indicator(), v.period().start(), v.period().end()));
                int replaced = 0;
                try (PreparedStatement ps = c.prepareStatement(
                        "DELETE FROM indicator_value WHERE indicator_code = ? AND period_start = ? AND period_end = ?")) {
                    for (List<Object> p : periods) {
                        ps.setString(1, (String) p.get(0));
                        ps.setObject(2, p.get(1));
                        ps.setObject(3, p.get(2));
                        replaced += ps.executeUpdate();
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO indicator_value (indicator_code, period_start, period_end, period_label, area_level, area_code, value, n)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")) {
                    for (StoredValue v : values) {
                        ps.setString(1, v.indicator());
                        ps.setObject(2, v.period().start());
                        ps.setObject(3, v.period().end());
                        ps.setString(4, v.period().label());
                        ps.setString(5, v.level().id());
                        ps.setString(6, v.areaCode());
                        ps.setDouble(7, v.value());
                        ps.setObject(8, v.n());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                c.commit();
                return replaced;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("storing indicator values failed", e);
        }
    }

    /**
     * An imported value mapped to an area of the requested set ({@code areaId}), with the population of the
     * area it was given for ({@code weight}: the ward's or LSOA's latest population; null when unknown).
     */
    public record AreaValue(long areaId, String indicator, LocalDate start, LocalDate end, double value, Integer n, Integer weight) {
    }

    /**
     * Values of {@code indicators} whose period starts in [from, to], mapped to the areas of {@code set}: for a
     * ward set, values given for its wards and for LSOAs (to the ward holding the LSOA's point-on-surface);
     * for a zone or LSOA set, values given for its own areas.
     */
    public List<AreaValue> values(List<String> indicators, LocalDate from, LocalDate to, BoundarySet set) {
        boolean own = set.level() == BoundaryLevel.ZONE || set.level() == BoundaryLevel.LSOA;
        String sql = own ? """
                SELECT z.id, v.indicator_code, v.period_start, v.period_end, v.value, v.n, lp.population
                FROM indicator_value v JOIN boundary z ON z.set_id = ? AND z.code = v.area_code
                LEFT JOIN latest_population lp ON lp.boundary_id = z.id
                WHERE v.area_level = ? AND v.indicator_code = ANY (?) AND v.period_start BETWEEN ? AND ?"""
                : """
                WITH v AS MATERIALIZED (
                    SELECT * FROM indicator_value
                    WHERE indicator_code = ANY (?) AND period_start BETWEEN ? AND ? AND area_level IN ('ward', 'lsoa')),
                lsoa_ward AS MATERIALIZED (
                    SELECT DISTINCT ON (l.code) l.code, w.id AS ward_id, lp.population
                    FROM boundary l
                    JOIN boundary_set ls ON ls.id = l.set_id AND ls.level = 'lsoa'
                    LEFT JOIN latest_population lp ON lp.boundary_id = l.id
                    JOIN LATERAL (
                        SELECT b.id FROM boundary b
                        WHERE b.set_id = ? AND ST_Intersects(b.geom, ST_PointOnSurface(l.geom))
                        ORDER BY b.code LIMIT 1) w ON true
                    WHERE l.code IN (SELECT area_code FROM v WHERE area_level = 'lsoa')
                    ORDER BY l.code, ls.valid_from DESC, ls.id DESC)
                SELECT w.id, v.indicator_code, v.period_start, v.period_end, v.value, v.n, lp.population
                FROM v JOIN boundary w ON w.set_id = ? AND w.code = v.area_code
                LEFT JOIN latest_population lp ON lp.boundary_id = w.id
                WHERE v.area_level = 'ward'
                UNION ALL
                SELECT lw.ward_id, v.indicator_code, v.period_start, v.period_end, v.value, v.n, lw.population
                FROM v JOIN lsoa_ward lw ON lw.code = v.area_code WHERE v.area_level = 'lsoa'""";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            var codes = c.createArrayOf("text", indicators.toArray());
            if (own) {
                ps.setLong(1, set.id());
                ps.setString(2, set.level().id());
                ps.setArray(3, codes);
                ps.setObject(4, from);
                ps.setObject(5, to);
            } else {
                ps.setArray(1, codes);
                ps.setObject(2, from);
                ps.setObject(3, to);
                ps.setLong(4, set.id());
                ps.setLong(5, set.id());
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<AreaValue> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new AreaValue(rs.getLong(1), rs.getString(2), rs.getObject(3, LocalDate.class),
                            rs.getObject(4, LocalDate.class), rs.getDouble(5), (Integer) rs.getObject(6), (Integer) rs.getObject(7)));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading indicator values failed", e);
        }
    }

    /** Ids of the LSOAs of {@code lsoas} whose point-on-surface lies in a ward of {@code wards}. */
    public Set<Long> lsoasIn(BoundarySet lsoas, BoundarySet wards) {
        String sql = """
                SELECT l.id FROM boundary l
                WHERE l.set_id = ? AND EXISTS (
                    SELECT 1 FROM boundary w WHERE w.set_id = ? AND ST_Intersects(w.geom, ST_PointOnSurface(l.geom)))""";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, lsoas.id());
            ps.setLong(2, wards.id());
            try (ResultSet rs = ps.executeQuery()) {
                Set<Long> out = new java.util.HashSet<>();
                while (rs.next()) out.add(rs.getLong(1));
                return out;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the LSOAs of the study area failed", e);
        }
    }

    /** A target: for one area code, or {@code *} for every area without its own. */
    public record Target(String indicator, String areaCode, String measure, double target, double tolerancePercent) {
    }

    public List<Target> targets(List<String> indicators) {
        String sql = "SELECT indicator_code, area_code, measure, target, tolerance_percent FROM indicator_target WHERE indicator_code = ANY (?) ORDER BY indicator_code, area_code";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("text", indicators.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                List<Target> out = new ArrayList<>();
                while (rs.next()) out.add(new Target(rs.getString(1), rs.getString(2), rs.getString(3), rs.getDouble(4), rs.getDouble(5)));
                return out;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading indicator targets failed", e);
        }
    }

    /** Replaces every target of one indicator (one transaction). */
    public void replaceTargets(String indicator, List<Target> targets) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM indicator_target WHERE indicator_code = ?")) {
                    ps.setString(1, indicator);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO indicator_target (indicator_code, area_code, measure, target, tolerance_percent) VALUES (?, ?, ?, ?, ?)""")) {
                    for (Target t : targets) {
                        ps.setString(1, indicator);
                        ps.setString(2, t.areaCode());
                        ps.setString(3, t.measure());
                        ps.setDouble(4, t.target());
                        ps.setDouble(5, t.tolerancePercent());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("storing indicator targets failed", e);
        }
    }
}
