package aim.db;

import aim.core.DomainException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/** Whether the database answers, and which versions it runs (for the health endpoint). */
public final class DatabaseStatus {
    private static final String VERSIONS = """
            SELECT current_setting('server_version'), postgis_full_version(), (SELECT count(*) FROM boundary_set),
                   (SELECT max(version::int) FROM flyway_schema_history WHERE success AND version IS NOT NULL)
            """;

    /** The versions an admin may see: PostgreSQL, PostGIS, the latest migration, and how many boundary sets are loaded. */
    public record Versions(String postgresql, String postgis, int migration, long boundarySets) {
    }

    private final DataSource dataSource;

    public DatabaseStatus(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Asks the database; with {@code versions} also reads them. A database that does not answer is an
     * {@code UNAVAILABLE} failure, whose message names the cause only when {@code detailed}.
     */
    public Optional<Versions> check(boolean versions, boolean detailed) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(versions ? VERSIONS : "SELECT 1")) {
            rs.next();
            if (!versions) return Optional.empty();
            return Optional.of(new Versions(rs.getString(1), rs.getString(2), rs.getInt(4), rs.getLong(3)));
        } catch (SQLException e) {
            throw DomainException.unavailable(null, "the database is not reachable" + (detailed ? ": " + e.getMessage() : ""));
        }
    }
}
