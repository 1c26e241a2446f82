package aim;

import aim.core.Council;
import aim.db.DatabaseRouter;
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
 * @param tokenDays       an API token works for this many days after it is issued (AIM_TOKEN_DAYS, default 180)
 * @param publicOrigin    the origin browsers see, e.g. {@code https://aim.example.gov.uk}, when a proxy changes the
 *                        Host header (AIM_PUBLIC_ORIGIN); null = the Host header of each request. Browser writes
 *                        from any other origin are refused; an https origin makes the session cookie Secure.
 * @param loginFailuresPerMinute failed log-ins one remote address may make in any minute before 429
 *                        (AIM_LOGIN_FAILURES_PER_MINUTE, default 20)
 * @param capacity        how much work the server takes on at once (database pool, concurrent API requests)
 * @param maxImportBytes  largest import upload (boundary, population, incident and asset files), in bytes
 *                        (AIM_MAX_IMPORT_BYTES, default 512 MB); uploads go to temporary files, never whole into memory
 * @param host            the address the server listens on (AIM_HOST, default 127.0.0.1: this machine only; 0.0.0.0 = every interface)
 * @param databaseOwner   the database owner that runs the migrations (AIM_DATABASE_OWNER_URL, with AIM_DATABASE_OWNER_USER and
 *                        AIM_DATABASE_OWNER_PASSWORD); null = the serving user of AIM_DATABASE_URL runs them
 * @param council         the council served: its name (AIM_COUNCIL_NAME) and the time zone its days are counted in
 * @param databaseUse     statement timeouts per request class and read replicas ({@link DatabaseRouter.Settings})
 * @param publicSuppressBelow the public view publishes counts from 1 to this minus 1 as "&lt;this"
 *                        (AIM_PUBLIC_SUPPRESS_BELOW, default 5: 1–4 become "&lt;5"; at least 3, so 1 and 2 are always suppressed)
 * @param vectorTileMaxZoom highest zoom of AIM's own vector tiles, /tiles (AIM_VECTOR_TILE_MAX_ZOOM, default 22, 14 to 24)
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
        int tokenDays,
        String publicOrigin,
        int loginFailuresPerMinute,
        Capacity capacity,
        long maxImportBytes,

        String host,
        DatabaseUrl databaseOwner,
        Council council,
        DatabaseRouter.Settings databaseUse,
        int publicSuppressBelow, int vectorTileMaxZoom) {

    public static final String DEFAULT_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
    public static final String DEFAULT_TILE_ATTRIBUTION =
            "© OpenStreetMap contributors";
    public static final int DEFAULT_TOKEN_DAYS = 180;

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
                intValue(env, "AIM_TOKEN_DAYS", DEFAULT_TOKEN_DAYS, 1, 3650),
                origin(env, "AIM_PUBLIC_ORIGIN"),
                intValue(env, "AIM_LOGIN_FAILURES_PER_MINUTE", 20, 1, 10_000),
                new Capacity(
                        intValue(env, "AIM_DB_POOL_SIZE", 10, 1, 500),
                        intValue(env, "AIM_DB_CONNECTION_TIMEOUT_MS", 5000, 250, 600_000),
                        intValue(env, "AIM_MAX_CONCURRENT_REQUESTS", 16, 1, 10_000),
                        intValue(env, "AIM_REQUEST_QUEUE_MS", 500, 0, 600_000)),
                longValue(env, "AIM_MAX_IMPORT_BYTES", 512L * 1024 * 1024, 1024, 64L * 1024 * 1024 * 1024),
                host(env.getOrDefault("AIM_HOST", "127.0.0.1"), "AIM_HOST"),
                ownerUrl(env),
                new Council(env.getOrDefault("AIM_COUNCIL_NAME", "Demo borough").strip(), Council.UK),
                new DatabaseRouter.Settings(
                        intValue(env, "AIM_STATEMENT_TIMEOUT_MS", 15_000, 10, 3_600_000),
                        intValue(env, "AIM_EXPORT_STATEMENT_TIMEOUT_MS", 120_000, 10, 86_400_000),
                        intValue(env, "AIM_IMPORT_STATEMENT_TIMEOUT_MS", 900_000, 10, 86_400_000),
                        readUrls(env),
                        intValue(env, "AIM_READ_AFTER_WRITE_MS", 10_000, 0, 3_600_000)),
                intValue(env, "AIM_PUBLIC_SUPPRESS_BELOW", 5, 3, 1000),
                intValue(env, "AIM_VECTOR_TILE_MAX_ZOOM", 22, 14, 24));
    }

    /** AIM_DATABASE_READ_URL: read replicas, comma-separated, with AIM_DATABASE_USER/PASSWORD unless a URL names its own. */
    private static java.util.List<DatabaseUrl> readUrls(Map<String, String> env) {
        String urls = blankToNull(env.get("AIM_DATABASE_READ_URL"));
        if (urls == null) return java.util.List.of();
        java.util.List<DatabaseUrl> parsed = new java.util.ArrayList<>();
        for (String url : urls.split(",")) {
            if (url.isBlank()) continue;
            try {
                parsed.add(DatabaseUrl.parse(url.trim(), env.get("AIM_DATABASE_USER"), env.get("AIM_DATABASE_PASSWORD")));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage().replace("AIM_DATABASE_URL", "each URL of AIM_DATABASE_READ_URL"));
            }
        }
        return java.util.List.copyOf(parsed);
    }

    private static DatabaseUrl ownerUrl(Map<String, String> env) {
        String url = blankToNull(env.get("AIM_DATABASE_OWNER_URL"));
        if (url == null) return null;
        if (blankToNull(env.get("AIM_DATABASE_URL")) == null) {
            throw new IllegalArgumentException("AIM_DATABASE_OWNER_URL needs AIM_DATABASE_URL (the serving user's database)");
        }
        try {
            return DatabaseUrl.parse(url, env.get("AIM_DATABASE_OWNER_USER"), env.get("AIM_DATABASE_OWNER_PASSWORD"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().replace("AIM_DATABASE_URL", "AIM_DATABASE_OWNER_URL"));
        }
    }

    /** A listening address: a host name or IP address, nothing else (no scheme, port or path). */
    public static String host(String value, String name) {
        String host = value == null ? "" : value.trim();
        if (!host.matches("[A-Za-z0-9.:\\-]+|\\[[0-9A-Fa-f:.]+]")) {
            throw new IllegalArgumentException(name + " must be a host name or IP address such as 127.0.0.1 or 0.0.0.0, not '" + value + "'");
        }
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    /**
     * How much work the server takes on at once. Each API request holds at most one pooled database
     * connection at a time; requests beyond {@code maxConcurrentRequests} wait up to {@code queueMillis}
     * for a slot and are then answered 503 with Retry-After (static files are not counted).
     *
     * @param dbPoolSize              database connections in the pool (AIM_DB_POOL_SIZE, default 10)
     * @param dbConnectionTimeoutMs   longest wait for a pooled connection before the request fails with 503 (AIM_DB_CONNECTION_TIMEOUT_MS, default 5000)
     * @param maxConcurrentRequests   API requests served at once (AIM_MAX_CONCURRENT_REQUESTS, default 16)
     * @param queueMillis             longest wait of an API request for a free slot (AIM_REQUEST_QUEUE_MS, default 500)
     */
    public record Capacity(int dbPoolSize, int dbConnectionTimeoutMs, int maxConcurrentRequests, int queueMillis) {
    }

    public Config withPort(int newPort) {
        return new Config(newPort, database, dataDir, tileUrl, tileAttribution, tileMaxZoom, maxSimplifyMetres, maxPageSize, assetStaleDays,
                tokenDays, publicOrigin, loginFailuresPerMinute, capacity, maxImportBytes,
                host, databaseOwner, council, databaseUse, publicSuppressBelow, vectorTileMaxZoom);
    }

    public Config withDatabase(DatabaseUrl newDatabase) {
        return new Config(port, newDatabase, dataDir, tileUrl, tileAttribution, tileMaxZoom, maxSimplifyMetres, maxPageSize, assetStaleDays,
                tokenDays, publicOrigin, loginFailuresPerMinute, capacity, maxImportBytes,
                host, databaseOwner, council, databaseUse, publicSuppressBelow, vectorTileMaxZoom);
    }

    public Config withCapacity(Capacity newCapacity) {
        return new Config(port, database, dataDir, tileUrl, tileAttribution, tileMaxZoom, maxSimplifyMetres, maxPageSize, assetStaleDays,
                tokenDays, publicOrigin, loginFailuresPerMinute, newCapacity, maxImportBytes,
                host, databaseOwner, council, databaseUse, publicSuppressBelow, vectorTileMaxZoom);
    }

    public Config withHost(String newHost) {
        return new Config(port, database, dataDir, tileUrl, tileAttribution, tileMaxZoom, maxSimplifyMetres, maxPageSize, assetStaleDays,
                tokenDays, publicOrigin, loginFailuresPerMinute, capacity, maxImportBytes,
                host(newHost, "--host"), databaseOwner, council, databaseUse, publicSuppressBelow, vectorTileMaxZoom);
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

    /** {@code scheme://host[:port]}, without a path or a trailing slash, or null when unset. */
    private static String origin(Map<String, String> env, String name) {
        String raw = blankToNull(env.get(name));
        if (raw == null) return null;
        String value = raw.trim().replaceAll("/+$", "");
        if (!value.matches("(?i)https?://[a-z0-9.\\[\\]:-]+")) {
            throw new IllegalArgumentException(name + " must be an origin such as https://aim.example.gov.uk (no path), not '" + raw + "'");
        }
        return value.toLowerCase(java.util.Locale.ROOT);
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
