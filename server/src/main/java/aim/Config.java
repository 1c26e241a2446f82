package aim;

import aim.db.DatabaseUrl;

import java.nio.file.Path;
import java.util.Map;

/**
 * The one immutable configuration of an AIM process. Defaults live here and nowhere else;
 * environment variables override them. A missing or malformed value fails fast with a message
 * naming the variable.
 *
 * @param port            HTTP port (AIM_PORT, default 7070; 0 = any free port)
 * @param database        the database to use (AIM_DATABASE_URL); null = the private cluster under dataDir
 * @param dataDir         where the private cluster and generated demo files live (AIM_DATA_DIR, default ./var)
 * @param tileUrl         base-map tile URL template (AIM_TILE_URL); empty = no base map
 * @param tileAttribution attribution shown for the base map (AIM_TILE_ATTRIBUTION)
 * @param tileMaxZoom     highest zoom the tile server offers (AIM_TILE_MAX_ZOOM)
 * @param maxSimplifyMetres largest boundary simplification tolerance a client may ask for, in metres
 * @param maxPageSize     most features one page of a list may hold (AIM_MAX_PAGE_SIZE, default 5000)
 * @param assetStaleDays  an asset not checked for more than this many days is flagged stale (AIM_ASSET_STALE_DAYS, default 365)
 * @param maxImportBytes  largest import upload (boundary, population, incident and asset files), in bytes
 *                        (AIM_MAX_IMPORT_BYTES, default 512 MB); uploads go to temporary files, never whole into memory
 */
public record Config(
        int port,
        DatabaseUrl database,
        Path dataDir,
        String tileUrl,
        String tileAttribution,
        int tileMaxZoom,
        int maxSimplifyMetres,
        int maxPageSize,
        int assetStaleDays,
        long maxImportBytes) {

    public static final String DEFAULT_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
    public static final String DEFAULT_TILE_ATTRIBUTION =
            "© OpenStreetMap contributors";

    public static Config fromEnvironment(Map<String, String> env) {
        String url = blankToNull(env.get("AIM_DATABASE_URL"));
        return new Config(
                intValue(env, "AIM_PORT", 7070, 0, 65535),
                url == null ? null : DatabaseUrl.parse(url, env.get("AIM_DATABASE_USER"), env.get("AIM_DATABASE_PASSWORD")),
                Path.of(env.getOrDefault("AIM_DATA_DIR", "var")).toAbsolutePath(),
                env.getOrDefault("AIM_TILE_URL", DEFAULT_TILE_URL),
                env.getOrDefault("AIM_TILE_ATTRIBUTION", DEFAULT_TILE_ATTRIBUTION),
                intValue(env, "AIM_TILE_MAX_ZOOM", 19, 1, 24),
                2000,
                intValue(env, "AIM_MAX_PAGE_SIZE", 5000, 1, 100_000),
                intValue(env, "AIM_ASSET_STALE_DAYS", 365, 1, 36_500),
                longValue(env, "AIM_MAX_IMPORT_BYTES", 512L * 1024 * 1024, 1024, 64L * 1024 * 1024 * 1024));
    }

    public Config withPort(int newPort) {
        return new Config(newPort, database, dataDir, tileUrl, tileAttribution, tileMaxZoom, maxSimplifyMetres, maxPageSize, assetStaleDays, maxImportBytes);
    }

    public Config withDatabase(DatabaseUrl newDatabase) {
        return new Config(port, newDatabase, dataDir, tileUrl, tileAttribution, tileMaxZoom, maxSimplifyMetres, maxPageSize, assetStaleDays, maxImportBytes);
    }

    private static int intValue(Map<String, String> env, String name, int fallback, int min, int max) {
        String raw = blankToNull(env.get(name));
        if (raw == null) return fallback;
        try {
            int value = Integer.parseInt(raw.trim());
            if (value < min || value > max) throw new NumberFormatException();
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max + ", not '" + raw + "'");
        }
    }

    private static long longValue(Map<String, String> env, String name, long fallback, long min, long max) {
        String raw = blankToNull(env.get(name));
        if (raw == null) return fallback;
        try {
            long value = Long.parseLong(raw.trim());
            if (value < min || value > max) throw new NumberFormatException();
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max + ", not '" + raw + "'");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
