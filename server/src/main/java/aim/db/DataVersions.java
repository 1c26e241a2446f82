package aim.db;

import aim.core.DomainException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.TreeMap;

/**
 * The data versions of migration V17: one counter per kind of data ({@code incidents}, {@code boundaries},
 * {@code assets}, {@code problems}), bumped by triggers in the transaction of every statement that changes it.
 * An ETag or cache key built from the versions a response depends on changes exactly when that data does.
 */
public final class DataVersions {
    /** The kinds of data with a version. */
    public static final List<String> KINDS = List.of("incidents", "boundaries", "assets", "problems");

    private static final String READ = "SELECT name, version FROM data_version WHERE name = ANY (?)";

    private final DataSource dataSource;

    public DataVersions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * A short tag for the current versions of the named kinds, e.g. {@code "incidents.12-boundaries.3"}
     * (in the order given); add the request's own parameters to it to make an ETag.
     */
    public String tag(String... kinds) {
        try (Connection c = dataSource.getConnection()) {
            return tag(c, kinds);
        } catch (SQLException e) {
            throw DomainException.unavailable(null, "the database is not reachable");
        }
    }

    /**
     * {@link #tag} read on {@code c}, e.g. inside a repeatable-read transaction, so that the tag names
     * exactly the data that transaction's other statements see.
     */
    public static String tag(Connection c, String... kinds) throws SQLException {
        var versions = read(c, kinds);
        var tag = new StringBuilder();
        for (String kind : kinds) {
            if (!versions.containsKey(kind)) throw new IllegalArgumentException("no data version named " + kind);
            if (!tag.isEmpty()) tag.append('-');
            tag.append(kind).append('.').append(versions.get(kind));
        }
        return tag.toString();
    }

    /** The current version of each named kind. */
    public TreeMap<String, Long> read(String... kinds) {
        try (Connection c = dataSource.getConnection()) {
            return read(c, kinds);
        } catch (SQLException e) {
            throw DomainException.unavailable(null, "the database is not reachable");
        }
    }

    private static TreeMap<String, Long> read(Connection c, String... kinds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(READ)) {
            ps.setArray(1, c.createArrayOf("text", kinds));
            var versions = new TreeMap<String, Long>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) versions.put(rs.getString(1), rs.getLong(2));
            }
            return versions;
        }
    }
}
