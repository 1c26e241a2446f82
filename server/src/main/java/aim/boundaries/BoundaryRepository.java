package aim.boundaries;

import com.fasterxml.jackson.core.JsonGenerator;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads boundary sets and writes their features as GeoJSON. PostGIS transforms to WGS84 and writes
 * each geometry ({@code ST_AsGeoJSON}, 6 decimals ≈ 0.1 m); rows are streamed with a cursor straight
 * into the response, never collected.
 */
public final class BoundaryRepository {
    private static final int FETCH_SIZE = 200;

    /** A set is current for its level when it is valid today and, for wards, neighbourhoods and
     *  LSOAs, the one most recently in force; every zone layer valid today is current. */
    private static final String SETS = """
            SELECT s.id, s.level, s.version, s.valid_from, s.valid_to, base.version AS based_on, s.demo,
                   s.attribution, s.source, s.changed_at,
                   (SELECT count(*) FROM boundary b WHERE b.set_id = s.id) AS feature_count,
                   CASE WHEN s.level = 'zone'
                        THEN s.valid_from <= current_date AND (s.valid_to IS NULL OR s.valid_to > current_date)
                        ELSE s.id IS NOT DISTINCT FROM (
                             SELECT c.id FROM boundary_set c
                             WHERE c.level = s.level AND c.valid_from <= current_date
                               AND (c.valid_to IS NULL OR c.valid_to > current_date)
                             ORDER BY c.valid_from DESC, c.id DESC LIMIT 1)
                   END AS current
            FROM boundary_set s
            LEFT JOIN boundary_set base ON base.id = s.based_on
            """;

    private static final String FEATURES = """
            SELECT b.code, b.name, s.level, s.version, lp.population, lp.year AS population_year,
                   lp.method AS population_method, round((b.area_m2 / 1e6)::numeric, 3) AS area_km2,
                   ST_AsGeoJSON(ST_Transform(COALESCE(simple.geom, b.geom), 4326), 6) AS geometry
            FROM boundary b
            JOIN boundary_set s ON s.id = b.set_id
            LEFT JOIN latest_population lp ON lp.boundary_id = b.id
            LEFT JOIN boundary_simplified simple ON simple.boundary_id = b.id AND simple.tolerance_m = ?
            WHERE b.set_id = ANY (?)
            """;

    private final DataSource dataSource;
    private final CoverageSimplification simplification;

    public BoundaryRepository(DataSource dataSource) {
        this.dataSource = dataSource;
        this.simplification = new CoverageSimplification(dataSource);
    }

    /** Every boundary set, newest first within each level. */
    public List<BoundarySet> versions() {
        return querySets(SETS + " ORDER BY s.level, s.valid_from DESC, s.id DESC");
    }

    /** The current sets of a level: the one in force today, or for zones every layer valid today; empty when none is. */
    public List<BoundarySet> current(BoundaryLevel level) {
        return versions().stream().filter(s -> s.level() == level && s.current()).toList();
    }

    /** The version names of a level, newest first. */
    public List<String> versionNames(BoundaryLevel level) {
        return versions().stream().filter(s -> s.level() == level).map(BoundarySet::version).toList();
    }

    /** Writes a FeatureCollection of the sets' features, with a {@code meta} member describing them. */
    public void writeFeatureCollection(List<BoundarySet> sets, int toleranceMetres, JsonGenerator out) throws IOException {
        for (BoundarySet set : sets) simplification.ensure(set, toleranceMetres);
        out.writeStartObject();
        out.writeStringField("type", "FeatureCollection");
        out.writeObjectFieldStart("meta");
        writeMeta(sets, toleranceMetres, out);
        out.writeEndObject();
        out.writeArrayFieldStart("features");
        streamFeatures(FEATURES + " ORDER BY s.version, b.code", sets, toleranceMetres, null, out);
        out.writeEndArray();
        out.writeEndObject();
    }

    /** Writes one area as a GeoJSON Feature, or returns false when the set has no such code. */
    public boolean writeFeature(BoundarySet set, String code, JsonGenerator out) throws IOException {
        List<String> related = related(set, code);
        if (related == null) return false;
        out.writeStartObject();
        out.writeStringField("type", "Feature");
        streamFeatures(FEATURES + " AND b.code = ?", List.of(set), 0, code, out);
        out.writeObjectFieldStart("meta");
        writeMeta(List.of(set), 0, out);
        out.writeEndObject();
        out.writeArrayFieldStart(set.level() == BoundaryLevel.NEIGHBOURHOOD ? "wards" : "neighbourhoods");
        for (String r : related) out.writeString(r);
        out.writeEndArray();
        out.writeEndObject();
        return true;
    }

    private void writeMeta(List<BoundarySet> sets, int toleranceMetres, JsonGenerator out) throws IOException {
        out.writeStringField("level", sets.isEmpty() ? null : sets.get(0).level().id());
        if (sets.size() == 1) {
            out.writeStringField("version", sets.get(0).version());
            out.writeBooleanField("current", sets.get(0).current());
        } else {
            out.writeNullField("version");
            out.writeArrayFieldStart("versions");
            for (BoundarySet s : sets) out.writeString(s.version());
            out.writeEndArray();
        }
        out.writeBooleanField("demo", sets.stream().anyMatch(BoundarySet::demo));
        String attribution = sets.stream().map(BoundarySet::attribution).filter(Objects::nonNull).distinct()
                .collect(Collectors.joining("; "));
        if (attribution.isEmpty()) out.writeNullField("attribution");
        else out.writeStringField("attribution", attribution);
        out.writeNumberField("simplify", toleranceMetres);
        out.writeNumberField("feature_count", sets.stream().mapToInt(BoundarySet::featureCount).sum());
        out.writeStringField("crs", "EPSG:4326 (RFC 7946 longitude, latitude); stored as EPSG:27700");
    }

