package aim.db;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of our own, run from the local PostgreSQL binaries in a directory such as
 * {@code ./var/pgdata}, so AIM needs no existing database server. It listens on 127.0.0.1 only, on a
 * free port, with password authentication; the password is generated on first start and kept in
 * {@code pgpassword} beside the data directory (mode 600). PostgreSQL refuses to run as root, so when
 * this process is root the server runs as the {@code postgres} user.
 *
 * <p>Two roles log in: {@value #SUPERUSER}, which owns the database and runs the migrations, and
 * {@value #APP_ROLE}, which the server uses: no superuser, no CREATEDB or CREATEROLE, and (once
 * {@link Database#grantServing} has run) only row access to the tables. Its password is generated too
 * and kept in {@code pgpassword-app} (mode 600).
 *
 * <p>If the cluster is already running (another {@code ./aim} command started it), {@link #start}
 * joins it and {@link #close} leaves it running.
 */
public final class PrivateCluster implements AutoCloseable {
    public static final String SUPERUSER = "aim";
    public static final String DATABASE = "aim";
    /** The role the server connects as. */
    public static final String APP_ROLE = "aim_app";

    /*
     * Settings beyond initdb's defaults (a cluster that is already running keeps its own). A 1,000,000-row police.uk
     * import with the demo borough's rollups writes about 1.3 GB of WAL (./aim bench incident-import prints it): at the
     * default max_wal_size of 1 GB a checkpoint began every ~540 MB of it, and after each one the next change to every
     * page logs the whole page again. At 4 GB such an import meets at most one. shared_buffers: 128 MB held less than
     * the incident key table and its indexes. wal_level stays replica (the read replicas need it).
     */
    private static final String SETTINGS = "-c max_wal_size=4GB -c shared_buffers=512MB";

    private final Path dataDir;
    private final Path binDir;
    private final int port;
    private final String password;
    private final boolean startedHere;
    private String appPassword;

    private PrivateCluster(Path dataDir, Path binDir, int port, String password, boolean startedHere) {
        this.dataDir = dataDir;
        this.binDir = binDir;
        this.port = port;
        this.password = password;
        this.startedHere = startedHere;
    }

    /** Initialises (first time) and starts the cluster in {@code dataDir}, creating database {@value DATABASE}. */
    public static PrivateCluster start(Path dataDir) throws IOException, InterruptedException {
        dataDir = dataDir.toAbsolutePath();
        Path binDir = findBinDir();
        Files.createDirectories(dataDir.getParent());
        String password = readOrCreatePassword(dataDir.resolveSibling("pgpassword"));
        if (!Files.exists(dataDir.resolve("PG_VERSION"))) {
            initdb(binDir, dataDir, password);
        }
        Integer running = runningPort(binDir, dataDir);
        PrivateCluster cluster;
        if (running != null) {
            cluster = new PrivateCluster(dataDir, binDir, running, password, false);
        } else {
            int port = freePort();
            run(binDir, "pg_ctl", "start", "-w", "-t", "60", "-D", dataDir.toString(),
                    "-l", dataDir.resolve("server.log").toString(),
                    "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories='' " + SETTINGS);
            cluster = new PrivateCluster(dataDir, binDir, port, password, true);
        }
        cluster.createDatabaseIfMissing(DATABASE);
        cluster.appPassword = readOrCreatePassword(dataDir.resolveSibling("pgpassword-app"));
        cluster.createAppRole();
        return cluster;
    }

    public DatabaseUrl url() {
        return url(DATABASE);
    }

    public DatabaseUrl url(String database) {
        return new DatabaseUrl("jdbc:postgresql://127.0.0.1:" + port + "/" + database, SUPERUSER, password);
    }

    /** The serving role {@value #APP_ROLE} on database {@value #DATABASE}. */
    public DatabaseUrl appUrl() {
        return new DatabaseUrl("jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE, APP_ROLE, appPassword);
    }

    public int port() {
        return port;
    }

    public void createDatabaseIfMissing(String database) throws IOException {
        try (Connection c = DriverManager.getConnection(url("postgres").jdbcUrl(), SUPERUSER, password);
             var exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, database);
            try (ResultSet rs = exists.executeQuery()) {
                if (!rs.next()) {
                    try (var create = c.createStatement()) {
                        // the name is ours (never from a request); quote it as an identifier anyway
                        create.execute("CREATE DATABASE \"" + database.replace("\"", "\"\"") + "\"");
                    }
                }
            }
        } catch (SQLException e) {
            throw new IOException("cannot create database " + database + " in the private cluster: " + e.getMessage(), e);
        }
    }

    /** Creates (or brings back in line) the login role {@value #APP_ROLE} with no special powers. */
    private void createAppRole() throws IOException {
        // the password is ours: URL-safe base64, so it needs no escaping inside the quotes
        String attributes = " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '" + appPassword + "'";
        try (Connection c = DriverManager.getConnection(url("postgres").jdbcUrl(), SUPERUSER, password);
             var exists = c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
            exists.setString(1, APP_ROLE);
            boolean found;
            try (ResultSet rs = exists.executeQuery()) {
                found = rs.next();
            }
            try (var s = c.createStatement()) {
                s.execute((found ? "ALTER ROLE " : "CREATE ROLE ") + Database.quoteIdentifier(APP_ROLE) + attributes);
            }
        } catch (SQLException e) {
            throw new IOException("cannot create the role " + APP_ROLE + " in the private cluster: " + e.getMessage(), e);
        }
    }

    /**
     * A hot standby of this cluster in {@code standbyDir} (which must not exist yet), streaming from it on
     * loopback and answering read-only queries on a port of its own: {@code pg_basebackup -R} (which writes
     * standby.signal and the connection to this primary), then started. The same roles and passwords work on it.
     * Used by tests of read replicas; {@link #close} stops it.
     */
    public PrivateCluster startStandby(Path standbyDir) throws IOException, InterruptedException {
        standbyDir = standbyDir.toAbsolutePath();
        Files.createDirectories(standbyDir.getParent());
        if (isRoot()) chownToPostgres(standbyDir.getParent());
        ProcessBuilder backup = process(binDir, "pg_basebackup", "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", SUPERUSER,
                "-D", standbyDir.toString(), "-R", "-X", "stream", "-c", "fast", "--no-password");
        backup.environment().put("PGPASSWORD", password);
        Process p = backup.redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("pg_basebackup failed: " + output.strip());
        int standbyPort = freePort();
        run(binDir, "pg_ctl", "start", "-w", "-t", "60", "-D", standbyDir.toString(),
                "-l", standbyDir.resolve("server.log").toString(),
                "-o", "-p " + standbyPort + " -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c hot_standby=on");
        PrivateCluster standby = new PrivateCluster(standbyDir, binDir, standbyPort, password, true);
        standby.appPassword = appPassword;
        return standby;
    }

    /** Stops the cluster if this object started it ("fast" shutdown: active sessions are ended). */
    @Override
    public void close() {
        if (!startedHere) return;
        try {
            run(binDir, "pg_ctl", "stop", "-w", "-m", "fast", "-D", dataDir.toString());
        } catch (IOException | InterruptedException e) {
            System.err.println("could not stop the private PostgreSQL cluster: " + e.getMessage());
        }
    }

    /** The newest PostgreSQL server binaries on this machine (AIM_PG_BIN overrides). */
    static Path findBinDir() throws IOException {
        String override = System.getenv("AIM_PG_BIN");
        if (override != null && !override.isBlank()) return Path.of(override);
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                var found = versions
                        .filter(v -> Files.isExecutable(v.resolve("bin/postgres")))
                        .max(Comparator.comparingInt(v -> parseIntOr(v.getFileName().toString(), 0)));
                if (found.isPresent()) return found.get().resolve("bin");
            }
        }
        throw new IOException("no PostgreSQL server found under /usr/lib/postgresql; install it with: "
                + "sudo apt-get install -y postgresql-15 postgresql-15-postgis-3 (or set AIM_DATABASE_URL)");
    }

    private static void initdb(Path binDir, Path dataDir, String password) throws IOException, InterruptedException {
        Files.createDirectories(dataDir);
        Path pwFile = Files.createTempFile("aim-pw", ".txt", SecretFile.ownerOnly());
        try {
            Files.writeString(pwFile, password + "\n");
            if (isRoot()) {
                chownToPostgres(dataDir);
                chownToPostgres(pwFile);
            }
            Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
            run(binDir, "initdb", "-D", dataDir.toString(), "-U", SUPERUSER, "--pwfile=" + pwFile,
                    "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions");
        } finally {
            Files.deleteIfExists(pwFile);
        }
    }

    private static Integer runningPort(Path binDir, Path dataDir) throws IOException, InterruptedException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) return null;
        Process status = process(binDir, "pg_ctl", "status", "-D", dataDir.toString()).start();
        status.getInputStream().readAllBytes();
        if (status.waitFor() != 0) return null;
        List<String> lines = Files.readAllLines(pidFile);
        return lines.size() > 3 ? parseIntOr(lines.get(3).trim(), -1) : null;
    }

    private static String readOrCreatePassword(Path file) throws IOException {
        if (Files.exists(file)) return Files.readString(file).trim();
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        SecretFile.write(file, password + "\n");
        return password;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void run(Path binDir, String... command) throws IOException, InterruptedException {
        Process p = process(binDir, command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(command[0] + " failed: " + output.strip());
        }
    }

    private static ProcessBuilder process(Path binDir, String... command) {
        List<String> args = new ArrayList<>();
        if (isRoot()) {
            args.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        args.add(binDir.resolve(command[0]).toString());
        args.addAll(List.of(command).subList(1, command.length));
        // the postgres user may not be allowed into our working directory
        return new ProcessBuilder(args).directory(Path.of(System.getProperty("java.io.tmpdir")).toFile());
    }

    private static void chownToPostgres(Path path) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("chown", "postgres:postgres", path.toString()).inheritIO().start();
        if (p.waitFor() != 0) throw new IOException("cannot chown " + path + " to the postgres user");
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static int parseIntOr(String s, int fallback) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
