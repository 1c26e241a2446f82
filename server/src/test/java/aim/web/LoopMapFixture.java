package aim.web;

import aim.DemoLoader;
import aim.hotspots.FinancialQuarter;
import aim.testing.Browser;
import aim.testing.TestServer;
import org.openqa.selenium.logging.LogEntry;

import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the meeting-loop browser tests share: a planted cluster of hot cells, clicking a cell, the console check. */
final class LoopMapFixture {
    private LoopMapFixture() {
    }

    /**
     * Plants {@code n} "ASB: noise" reports within 120 m of the centre of the fifth demo ward, spread over
     * {@code quarter} (the hotspot panel's default period is the last complete one); returns the centre
     * as {lat, lon}.
     */
    static double[] plantCluster(TestServer server, FinancialQuarter quarter, int n, String keyPrefix) throws Exception {
        try (var c = server.dataSource.getConnection(); var st = c.createStatement()) {
            int planted = st.executeUpdate("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision,
                                          location_text, status, external_key)
                    SELECT 'council', 'asb-noise', ('%s'::date + (d.path[1] %% %d) + time '12:00') AT TIME ZONE 'Europe/London',
                           'day', d.geom, 'exact', 'Cluster street ' || d.path[1], 'open', '%s' || d.path[1]
                    FROM (SELECT b.geom FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                          WHERE s.level = 'ward' AND s.version = '%s' ORDER BY b.code OFFSET 4 LIMIT 1) w
                    CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(
                        ST_Intersection(ST_Buffer(ST_PointOnSurface(w.geom), 120), w.geom), %d, 7)) d
                    """.formatted(quarter.start(), quarter.end().toEpochDay() - quarter.start().toEpochDay() + 1,
                    keyPrefix, DemoLoader.VERSION, n));
            assertEquals(n, planted, "planted incidents");
            try (var rs = st.executeQuery("""
                    SELECT ST_Y(p), ST_X(p) FROM (SELECT ST_Transform(ST_PointOnSurface(b.geom), 4326) AS p
                    FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                    WHERE s.level = 'ward' AND s.version = '%s' ORDER BY b.code OFFSET 4 LIMIT 1) c""".formatted(DemoLoader.VERSION))) {
                assertTrue(rs.next());
                return new double[]{rs.getDouble(1), rs.getDouble(2)};
            }
        }
    }

    /** A pixel of the cell's path that nothing else covers, or null. */
    @SuppressWarnings("unchecked")
    static Map<String, Number> uncoveredPixel(Browser browser, String cell) {
        return (Map<String, Number>) browser.js("""
                const path = document.querySelector(`path.aim-hotspot-cell[data-cell="${arguments[0]}"]`);
                if (!path) return null;
                const r = path.getBoundingClientRect();
                for (let fy = 0.2; fy <= 0.8; fy += 0.1) for (let fx = 0.2; fx <= 0.8; fx += 0.1) {
                  const x = Math.round(r.left + r.width * fx), y = Math.round(r.top + r.height * fy);
                  if (document.elementFromPoint(x, y) === path) return {x, y};
                }
                return null;""", cell);
    }

    static void assertNoConsoleErrors(Browser browser) {
        List<String> errors = browser.console().stream().filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .toList();
        assertTrue(errors.isEmpty(), "browser console errors: " + errors);
    }
}
