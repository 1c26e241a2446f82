package aim.bench;

import aim.boundaries.BoundaryImportOptions;
import aim.boundaries.BoundaryImporter;
import aim.boundaries.BoundaryLevel;
import aim.boundaries.BoundaryRepository;
import aim.boundaries.NeighbourhoodBuilder;
import aim.boundaries.NeighbourhoodDefinition;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * England's wards for the national benchmark: the ONS December 2013 wards of all 322 English local
 * authorities in the shared open data ({@code geo-data/ons-wards-2013/}, one file per authority), written
 * as one GeoJSON file and imported through the real importer as one ward version; the authorities are
 * then defined as neighbourhoods (each the union of its wards), so a request can ask about one
 * authority ({@code area=neighbourhood:E06000002}). Incidents are snapped to points spread evenly over the
 * wards (by ward: an electoral ward has a roughly equal number of electors within its authority; the
 * census populations are by LSOA, whose boundaries the shared data has for five authorities only).
 */
final class NationalGeography {
    /** Snap points per ward (police.uk has a few dozen per ward). */
    static final int POINTS_PER_WARD = 24;

    private final Path shared;
    /** Authority code → its ward codes, in file order. */
    private final Map<String, List<String>> wardsByAuthority = new LinkedHashMap<>();

    NationalGeography(Path shared) {
        this.shared = shared;
    }

    /** Writes every authority's wards to {@code out} as one FeatureCollection; returns the number of wards. */
    int writeWards(Path out) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Path> files;
        try (Stream<Path> list = Files.list(shared.resolve("geo-data/ons-wards-2013"))) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        int wards = 0;
        try (JsonGenerator g = json.getFactory().createGenerator(out.toFile(), JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("type", "FeatureCollection");
            g.writeObjectFieldStart("crs");
            g.writeStringField("type", "name");
            g.writeObjectFieldStart("properties");
            g.writeStringField("name", "urn:ogc:def:crs:OGC:1.3:CRS84");
            g.writeEndObject();
            g.writeEndObject();
            g.writeArrayFieldStart("features");
            for (Path file : files) {
                String authority = file.getFileName().toString().replace(".json", "");
                List<String> codes = new ArrayList<>();
                for (JsonNode feature : json.readTree(file.toFile()).path("features")) {
                    codes.add(feature.path("properties").path("WD13CD").asText());
                    g.writeTree(feature);
                    wards++;
                }
                wardsByAuthority.put(authority, codes);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return wards;
    }

    /** Imports the written wards as ward version {@code version}. */
    static void importWards(DataSource db, Path file, String version) throws IOException {
        new BoundaryImporter(db).importFile(file, BoundaryImportOptions.of(BoundaryLevel.WARD).withVersion(version));
    }

    /** Each authority as a neighbourhood of ward version {@code wardVersion} (code = the authority's code). */
    void defineAuthorities(DataSource db, String version, String wardVersion) {
        List<NeighbourhoodDefinition> authorities = new ArrayList<>();
        wardsByAuthority.forEach((code, wards) -> authorities.add(new NeighbourhoodDefinition(code, "Authority " + code, wards)));
        new NeighbourhoodBuilder(db, new BoundaryRepository(db)).define(version, wardVersion, null, authorities, false, false);
    }

    int authorities() {
        return wardsByAuthority.size();
    }

    /**
     * {@link #POINTS_PER_WARD} random points inside each ward of ward version {@code version} (PostGIS
     * ST_GeneratePoints with a fixed seed, so the same each run), with their ward as the LSOA columns.
     */
    static SyntheticPoliceCsv.SnapPoints snapPoints(DataSource db, String version) throws SQLException {
        List<String> lon = new ArrayList<>(), lat = new ArrayList<>(), code = new ArrayList<>(), name = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT b.code, b.name, to_char(ST_X(p), 'FM990.000000'), to_char(ST_Y(p), 'FM990.000000')
                FROM boundary b JOIN boundary_set s ON s.id = b.set_id AND s.level = 'ward' AND s.version = ?
                CROSS JOIN LATERAL (SELECT ST_Transform((ST_Dump(ST_GeneratePoints(b.geom, ?, 20261207))).geom, 4326) AS p) d
                ORDER BY b.code""")) {
            ps.setString(1, version);
            ps.setInt(2, POINTS_PER_WARD);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    code.add(rs.getString(1));
                    name.add(rs.getString(2).replace(",", " ").replace("\"", ""));
                    lon.add(rs.getString(3));
                    lat.add(rs.getString(4));
                }
            }
        }
        return new SyntheticPoliceCsv.SnapPoints(lon.toArray(String[]::new), lat.toArray(String[]::new),
                code.toArray(String[]::new), name.toArray(String[]::new));
    }
}
