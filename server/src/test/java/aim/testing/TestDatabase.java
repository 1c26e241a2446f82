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
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real PostGIS for tests, from (in order): AIM_TEST_DATABASE_URL (a server where the user may create
 * databases); Testcontainers when a Docker engine is present; else a private cluster started from the
 * local PostgreSQL binaries in a temporary directory. Each {@link #fresh()} is a new, migrated database.
 */
public final class TestDatabase {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static DatabaseUrl server;

    private TestDatabase() {
    }

    /** A new empty database with the migrations applied, pooled as configured by default. Close it when done. */
    public static HikariDataSource fresh() {
        return fresh(Config.fromEnvironment(Map.of()).capacity());
    }

    /** A new empty database with the migrations applied, pooled as {@code capacity} says. Close it when done. */
    public static synchronized HikariDataSource fresh(Config.Capacity capacity) {
        try {
            DatabaseUrl base = server();
            String name = "aim_test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
            try (var c = DriverManager.getConnection(base.jdbcUrl(), base.user(), base.password());
                 var s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name);
                s.execute("CREATE DATABASE " + name);
            }
            HikariDataSource ds = Database.connect(base.withDatabase(name), capacity.dbPoolSize(), capacity.dbConnectionTimeoutMs());
            Database.migrate(ds);
            return ds;
        } catch (Exception e) {
            throw new IllegalStateException("cannot provide a test database: " + e.getMessage(), e);
        }
    }

    private static DatabaseUrl server() throws Exception {
        if (server != null) return server;
        String url = System.getenv("AIM_TEST_DATABASE_URL");
        if (url != null && !url.isBlank()) {
            server = DatabaseUrl.parse(url, System.getenv("AIM_TEST_DATABASE_USER"), System.getenv("AIM_TEST_DATABASE_PASSWORD"));
        } else if (dockerAvailable()) {
            var container = new PostgreSQLContainer<>(DockerImageName.parse("postgis/postgis:15-3.4")
                    .asCompatibleSubstituteFor("postgres"));
            container.start();
            server = new DatabaseUrl(container.getJdbcUrl(), container.getUsername(), container.getPassword());
        } else {
            // the postgres user (when we are root) must be able to enter the directory
            Path dir = Files.createTempDirectory("aim-test-pg",
                    java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                            java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x")));
            PrivateCluster cluster = PrivateCluster.start(dir.resolve("pgdata"));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                cluster.close();
                deleteRecursively(dir);
            }));
            server = cluster.url("postgres");
        }
        return server;
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
