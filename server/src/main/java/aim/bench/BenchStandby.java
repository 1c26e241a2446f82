package aim.bench;

import aim.db.DatabaseUrl;
import aim.db.PrivateCluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A hot standby of the benchmark's private cluster ({@link PrivateCluster#startStandby}: pg_basebackup -R on
 * loopback), caught up with the primary, for the read-throughput step; closing stops it and deletes its files.
 */
final class BenchStandby implements AutoCloseable {
    private final Path dir;
    private final PrivateCluster standby;
    private final DatabaseUrl url;

    private BenchStandby(Path dir, PrivateCluster standby, DatabaseUrl url) {
        this.dir = dir;
        this.standby = standby;
        this.url = url;
    }

    /** Starts a standby of {@code cluster} and waits until it has replayed everything {@code primary} has written. */
    static BenchStandby start(PrivateCluster cluster, DatabaseUrl primary) throws Exception {
        // the postgres user (when we are root) must be able to reach the standby's directory
        Path dir = Files.createTempDirectory("aim-bench-standby", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        PrivateCluster standby;
        try {
            standby = cluster.startStandby(dir.resolve("pgdata"));
        } catch (IOException | InterruptedException e) {
            delete(dir);
            throw e;
        }
        String database = primary.jdbcUrl().substring(primary.jdbcUrl().lastIndexOf('/') + 1);
        var url = new DatabaseUrl("jdbc:postgresql://127.0.0.1:" + standby.port() + "/" + database, primary.user(), primary.password());
        var started = new BenchStandby(dir, standby, url);
        try {
            started.catchUp(primary);
        } catch (Exception e) {
            started.close();
            throw e;
        }
        return started;
    }

    /** The standby's database, as {@code postgresql://user:password@host:port/db} for AIM_DATABASE_READ_URL. */
    String readUrl() {
        return "postgresql://" + url.user() + ":" + url.password() + "@" + url.jdbcUrl().substring("jdbc:postgresql://".length());
    }

    private void catchUp(DatabaseUrl primary) throws SQLException, InterruptedException {
        String target;
        try (Connection c = DriverManager.getConnection(primary.jdbcUrl(), primary.user(), primary.password());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn()::text")) {
            rs.next();
            target = rs.getString(1);
        }
        long deadline = System.nanoTime() + 600_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT pg_last_wal_replay_lsn() >= '" + target + "'::pg_lsn")) {
                if (rs.next() && rs.getBoolean(1)) return;
            } catch (SQLException e) {
                // still starting: try again
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the standby did not catch up with the primary within 10 minutes");
    }

    @Override
    public void close() {
        standby.close();
        delete(dir);
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
