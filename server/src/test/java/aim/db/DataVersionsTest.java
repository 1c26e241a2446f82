package aim.db;

import aim.testing.Fresh;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every statement that changes a kind of data bumps its version (and no other), in its own transaction. */
@Tag("postgis")
class DataVersionsTest {
    @Fresh static HikariDataSource db;

    @Test
    void incidentInsertsUpdatesDeletesAndRetentionBumpTheIncidentsVersionOnly() throws Exception {
        var versions = new DataVersions(db);
        var before = versions.read("incidents", "boundaries", "assets", "problems");
        exec("""
                INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                SELECT 'council', 'env-graffiti', timestamptz '2025-07-01 10:00 Europe/London', 'day',
                       ST_SetSRID(ST_MakePoint(450000 + k, 520000), 27700), 'exact', 'dv-' || k
                FROM generate_series(1, 3) k""");
        var afterInsert = versions.read("incidents", "boundaries", "assets", "problems");
        assertEquals(before.get("incidents") + 1, afterInsert.get("incidents"), "one bump per statement, not per row");
        assertEquals(before.get("boundaries"), afterInsert.get("boundaries"));
        assertEquals(before.get("assets"), afterInsert.get("assets"));
        assertEquals(before.get("problems"), afterInsert.get("problems"));

        String tag = versions.tag("incidents", "boundaries");
        exec("UPDATE incident SET category = 'fly-tipping' WHERE external_key = 'dv-1'");
        assertNotEquals(tag, versions.tag("incidents", "boundaries"));
        tag = versions.tag("incidents");
        exec("DELETE FROM incident WHERE external_key = 'dv-2'");
        assertNotEquals(tag, versions.tag("incidents"));
        tag = versions.tag("incidents");
        exec("SELECT * FROM incident_drop_months_before(date '2025-08-01')");
        assertNotEquals(tag, versions.tag("incidents"), "retention's drop of whole months");

        tag = versions.tag("incidents");
        exec("UPDATE incident_category SET sensitive = NOT sensitive WHERE code = 'env-graffiti'");
        assertNotEquals(tag, versions.tag("incidents"), "a category made sensitive (or not) changes what callers may see");

        tag = versions.tag("incidents");
        exec("BEGIN; UPDATE incident SET category = 'env-graffiti'; ROLLBACK");
        assertEquals(tag, versions.tag("incidents"), "a rolled-back change leaves the version");
    }

    @Test
    void anUnknownKindIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> new DataVersions(db).tag("nothing"));
    }

    private static void exec(String sql) throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
