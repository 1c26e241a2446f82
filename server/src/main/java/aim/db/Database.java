package aim.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Opens the connection pool and applies the SQL migrations in {@code migrations/} (packaged as db/migration).
 * The migrations run as the database owner; the server may then connect as a role that can only read
 * and write rows ({@link #grantServing}).
 */
public final class Database {
    private Database() {
    }

    /**
     * A pool of at most {@code poolSize} connections; a caller waits at most {@code connectionTimeoutMs}
     * for one (then {@link java.sql.SQLTransientConnectionException}). Code holds one connection at a
     * time: taking a second while holding one deadlocks once every connection is held that way.
     */
    public static HikariDataSource connect(DatabaseUrl url, int poolSize, int connectionTimeoutMs) {
        HikariConfig hikari = config(url, poolSize, connectionTimeoutMs, "aim");
        hikari.setInitializationFailTimeout(10_000);
        return new HikariDataSource(hikari);
    }

    /**
     * A pool on a read replica (a hot standby): read-only sessions named {@value #REPLICA_APPLICATION_NAME},
     * and it opens even while the replica is down (its connections are made when first asked for).
     */
    static HikariDataSource connectReplica(DatabaseUrl url, int poolSize, int connectionTimeoutMs) {
        HikariConfig hikari = config(url, poolSize, connectionTimeoutMs, REPLICA_APPLICATION_NAME);
        hikari.setReadOnly(true);
        hikari.setInitializationFailTimeout(-1);
        return new HikariDataSource(hikari);
    }

    /** The application_name of the sessions of read-replica pools (visible in pg_stat_activity). */
    public static final String REPLICA_APPLICATION_NAME = "aim-read";

    private static HikariConfig config(DatabaseUrl url, int poolSize, int connectionTimeoutMs, String name) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(url.jdbcUrl());
        hikari.setUsername(url.user());
        hikari.setPassword(url.password());
        hikari.setMaximumPoolSize(poolSize);
        hikari.setConnectionTimeout(connectionTimeoutMs);
        hikari.setPoolName(name);
        hikari.addDataSourceProperty("ApplicationName", name);
        // Plans: nearly every AIM query is parameter-sensitive (a bbox, a window, a page after an id), and a generic
        // plan, which PostgreSQL may pick for a server-side prepared statement after five executions (pgJDBC
        // prepares one from its fifth), cannot tell a small page from the whole borough. So every session plans each
        // execution for its values, including the statements inside PL/pgSQL triggers; parsing is still saved.
        hikari.setConnectionInitSql("SET plan_cache_mode = force_custom_plan");
        return hikari;
    }

    public static void migrate(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    /**
     * Lets {@code role} read and write the rows of every table the owner (the caller's user) has made
     * or will make in schema public, and use their sequences, but nothing else: no DDL, no TRUNCATE,
     * and no writes to the migration history or PostGIS's spatial_ref_sys. Idempotent.
     */
    public static void grantServing(DataSource owner, String role) throws SQLException {
        String r = quoteIdentifier(role);
        try (Connection c = owner.getConnection(); Statement s = c.createStatement()) {
            s.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + r);
            s.execute("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO " + r);
            s.execute("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO " + r);
            s.execute("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO " + r);
            s.execute("REVOKE INSERT, UPDATE, DELETE ON flyway_schema_history FROM " + r);
            s.execute("REVOKE INSERT, UPDATE, DELETE ON spatial_ref_sys FROM " + r);
        }
    }

    /** Whether the pool's user is a PostgreSQL superuser (which the serving user should not be). */
    public static boolean isSuperuser(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    /** A role name as an SQL identifier (role names are ours or the operator's, never a request's). */
    static String quoteIdentifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
