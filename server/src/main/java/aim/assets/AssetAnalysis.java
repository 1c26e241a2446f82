package aim.assets;

import aim.boundaries.BoundarySet;
import aim.db.SqlFragment;
import aim.hotspots.HotCells;
import aim.hotspots.HotspotEngine;
import aim.incidents.IncidentFilter;
import com.fasterxml.jackson.core.JsonGenerator;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Coverage, gaps and overlaps of provision: places and services (never people) that are not retired and
 * have a geometry. Everything is measured in EPSG:27700 metres, as the crow flies.
 * <ul>
 * <li>Coverage per area: assets counted in the area that holds their point on surface, per 1,000 residents
 *     (the area's latest population), by category; and the share of the area's <em>land area</em> within
 *     {@code distance} of provision of the chosen categories (buffers with 32 segments per quarter circle,
 *     area error under 0.1%). It is an area share, not population-weighted: AIM holds populations per ward
 *     and LSOA only, with nothing on where people live inside them.</li>
 * <li>Gaps: hotspot cells (the hotspot engine's {@link HotCells}) whose centre has no provision of the category within
 *     {@code distance}, with the nearest provision and its distance, and the ward the gap lies in (the ward
 *     holding the cell's centre, else the one covering most of the cell). No street is named: AIM holds no
 *     street or address data.</li>
 * <li>Overlaps: clusters of provision of the same category whose members lie within {@code eps} metres of
 *     another member ({@code ST_ClusterDBSCAN}, at least two members).</li>
 * </ul>
 */
public final class AssetAnalysis {
    static final int BUFFER_SEGMENTS = 32;
    static final String PROVISION = "a.retired_at IS NULL AND a.kind IN ('place', 'service') AND a.geom IS NOT NULL";

    private final DataSource dataSource;
    private final HotspotEngine hotspots;

    public AssetAnalysis(DataSource dataSource, HotspotEngine hotspots) {
        this.dataSource = dataSource;
        this.hotspots = hotspots;
    }

    /** Writes the coverage of the areas of {@code set} (wards or neighbourhoods). */
    public void writeCoverage(BoundarySet set, List<String> categories, double distance, JsonGenerator out) throws IOException {
        SqlFragment chosen = AssetCategories.within("a.category", categories);
        String provision = PROVISION + (chosen.sql().isEmpty() ? "" : " AND " + chosen.sql());
        String sql = """
                WITH areas AS (
                    SELECT b.id, b.code, b.name, b.geom, b.area_m2, lp.population, lp.year
                    FROM boundary b LEFT JOIN latest_population lp ON lp.boundary_id = b.id
                    WHERE b.set_id = ?),
                provision AS (SELECT a.id, a.category, a.geom FROM asset a WHERE %1$s),
                reach AS (SELECT ST_Union(ST_Buffer(p.geom, ?, 'quad_segs=%2$d')) AS geom FROM provision p),
                counts AS (
                    SELECT ar.id, p.category, count(*) AS n
                    FROM areas ar JOIN provision p ON ST_Intersects(ar.geom, ST_PointOnSurface(p.geom))
                    GROUP BY ar.id, p.category)
                SELECT ar.code, ar.name, ar.population, ar.year, ar.area_m2,
                       CASE WHEN reach.geom IS NULL THEN 0 ELSE ST_Area(ST_Intersection(ar.geom, reach.geom)) END AS covered_m2,
                       (SELECT coalesce(sum(n), 0) FROM counts k WHERE k.id = ar.id) AS assets,
                       (SELECT json_agg(json_build_object('category', k.category, 'label', c.label, 'count', k.n) ORDER BY c.sort, k.category)
                        FROM counts k JOIN asset_category c ON c.code = k.category WHERE k.id = ar.id)::text AS by_category
                FROM areas ar CROSS JOIN reach
                ORDER BY ar.code""".formatted(provision, BUFFER_SEGMENTS);
        List<Object> params = new ArrayList<>();
        params.add(set.id());
        params.addAll(chosen.params());
        params.add(distance);
        var mapper = aim.core.Json.mapper();
        out.writeStartObject();
        out.writeStringField("level", set.level().id());
        out.writeStringField("version", set.version());
        out.writeArrayFieldStart("category");
        for (String c : categories) out.writeString(c);
        out.writeEndArray();
        out.writeNumberField("distance_m", distance);
        out.writeStringField("covered_share", "share of each area's land area within distance_m of provision of the category"
                + " (area share, not population-weighted: AIM has no population below ward/LSOA level)");
        out.writeStringField("counted", "places and services (not people, not retired) in the area holding their point on surface;"
                + " per_1000 uses the area's latest population");
        out.writeArrayFieldStart("areas");
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) ps.setObject(i + 1, params.get(i));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.writeStartObject();
                    out.writeStringField("code", rs.getString("code"));
                    out.writeStringField("name", rs.getString("name"));
                    int population = rs.getInt("population");
                    boolean hasPopulation = !rs.wasNull() && population > 0;
                    if (hasPopulation) out.writeNumberField("population", population);
                    else out.writeNullField("population");
                    int year = rs.getInt("year");
                    if (rs.wasNull()) out.writeNullField("population_year");
                    else out.writeNumberField("population_year", year);
                    double area = rs.getDouble("area_m2");
                    out.writeNumberField("area_km2", round(area / 1e6, 3));
                    long assets = rs.getLong("assets");
                    out.writeNumberField("assets", assets);
                    perThousand(out, assets, hasPopulation ? population : 0);
                    out.writeArrayFieldStart("by_category");
                    String byCategory = rs.getString("by_category");
                    if (byCategory != null) {
                        for (var k : mapper.readTree(byCategory)) {
                            out.writeStartObject();
                            out.writeStringField("category", k.get("category").asText());
                            out.writeStringField("label", k.get("label").asText());
                            out.writeNumberField("count", k.get("count").asLong());
                            perThousand(out, k.get("count").asLong(), hasPopulation ? population : 0);
                            out.writeEndObject();
                        }
                    }
                    out.writeEndArray();
                    double covered = rs.getDouble("covered_m2");
                    out.writeNumberField("covered_km2", round(covered / 1e6, 3));
                    out.writeNumberField("covered_share", area > 0 ? round(covered / area, 4) : 0);
                    out.writeEndObject();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("computing coverage failed", e);
        }
        out.writeEndArray();
        out.writeEndObject();
    }

    private static void perThousand(JsonGenerator out, long count, int population) throws IOException {
        if (population > 0) out.writeNumberField("per_1000", round(count * 1000.0 / population, 3));
        else out.writeNullField("per_1000");
    }

    static double round(double v, int decimals) {
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }

    /**
     * A gap request; {@code filter} chooses the incidents of the hotspots (and their study area);
     * {@code wardSetId} is the ward set that names each gap's ward (null when no wards are loaded: gaps then have no ward).
     */
    public record GapRequest(List<String> categories, double distance, String method, double cellSize, double overlapDistance,
                             IncidentFilter filter, Long wardSetId) {
    }

    /** Writes the gaps under hotspots and the overlapping provision of the categories. */
    public void writeGaps(GapRequest r, JsonGenerator out) throws IOException {
        HotCells hot = hotspots.hotCells(r.filter(), r.method(), r.cellSize());
        out.writeStartObject();
        out.writeArrayFieldStart("category");
        for (String c : r.categories()) out.writeString(c);
        out.writeEndArray();
        out.writeNumberField("distance_m", r.distance());
        out.writeObjectFieldStart("hotspots");
        out.writeStringField("method", hot.method());
        out.writeStringField("rule", hot.rule());
        out.writeNumberField("cell_m", hot.size());
        out.writeNumberField("study_area_cells", hot.studyCells());
        out.writeNumberField("hot_cells", hot.cells().size());
        if (hot.threshold() != null) out.writeNumberField("threshold", hot.threshold());
        out.writeStringField("study_area", r.filter().area().label());
        out.writeStringField("from", r.filter().from() == null ? null : r.filter().from().toString());
        out.writeStringField("to", r.filter().to() == null ? null : r.filter().to().toString());
        out.writeArrayFieldStart("incident_category");
        for (String c : r.filter().categories()) out.writeString(c);
        out.writeEndArray();
        aim.incidents.Redaction.writeNote(r.filter().viewer(), out);
        out.writeEndObject();
        writeGapCells(r, hot, out);
        writeOverlaps(r, out);
        out.writeEndObject();
    }

    private void writeGapCells(GapRequest r, HotCells hot, JsonGenerator out) throws IOException {
        SqlFragment chosen = AssetCategories.within("a.category", r.categories());
        String sql = """
                WITH hot AS (SELECT * FROM unnest(?::int[], ?::int[], ?::bigint[], ?::float8[], ?::int[]) WITH ORDINALITY AS h(i, j, n, z, bin, ord)),
                cells AS (
                    SELECT h.*, ST_MakeEnvelope(h.i * ?::float8, h.j * ?::float8, (h.i + 1) * ?::float8, (h.j + 1) * ?::float8, 27700) AS geom,
                           ST_SetSRID(ST_MakePoint((h.i + 0.5) * ?::float8, (h.j + 0.5) * ?::float8), 27700) AS centre
                    FROM hot h)
                SELECT c.i, c.j, c.n, c.z, c.bin, ST_X(c.centre) AS x, ST_Y(c.centre) AS y,
                       ST_AsGeoJSON(ST_Transform(c.geom, 4326), 6) AS geometry,
                       near.id, near.name, near.category, near.kind, near.distance,
                       ward.code AS ward_code, ward.name AS ward_name
                FROM cells c
                LEFT JOIN LATERAL (
                    SELECT a.id, a.name, a.category, a.kind, ST_Distance(a.geom, c.centre) AS distance
                    FROM asset a WHERE %s%s
                    ORDER BY a.geom <-> c.centre LIMIT 1) near ON true
                -- the gap's ward: the one holding the cell's centre; for a centre outside every ward (a cell on
                -- the borough's edge) the ward covering most of the cell; a centre on a shared edge goes to the
                -- ward with more of the cell, then the lower code; none when the cell touches no ward
                LEFT JOIN LATERAL (
                    SELECT b.code, b.name FROM boundary b
                    WHERE b.set_id = ? AND ST_Intersects(b.geom, c.geom)
                    ORDER BY ST_Intersects(b.geom, c.centre) DESC, ST_Area(ST_Intersection(b.geom, c.geom)) DESC, b.code
                    LIMIT 1) ward ON true
                WHERE near.id IS NULL OR near.distance > ?
                ORDER BY c.ord""".formatted(PROVISION, chosen.sql().isEmpty() ? "" : " AND " + chosen.sql());
        List<HotCells.Cell> cells = hot.cells();
        int n = cells.size();
        Integer[] is = new Integer[n], js = new Integer[n], bins = new Integer[n];
        Long[] counts = new Long[n];
        Double[] zs = new Double[n];
        for (int k = 0; k < n; k++) {
            HotCells.Cell cell = cells.get(k);
            is[k] = cell.i();
            js[k] = cell.j();
            counts[k] = cell.incidents();
            zs[k] = cell.z();
            bins[k] = cell.bin();
        }
        int gaps = 0;
        out.writeObjectFieldStart("gaps");
        out.writeStringField("type", "FeatureCollection");
        out.writeArrayFieldStart("features");
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setArray(i++, c.createArrayOf("integer", is));
            ps.setArray(i++, c.createArrayOf("integer", js));
            ps.setArray(i++, c.createArrayOf("bigint", counts));
            ps.setArray(i++, c.createArrayOf("float8", zs));
            ps.setArray(i++, c.createArrayOf("integer", bins));
            for (int k = 0; k < 6; k++) ps.setDouble(i++, hot.size());
            for (Object p : chosen.params()) ps.setObject(i++, p);
            ps.setObject(i++, r.wardSetId(), java.sql.Types.BIGINT);
            ps.setDouble(i, r.distance());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    gaps++;
                    out.writeStartObject();
                    out.writeStringField("type", "Feature");
                    out.writeStringField("id", "cell:" + rs.getInt("i") + ":" + rs.getInt("j"));
                    out.writeFieldName("geometry");
                    out.writeRawValue(rs.getString("geometry"));
                    out.writeObjectFieldStart("properties");
                    out.writeNumberField("i", rs.getInt("i"));
                    out.writeNumberField("j", rs.getInt("j"));
                    out.writeNumberField("easting", rs.getDouble("x"));
                    out.writeNumberField("northing", rs.getDouble("y"));
                    out.writeNumberField("incidents", rs.getLong("n"));
                    double z = rs.getDouble("z");
                    if (!rs.wasNull()) out.writeNumberField("z", round(z, 3));
                    int bin = rs.getInt("bin");
                    if (!rs.wasNull()) out.writeNumberField("bin", bin);
                    String wardCode = rs.getString("ward_code");
                    if (wardCode == null) {
                        out.writeNullField("ward");
                    } else {
                        out.writeObjectFieldStart("ward");
                        out.writeStringField("code", wardCode);
                        out.writeStringField("name", rs.getString("ward_name"));
                        out.writeEndObject();
                    }
                    long nearest = rs.getLong("id");
                    if (rs.wasNull()) {
                        out.writeNullField("nearest");
                    } else {
                        out.writeObjectFieldStart("nearest");
                        out.writeNumberField("id", nearest);
                        out.writeStringField("name", rs.getString("name"));
                        out.writeStringField("category", rs.getString("category"));
                        out.writeStringField("kind", rs.getString("kind"));
                        out.writeNumberField("distance_m", round(rs.getDouble("distance"), 1));
                        out.writeEndObject();
                    }
                    out.writeEndObject();
                    out.writeEndObject();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("finding gaps failed", e);
        }
        out.writeEndArray();
        out.writeObjectFieldStart("meta");
        out.writeNumberField("gaps", gaps);
        out.writeNumberField("covered_hot_cells", n - gaps);
        out.writeStringField("rule", "a hot cell is a gap when no place or service of the category lies within distance_m of its centre");
        out.writeEndObject();
        out.writeEndObject();
    }

    private void writeOverlaps(GapRequest r, JsonGenerator out) throws IOException {
        SqlFragment chosen = AssetCategories.within("a.category", r.categories());
        SqlFragment area = r.filter().area().geometry();
        // with categories given, everything below them is one category for clustering (e.g. all youth provision)
        String group = r.categories().isEmpty() ? "a.category" : "?::text";
        String sql = """
                WITH provision AS (
                    SELECT a.id, a.name, a.kind, a.category, a.geom, %1$s AS grp,
                           ST_ClusterDBSCAN(a.geom, eps := ?, minpoints := 2) OVER (PARTITION BY %1$s) AS cluster
                    FROM asset a
                    WHERE %2$s%3$s AND ST_Intersects(a.geom, %4$s))
                SELECT p.grp, p.cluster, count(*) AS n,
                       json_agg(json_build_object('id', p.id, 'name', p.name, 'kind', p.kind, 'category', p.category) ORDER BY p.id)::text AS members,
                       ST_AsGeoJSON(ST_Transform(ST_Collect(p.geom), 4326), 6) AS geometry,
                       ST_MaxDistance(ST_Collect(p.geom), ST_Collect(p.geom)) AS spread
                FROM provision p WHERE p.cluster IS NOT NULL
                GROUP BY p.grp, p.cluster
                ORDER BY count(*) DESC, p.grp, p.cluster""".formatted(group, PROVISION,
                chosen.sql().isEmpty() ? "" : " AND " + chosen.sql(), area.sql());
        List<Object> params = new ArrayList<>();
        String joined = String.join(",", r.categories());
        if (!r.categories().isEmpty()) params.add(joined);
        params.add(r.overlapDistance());
        if (!r.categories().isEmpty()) params.add(joined);
        params.addAll(chosen.params());
        params.addAll(area.params());
        out.writeObjectFieldStart("overlaps");
        out.writeStringField("type", "FeatureCollection");
        out.writeArrayFieldStart("features");
        var mapper = aim.core.Json.mapper();
        int clusters = 0;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) ps.setObject(i + 1, params.get(i));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    clusters++;
                    out.writeStartObject();
                    out.writeStringField("type", "Feature");
                    out.writeStringField("id", "cluster:" + clusters);
                    out.writeFieldName("geometry");
                    out.writeRawValue(rs.getString("geometry"));
                    out.writeObjectFieldStart("properties");
                    out.writeStringField("category", rs.getString("grp"));
                    out.writeNumberField("count", rs.getInt("n"));
                    out.writeNumberField("spread_m", round(rs.getDouble("spread"), 1));
                    out.writeFieldName("members");
                    mapper.writeTree(out, mapper.readTree(rs.getString("members")));
                    out.writeEndObject();
                    out.writeEndObject();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("finding overlaps failed", e);
        }
        out.writeEndArray();
        out.writeObjectFieldStart("meta");
        out.writeNumberField("clusters", clusters);
        out.writeNumberField("eps_m", r.overlapDistance());
        out.writeNumberField("min_points", 2);
        out.writeStringField("rule", "ST_ClusterDBSCAN: places and services of the same category (the requested categories count as one)"
                + " each within eps_m of another member, inside the study area");
        out.writeEndObject();
        out.writeEndObject();
    }
}
