package aim.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;

/** Opens the connection pool and applies the SQL migrations in {@code migrations/} (packaged as db/migration). */
public final class Database {
    private Database() {
    }

    /**
     * A pool of at most {@code poolSize} connections; a caller waits at most {@code connectionTimeoutMs}
     * for one (then {@link java.sql.SQLTransientConnectionException}). Code holds one connection at a
     * time: taking a second while holding one deadlocks once every connection is held that way.
     */
    public static HikariDataSource connect(DatabaseUrl url, int poolSize, int connectionTimeoutMs) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(url.jdbcUrl());
        hikari.setUsername(url.user());
        hikari.setPassword(url.password());
        hikari.setMaximumPoolSize(poolSize);
        hikari.setConnectionTimeout(connectionTimeoutMs);
        hikari.setPoolName("aim");
        hikari.setInitializationFailTimeout(10_000);
        return new HikariDataSource(hikari);
    }

    public static void migrate(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }
}
