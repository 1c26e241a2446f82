package aim.ogc;

import aim.testing.Fresh;
import aim.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static aim.ogc.OgcFixture.count;
import static aim.testing.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real client: GDAL's OGC API – Features driver ({@code OAPIF}, GDAL 3.6 from Debian) lists and copies every
 * collection over HTTP, following the next links, with a bearer token for the signed-in collections
 * ({@code GDAL_HTTP_HEADERS}). Skipped only when {@code ogrinfo} is not installed.
 */
@Tag("postgis")
class OgcGdalTest {
    @Fresh static TestServer server;
    static String ogc;

    @BeforeAll
    static void load(@TempDir Path dir) throws Exception {
        assumeTrue(installed(), "GDAL (ogrinfo, ogr2ogr) is not installed");
        OgcFixture.load(server, dir);
        ogc = "OAPIF:" + server.url("/ogc");
    }

    @Test
    void ogrinfoListsEveryWardWithItsFields() throws Exception {
        String info = run(null, "ogrinfo", "-ro", "-so", ogc, "wards");
        assertEquals(count(server, "SELECT count(*) FROM boundary b JOIN boundary_set s ON s.id = b.set_id "
                + "WHERE s.level = 'ward' AND s.version = 'demo'"), featureCount(info), info);
        for (String field : OgcCollection.WARDS.fields().keySet()) assertTrue(info.contains("\n" + field + ": "), field + " in\n" + info);
        // a signed-out client sees only the public collections
        String layers = run(null, "ogrinfo", "-ro", "-q", ogc);
        assertTrue(layers.contains("wards") && layers.contains("lsoa"), layers);
        assertTrue(!layers.contains("incidents"), layers);
    }

    @Test
    void ogr2ogrCopiesEveryFeatureAndFieldOfEveryCollection(@TempDir Path dir) throws Exception {
        for (OgcCollection c : OgcCollection.values()) {
            String token = c.signedIn() ? OgcFixture.analyst : null;
            Path out = dir.resolve(c.id() + ".gpkg");
            run(token, "ogr2ogr", "-f", "GPKG", out.toString(), ogc, c.id());
            String info = run(null, "ogrinfo", "-ro", "-so", out.toString(), c.id());
            long expected = json(server.get("/ogc/collections/" + c.id() + "/items?limit=1",
                    "Authorization", "Bearer " + OgcFixture.analyst)).path("numberMatched").asLong();
            assertTrue(expected > 0, c.id() + " has features to copy");
            assertEquals(expected, featureCount(info), c.id() + ":\n" + info);
            for (String field : c.fields().keySet()) {
                if (field.equals("id") && c.numericIds()) continue; // the feature id, which GDAL keeps as the FID
                assertTrue(info.contains("\n" + field + ": "), c.id() + "." + field + " in\n" + info);
            }
        }
        assertEquals(count(server, "SELECT count(*) FROM incident WHERE geom IS NOT NULL"),
                json(server.get("/ogc/collections/incidents/items?limit=1", "Authorization", "Bearer " + OgcFixture.analyst))
                        .path("numberMatched").asLong());
    }

    @Test
    void smallPagesAreFollowedToTheEnd(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("paged.gpkg");
        run(OgcFixture.analyst, "ogr2ogr", "-f", "GPKG", out.toString(), "-oo", "PAGE_SIZE=7", ogc, "wards", "incidents");
        assertEquals(20, featureCount(run(null, "ogrinfo", "-ro", "-so", out.toString(), "wards")));
        assertEquals(count(server, "SELECT count(*) FROM incident WHERE geom IS NOT NULL"),
                featureCount(run(null, "ogrinfo", "-ro", "-so", out.toString(), "incidents")));
    }

