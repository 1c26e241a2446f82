package aim.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;

/** Opens the connection pool and applies the SQL migrations in {@code migrations/} (packaged as db/migration). */
public final class Database {
    private Database() {
    }

    public static HikariDataSource connect(DatabaseUrl url) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(url.jdbcUrl());
        hikari.setUsername(url.user());
        hikari.setPassword(url.password());
        hikari.setMaximumPoolSize(8);
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
