package aim.bench;

import aim.testing.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The import benchmark, tiny, on real PostGIS: it runs, accounts for every row and prints its table. */
@Tag("postgis")
class IncidentImportBenchmarkTest {
    @TempDir
    Path dir;

    @Test
    void aSmallRunImportsThenFindsOnlyDuplicates() throws Exception {
        var log = new ByteArrayOutputStream();
        List<BenchmarkResult> results;
        try (var db = TestDatabase.fresh()) {
            results = new IncidentImportBenchmark().run(new BenchmarkContext(db, dir, Map.of("rows", "5000"),
                    new PrintStream(log, true, StandardCharsets.UTF_8)));
            try (var c = db.getConnection(); var st = c.createStatement(); var rs = st.executeQuery("SELECT count(*) FROM incident")) {
                rs.next();
                assertEquals(5_000, rs.getLong(1));
            }
        }
        // generate, import, re-import, and the raw COPY of the same rows without and with incident's indexes
        assertEquals(5, results.size());
        results.forEach(r -> assertEquals(5_000, r.rows()));
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("re-import: read 5,000, imported 0, duplicates 5,000"), log.toString());
        var table = new ByteArrayOutputStream();
        BenchmarkRunner.print(results, new PrintStream(table, true, StandardCharsets.UTF_8));
        assertTrue(table.toString(StandardCharsets.UTF_8).contains("police.uk import (COPY)"), table.toString());
        assertTrue(table.toString(StandardCharsets.UTF_8).contains("raw COPY, incident's indexes"), table.toString());
    }
}
