package aim.testing;

import aim.Config;
import aim.db.Database;
import aim.db.DatabaseUrl;
import aim.db.PrivateCluster;
import com.zaxxer.hikari.HikariDataSource;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Real PostGIS for tests: one server per test run (JVM), from (in order) AIM_TEST_DATABASE_URL (a server
 * where the user may create databases); Testcontainers when a Docker engine is present; else a private
 * cluster started from the local PostgreSQL binaries in a temporary directory.
 *
 * <p>The migrations run once per run, into a template database. Each {@link #fresh()} is a new database
 * copied from it ({@code CREATE DATABASE … TEMPLATE …}: a copy of its files, about a tenth of the time
 * that migrating an empty database takes), so every test class gets its own database with the
 * schema of {@code migrations/}, PostGIS, and no rows. {@link #close(HikariDataSource)} closes the pool
 * and drops the database; {@link Fresh} does both around a test class.
 */
public final class TestDatabase {
    /** Names are unique per run, so that runs sharing an AIM_TEST_DATABASE_URL server do not meet. */
    private static final String RUN = "aim_test_" + ProcessHandle.current().pid();
    private static final Map<HikariDataSource, String> CREATED = new IdentityHashMap<>();
    private static int counter;
    private static DatabaseUrl server;
    private static PrivateCluster cluster;
    private static boolean throwAway;
    private static String template;

    private TestDatabase() {
    }

    /** A new database with the migrations applied and no rows, pooled as configured by default. Close it when done. */
    public static HikariDataSource fresh() {
        return fresh(Config.fromEnvironment(Map.of()).capacity());
    }

    /**
     * A new database with the migrations applied and no rows, pooled as {@code capacity} says. Close it when
     * done, with {@link #close(HikariDataSource)} to drop it too.
     */
    public static synchronized HikariDataSource fresh(Config.Capacity capacity) {
        try {
            String source = template();
            String name = RUN + "_" + ++counter;
            execute("CREATE DATABASE " + name + " TEMPLATE " + source);
            HikariDataSource ds = Database.connect(server.withDatabase(name), capacity.dbPoolSize(), capacity.dbConnectionTimeoutMs());
            CREATED.put(ds, name);
            return ds;
        } catch (Exception e) {
            throw new IllegalStateException("cannot provide a test database: " + e.getMessage(), e);
        }
    }

    /**
     * Closes the pool and, when {@link #fresh} made its database, drops that (ending any session still
     * in it). Closing a pool only, without this, leaves the database until the end of the run.
     */
    public static void close(HikariDataSource dataSource) {
        dataSource.close();
        String name;
        synchronized (TestDatabase.class) {
            name = CREATED.remove(dataSource);
        }
        if (name == null) return;
        try {
            execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop the test database " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * The private cluster the run's databases live in, when the run started one from the local PostgreSQL binaries;
     * empty with AIM_TEST_DATABASE_URL or Testcontainers. (Tests that need a hot standby make one from it.)
     */
    public static synchronized java.util.Optional<PrivateCluster> privateCluster() {
        try {
            server();
        } catch (Exception e) {
            throw new IllegalStateException("cannot provide a test database: " + e.getMessage(), e);
        }
        return java.util.Optional.ofNullable(cluster);
    }

    /** The template: an empty database migrated once per run; nothing connects to it after that. */
    private static String template() throws Exception {
        if (template != null) return template;
        server();
        String name = RUN + "_template";
        execute("DROP DATABASE IF EXISTS " + name);
        execute("CREATE DATABASE " + name);
        try (HikariDataSource ds = Database.connect(server.withDatabase(name), 2, 30_000)) {
            Database.migrate(ds);
        }
        template = name;
        return name;
    }

    /** Runs one statement in the server's maintenance database. Every name here is ours, never a test's input. */
    private static void execute(String sql) throws SQLException {
        try (var c = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
             var s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static void server() throws Exception {
        if (server != null) return;
        String url = System.getenv("AIM_TEST_DATABASE_URL");
        if (url != null && !url.isBlank()) {
            server = DatabaseUrl.parse(url, System.getenv("AIM_TEST_DATABASE_USER"), System.getenv("AIM_TEST_DATABASE_PASSWORD"));
            // a shared server outlives the run: drop what the run made (classes that closed theirs dropped them already)
            Runtime.getRuntime().addShutdownHook(new Thread(TestDatabase::dropAll));
        } else if (dockerAvailable()) {
            var container = new PostgreSQLContainer<>(DockerImageName.parse("postgis/postgis:15-3.4")
                    .asCompatibleSubstituteFor("postgres"));
            container.start();
            server = new DatabaseUrl(container.getJdbcUrl(), container.getUsername(), container.getPassword());
            throwAway = true;
        } else {
            // the postgres user (when we are root) must be able to enter the directory
            Path dir = Files.createTempDirectory("aim-test-pg",
                    java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                            java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x")));
            PrivateCluster started = PrivateCluster.start(dir.resolve("pgdata"));
            cluster = started;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                started.close();
                deleteRecursively(dir);
            }));
            server = started.url("postgres");
            throwAway = true;
        }
        if (throwAway) {
            // a cluster that is deleted after the run needs no durability: no waiting for the disk on each commit
            execute("ALTER SYSTEM SET fsync = off");
            execute("ALTER SYSTEM SET synchronous_commit = off");
            execute("ALTER SYSTEM SET full_page_writes = off");
            execute("SELECT pg_reload_conf()");
        }
    }

    private static synchronized void dropAll() {
        List<String> names = new ArrayList<>(CREATED.values());
        if (template != null) names.add(template);
        for (String name : names) {
            try {
                execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (SQLException ignored) {
                // best effort at exit; the names carry the process id, so a later run never meets them
            }
        }
    }

    private static boolean dockerAvailable() {
        if (System.getenv("DOCKER_HOST") == null && !Files.exists(Path.of("/var/run/docker.sock"))) return false;
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
