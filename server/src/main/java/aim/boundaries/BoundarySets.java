package aim.boundaries;

import aim.core.DomainException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** SQL on boundary sets shared by the importers, run on the caller's connection and transaction. */
final class BoundarySets {
    private BoundarySets() {
    }

    /** Serialises imports of one level so two imports of the same version cannot interleave. */
    static void lockLevel(Connection c, BoundaryLevel level) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('boundary_set:' || ?))")) {
            ps.setString(1, level.id());
            ps.execute();
        }
    }

    static Long findId(Connection c, BoundaryLevel level, String version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM boundary_set WHERE level = ? AND version = ?")) {
            ps.setString(1, level.id());
            ps.setString(2, version);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    /** Deletes a set being replaced; refuses when neighbourhoods are built on it. */
    static void delete(Connection c, long setId, BoundaryLevel level, String version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT version FROM boundary_set WHERE based_on = ? LIMIT 1")) {
            ps.setLong(1, setId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    throw DomainException.conflict("version", level.id() + " version '" + version
                            + "' cannot be replaced: neighbourhood version '" + rs.getString(1) + "' is built on it");
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM boundary_set WHERE id = ?")) {
            ps.setLong(1, setId);
            ps.executeUpdate();
        }
    }

    /**
     * Marks a set, and the neighbourhood sets built on it (their populations are sums of its wards),
     * as changed so clients get a new ETag; drops the set's cached simplifications.
     */
    static void touch(Connection c, long setId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE boundary_set SET changed_at = clock_timestamp() WHERE id = ? OR based_on = ?;
                DELETE FROM boundary_simplified s USING boundary b WHERE s.boundary_id = b.id AND b.set_id = ?""")) {
            ps.setLong(1, setId);
            ps.setLong(2, setId);
            ps.setLong(3, setId);
            ps.execute();
        }
    }

    /**
     * Places every known incident point in the set's areas once and adds the set's area counts (point_area,
     * area_month_count: see migrations/V9__rollups.sql and V21__point_areas.sql), in the caller's transaction,
     * after the set's areas are stored.
     */
    static void assignIncidents(Connection c, long setId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT rollup_assign_set(?)")) {
            ps.setLong(1, setId);
            ps.execute();
        }
    }

    /** The ids of a set's areas by code. */
    static java.util.Map<String, Long> idsByCode(Connection c, long setId) throws SQLException {
        java.util.Map<String, Long> ids = new java.util.HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT code, id FROM boundary WHERE set_id = ?")) {
            ps.setLong(1, setId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) ids.put(rs.getString(1), rs.getLong(2));
            }
        }
        return ids;
    }
}