    /** Streams features; when {@code code} is given, writes the one feature's members inline instead. */
    private void streamFeatures(String sql, List<BoundarySet> sets, int tolerance, String code, JsonGenerator out)
            throws IOException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false); // the driver only uses a cursor inside a transaction
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(FETCH_SIZE);
                ps.setInt(1, tolerance);
                Array ids = c.createArrayOf("bigint", sets.stream().map(BoundarySet::id).toArray());
                ps.setArray(2, ids);
                if (code != null) ps.setString(3, code);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (code == null) {
                            out.writeStartObject();
                            out.writeStringField("type", "Feature");
                        }
                        out.writeStringField("id", rs.getString("level") + ":" + rs.getString("version") + ":" + rs.getString("code"));
                        out.writeFieldName("geometry");
                        out.writeRawValue(rs.getString("geometry"));
                        out.writeObjectFieldStart("properties");
                        out.writeStringField("code", rs.getString("code"));
                        out.writeStringField("name", rs.getString("name"));
                        out.writeStringField("level", rs.getString("level"));
                        out.writeStringField("version", rs.getString("version"));
                        writeNullableInt(out, "population", rs, "population");
                        writeNullableInt(out, "population_year", rs, "population_year");
                        out.writeStringField("population_method", rs.getString("population_method"));
                        out.writeNumberField("area_km2", rs.getBigDecimal("area_km2"));
                        out.writeEndObject();
                        if (code == null) out.writeEndObject();
                    }
                }
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading boundaries failed", e);
        }
    }

    /** For a ward: the neighbourhoods (of sets built on its set) that contain it; for a neighbourhood: its wards. */
    private List<String> related(BoundarySet set, String code) {
        String sql = set.level() == BoundaryLevel.NEIGHBOURHOOD
                ? """
                  SELECT b.id, w.code FROM boundary b
                  LEFT JOIN neighbourhood_ward nw ON nw.neighbourhood_id = b.id
                  LEFT JOIN boundary w ON w.id = nw.ward_id
                  WHERE b.set_id = ? AND b.code = ? ORDER BY w.code"""
                : """
                  SELECT b.id, ns.version || ':' || n.code FROM boundary b
                  LEFT JOIN neighbourhood_ward nw ON nw.ward_id = b.id
                  LEFT JOIN boundary n ON n.id = nw.neighbourhood_id
                  LEFT JOIN boundary_set ns ON ns.id = n.set_id
                  WHERE b.set_id = ? AND b.code = ? ORDER BY 2""";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, set.id());
            ps.setString(2, code);
            try (ResultSet rs = ps.executeQuery()) {
                List<String> out = null;
                while (rs.next()) {
                    if (out == null) out = new ArrayList<>();
                    if (rs.getString(2) != null) out.add(rs.getString(2));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading boundary " + code + " failed", e);
        }
    }

    /** Whether the set has an area with this code. */
    public boolean hasArea(BoundarySet set, String code) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM boundary WHERE set_id = ? AND code = ?")) {
            ps.setLong(1, set.id());
            ps.setString(2, code);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading boundary " + code + " failed", e);
        }
    }

    /** The neighbourhood set built on a ward set (the current one if several are). */
    public Optional<BoundarySet> neighbourhoodsOf(BoundarySet wards) {
        return versions().stream()
                .filter(s -> s.level() == BoundaryLevel.NEIGHBOURHOOD && wards.version().equals(s.basedOn()))
                .min(java.util.Comparator.comparing((BoundarySet s) -> !s.current()));
    }

    /** The named version of a level, or empty when there is none. */
    public Optional<BoundarySet> find(BoundaryLevel level, String version) {
        return querySets(SETS + " WHERE s.level = ? AND s.version = ?", level.id(), version).stream().findFirst();
    }

    private List<BoundarySet> querySets(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
            try (ResultSet rs = ps.executeQuery()) {
                List<BoundarySet> sets = new ArrayList<>();
                while (rs.next()) {
                    sets.add(new BoundarySet(
                            rs.getLong("id"),
                            BoundaryLevel.valueOf(rs.getString("level").toUpperCase(java.util.Locale.ROOT)),
                            rs.getString("version"),
                            rs.getDate("valid_from").toLocalDate(),
                            rs.getDate("valid_to") == null ? null : rs.getDate("valid_to").toLocalDate(),
                            rs.getString("based_on"),
                            rs.getBoolean("demo"),
                            rs.getString("attribution"),
                            rs.getString("source"),
                            rs.getInt("feature_count"),
                            rs.getBoolean("current"),
                            rs.getTimestamp("changed_at").toInstant()));
                }
                return sets;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading boundary sets failed", e);
        }
    }

    private static void writeNullableInt(JsonGenerator out, String field, ResultSet rs, String column) throws IOException, SQLException {
        int value = rs.getInt(column);
        if (rs.wasNull()) out.writeNullField(field);
        else out.writeNumberField(field, value);
    }
}
