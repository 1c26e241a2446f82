package aim.bench;

import aim.incidents.PoliceCsvImporter;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark's generated police.uk file looks like the real thing, and the same seed gives the same file. */
class SyntheticPoliceCsvTest {
    @TempDir
    Path dir;

    @Test
    void aSmallFileHasTheRealHeaderAndQuirks() throws Exception {
        Path file = dir.resolve("a.csv");
        SyntheticPoliceCsv.write(file, 20_000, 7);
        int rows = 0, asbWithoutId = 0, withoutLocation = 0, withId = 0;
        try (CSVParser csv = CSVParser.parse(file, StandardCharsets.UTF_8, CSVFormat.DEFAULT.builder().setHeader().build())) {
            assertEquals(PoliceCsvImporter.HEADER, csv.getHeaderNames());
            for (CSVRecord r : csv) {
                rows++;
                assertTrue(r.isConsistent(), "line " + (rows + 1));
                if (r.get("Crime type").equals("Anti-social behaviour")) {
                    assertEquals("", r.get("Crime ID"));
                    asbWithoutId++;
                } else {
                    assertEquals(64, r.get("Crime ID").length());
                    withId++;
                }
                if (r.get("Longitude").isEmpty()) {
                    withoutLocation++;
                } else {
                    double lon = Double.parseDouble(r.get("Longitude")), lat = Double.parseDouble(r.get("Latitude"));
                    assertTrue(lon >= SyntheticPoliceCsv.MIN_LON && lon <= SyntheticPoliceCsv.MAX_LON, r.toString());
                    assertTrue(lat >= SyntheticPoliceCsv.MIN_LAT && lat <= SyntheticPoliceCsv.MAX_LAT, r.toString());
                }
                assertTrue(r.get("Month").matches("2023-(0[1-9]|1[0-2])"), r.get("Month"));
            }
        }
        assertEquals(20_000, rows);
        assertTrue(asbWithoutId > 3_000 && asbWithoutId < 5_500, "about a fifth is ASB: " + asbWithoutId);
        assertTrue(withId > 14_000);
        assertTrue(withoutLocation > 0 && withoutLocation < 40, "a few rows have no location: " + withoutLocation);

        Path again = dir.resolve("b.csv");
        SyntheticPoliceCsv.write(again, 20_000, 7);
        assertEquals(-1, Files.mismatch(file, again));
    }
}
