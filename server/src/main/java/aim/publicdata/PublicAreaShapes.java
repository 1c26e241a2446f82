package aim.publicdata;

import aim.boundaries.BoundarySet;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The outlines of the areas of a boundary set for the public GeoJSON: PostGIS simplifies each one
 * (tolerance {@value #TOLERANCE_METRES} m in EPSG:27700, topology kept) and writes it in WGS84 with
 * 6 decimals, streamed by code.
 */
public final class PublicAreaShapes {
    static final int TOLERANCE_METRES = 5;
    private static final String SQL = """
            SELECT b.code, ST_AsGeoJSON(ST_Transform(ST_SimplifyPreserveTopology(b.geom, ?), 4326), 6)
            FROM boundary b WHERE b.set_id = ? ORDER BY b.code""";

    private final DataSource dataSource;

    public PublicAreaShapes(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Receives each area's code and GeoJSON geometry. */
    @FunctionalInterface
    public interface Sink {
        void accept(String code, String geometry) throws java.io.IOException;
    }

    public void each(BoundarySet set, Sink sink) throws java.io.IOException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false); // a cursor: the outlines are streamed, never all held
            try (PreparedStatement ps = c.prepareStatement(SQL)) {
                ps.setFetchSize(100);
                ps.setInt(1, TOLERANCE_METRES);
                ps.setLong(2, set.id());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) sink.accept(rs.getString(1), rs.getString(2));
                }
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the outlines of " + set.level().id() + " " + set.version() + " failed", e);
        }
    }
}
