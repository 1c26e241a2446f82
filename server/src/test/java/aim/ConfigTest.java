package aim;

import aim.db.DatabaseUrl;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigTest {

    @Test
    void defaultsWithoutEnvironment() {
        Config c = Config.fromEnvironment(Map.of());
        assertEquals(7070, c.port());
        assertNull(c.database(), "no URL: the private cluster");
        assertTrue(c.tileUrl().contains("openstreetmap"));
        assertTrue(c.tileAttribution().contains("OpenStreetMap contributors"));
    }

    @Test
    void environmentOverridesAndBadValuesNameTheVariable() {
        Config c = Config.fromEnvironment(Map.of("AIM_PORT", "8080", "AIM_TILE_URL", "",
                "AIM_DATABASE_URL", "postgresql://aim:s%40cret@db.example:5433/aim?sslmode=require"));
        assertEquals(8080, c.port());
        assertEquals("", c.tileUrl(), "an empty tile URL means no base map");
        assertEquals(new DatabaseUrl("jdbc:postgresql://db.example:5433/aim?sslmode=require", "aim", "s@cret"), c.database());

        var badPort = assertThrows(IllegalArgumentException.class, () -> Config.fromEnvironment(Map.of("AIM_PORT", "70000")));
        assertTrue(badPort.getMessage().contains("AIM_PORT"));
        var badUrl = assertThrows(IllegalArgumentException.class, () -> Config.fromEnvironment(Map.of("AIM_DATABASE_URL", "mysql://x")));
        assertTrue(badUrl.getMessage().contains("AIM_DATABASE_URL"));
    }

    @Test
    void capacityHasDefaultsForTwoCoresAndNamesABadVariable() {
        var defaults = Config.fromEnvironment(Map.of()).capacity();
        assertEquals(new Config.Capacity(10, 5000, 16, 500), defaults);
        var set = Config.fromEnvironment(Map.of("AIM_DB_POOL_SIZE", "4", "AIM_DB_CONNECTION_TIMEOUT_MS", "2000",
                "AIM_MAX_CONCURRENT_REQUESTS", "8", "AIM_REQUEST_QUEUE_MS", "0")).capacity();
        assertEquals(new Config.Capacity(4, 2000, 8, 0), set);
        for (String name : new String[]{"AIM_DB_POOL_SIZE", "AIM_DB_CONNECTION_TIMEOUT_MS", "AIM_MAX_CONCURRENT_REQUESTS", "AIM_REQUEST_QUEUE_MS"}) {
            var bad = assertThrows(IllegalArgumentException.class, () -> Config.fromEnvironment(Map.of(name, "-1")));
            assertTrue(bad.getMessage().contains(name), bad.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Config.fromEnvironment(Map.of("AIM_DB_POOL_SIZE", "0")));
    }

    @Test
    void databaseUrlCanNameAnotherDatabaseOnTheSameServer() {
        var url = DatabaseUrl.parse("jdbc:postgresql://127.0.0.1:5555/aim?ssl=false", "u", "p");
        assertEquals("jdbc:postgresql://127.0.0.1:5555/other?ssl=false", url.withDatabase("other").jdbcUrl());
        assertTrue(!url.toString().contains("p)") && !url.toString().contains("=p"), "the password is not printed");
    }

    @Test
    void commandLineReadsWordsOptionsAndFlags() {
        var cli = CommandLine.parse(new String[]{"import", "boundaries", "f.json", "--level", "ward", "--replace", "--year=2021"});
        assertEquals("f.json", cli.word(2));
        assertEquals("ward", cli.option("level"));
        assertTrue(cli.flag("replace"));
        assertEquals(2021, cli.intOption("year"));
        assertThrows(IllegalArgumentException.class, () -> CommandLine.parse(new String[]{"--level"}));
        assertThrows(IllegalArgumentException.class, () -> CommandLine.parse(new String[]{"--year", "soon"}).intOption("year"));
    }

    @Test
    void theCouncilIsNamedByTheEnvironmentAndKeepsUkTime() {
        assertEquals(java.time.ZoneId.of("Europe/London"), Config.fromEnvironment(Map.of()).council().zone());
        assertEquals("Middlesbrough", Config.fromEnvironment(Map.of("AIM_COUNCIL_NAME", " Middlesbrough ")).council().name());
    }

    @Test
    void statementTimeoutsAndReadReplicasComeFromTheEnvironment() {
        var defaults = Config.fromEnvironment(Map.of()).databaseUse();
        assertEquals(15_000, defaults.timeoutMs(aim.db.DatabaseRouter.Work.INTERACTIVE));
        assertEquals(120_000, defaults.timeoutMs(aim.db.DatabaseRouter.Work.EXPORT));
        assertEquals(900_000, defaults.timeoutMs(aim.db.DatabaseRouter.Work.IMPORT));
        assertEquals(java.util.List.of(), defaults.readUrls());
        assertEquals(10_000, defaults.readAfterWriteMs());
        var set = Config.fromEnvironment(Map.of("AIM_STATEMENT_TIMEOUT_MS", "2000", "AIM_EXPORT_STATEMENT_TIMEOUT_MS", "3000",
                "AIM_IMPORT_STATEMENT_TIMEOUT_MS", "4000", "AIM_READ_AFTER_WRITE_MS", "0", "AIM_DATABASE_USER", "aim_app",
                "AIM_DATABASE_READ_URL", "postgresql://replica-1:5432/aim, jdbc:postgresql://replica-2/aim")).databaseUse();
        assertEquals(2000, set.interactiveTimeoutMs());
        assertEquals(3000, set.exportTimeoutMs());
        assertEquals(4000, set.importTimeoutMs());
        assertEquals(0, set.readAfterWriteMs());
        assertEquals(java.util.List.of("jdbc:postgresql://replica-1:5432/aim", "jdbc:postgresql://replica-2/aim"),
                set.readUrls().stream().map(aim.db.DatabaseUrl::jdbcUrl).toList());
        assertEquals("aim_app", set.readUrls().get(1).user());
        var bad = assertThrows(IllegalArgumentException.class,
                () -> Config.fromEnvironment(Map.of("AIM_DATABASE_READ_URL", "replica-1:5432")));
        assertTrue(bad.getMessage().contains("AIM_DATABASE_READ_URL"), bad.getMessage());
        var badTimeout = assertThrows(IllegalArgumentException.class,
                () -> Config.fromEnvironment(Map.of("AIM_STATEMENT_TIMEOUT_MS", "soon")));
        assertTrue(badTimeout.getMessage().contains("AIM_STATEMENT_TIMEOUT_MS"), badTimeout.getMessage());
    }
}