    @Test
    void aSpatialFilterGetsTheSubsetPostgisGives(@TempDir Path dir) throws Exception {
        double[] e = new double[4];
        try (var c = server.dataSource.getConnection(); var rs = c.createStatement().executeQuery("""
                SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(ST_Transform(geom, 4326)) AS e
                FROM incident WHERE geom IS NOT NULL) x""")) {
            rs.next();
            for (int k = 0; k < 4; k++) e[k] = rs.getDouble(k + 1);
        }
        double x1 = e[0] + (e[2] - e[0]) * 0.55, y1 = e[1] + (e[3] - e[1]) * 0.45;
        Path out = dir.resolve("box.gpkg");
        run(OgcFixture.analyst, "ogr2ogr", "-f", "GPKG", out.toString(), ogc, "incidents", "-spat",
                fmt(e[0] - 0.001), fmt(e[1] - 0.001), fmt(x1), fmt(y1));
        long expected = count(server, "SELECT count(*) FROM incident WHERE geom IS NOT NULL AND ST_Intersects(ST_Transform(geom, 4326), "
                + "ST_MakeEnvelope(?, ?, ?, ?, 4326))", Double.parseDouble(fmt(e[0] - 0.001)), Double.parseDouble(fmt(e[1] - 0.001)),
                Double.parseDouble(fmt(x1)), Double.parseDouble(fmt(y1)));
        assertTrue(expected > 10 && expected < count(server, "SELECT count(*) FROM incident WHERE geom IS NOT NULL"), "a subset: " + expected);
        assertEquals(expected, featureCount(run(null, "ogrinfo", "-ro", "-so", out.toString(), "incidents")));
    }

    @Test
    void aViewersTokenGetsTheRedactedIncidents(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("viewer.gpkg");
        run(OgcFixture.viewer, "ogr2ogr", "-f", "GPKG", out.toString(), ogc, "incidents");
        String feature = run(null, "ogrinfo", "-ro", out.toString(), "incidents", "-fid", Long.toString(OgcFixture.reportId));
        assertTrue(feature.contains("location_precision (String) = generalised"), feature);
        assertTrue(!feature.contains("shouting over the fence") && !feature.contains("Mrs Resident") && !feature.contains("Quiet Lane"), feature);
        Matcher point = Pattern.compile("POINT \\(([-0-9.]+) ([-0-9.]+)\\)").matcher(feature);
        assertTrue(point.find(), feature);
        double cx = Math.floor(OgcFixture.PX / 500) * 500 + 250, cy = Math.floor(OgcFixture.PY / 500) * 500 + 250;
        String centre = OgcFixture.scalar(server, "SELECT ST_X(p) || ' ' || ST_Y(p) FROM (SELECT ST_Transform(ST_SetSRID("
                + "ST_MakePoint(?, ?), 27700), 4326) AS p) x", cx, cy);
        assertEquals(Double.parseDouble(centre.split(" ")[0]), Double.parseDouble(point.group(1)), 1e-6);
        assertEquals(Double.parseDouble(centre.split(" ")[1]), Double.parseDouble(point.group(2)), 1e-6);
        // without a token, GDAL gets no incidents
        Path none = dir.resolve("none.gpkg");
        var p = process(null, "ogr2ogr", "-f", "GPKG", none.toString(), ogc, "incidents");
        assertTrue(p.exit != 0, p.output);
    }

    // ---- running GDAL

    record Result(int exit, String output) {
    }

    static String run(String token, String... command) throws Exception {
        Result r = process(token, command);
        assertEquals(0, r.exit, String.join(" ", command) + ":\n" + r.output);
        return r.output;
    }

    static Result process(String token, String... command) throws Exception {
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        // the token goes in the environment, not on the command line; no proxy for the local server
        if (token != null) env.put("GDAL_HTTP_HEADERS", "Authorization: Bearer " + token);
        env.put("NO_PROXY", "localhost,127.0.0.1");
        env.put("no_proxy", "localhost,127.0.0.1");
        env.put("CPL_DEBUG", "OFF");
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "GDAL finished");
        return new Result(p.exitValue(), output);
    }

    static long featureCount(String info) {
        Matcher m = Pattern.compile("Feature Count: (\\d+)").matcher(info);
        assertTrue(m.find(), info);
        return Long.parseLong(m.group(1));
    }

    static String fmt(double d) {
        return String.format(Locale.ROOT, "%.6f", d);
    }

    static boolean installed() {
        try {
            return new ProcessBuilder("ogrinfo", "--version").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
