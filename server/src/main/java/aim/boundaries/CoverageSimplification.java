package aim.boundaries;

import org.locationtech.jts.coverage.CoverageSimplifier;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKBReader;
import org.locationtech.jts.io.WKBWriter;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Simplified copies of a boundary set for low zoom levels. Simplifying each polygon on its own
 * opens slivers and overlaps between neighbours; JTS's {@link CoverageSimplifier} simplifies every
 * shared edge once, so neighbouring areas still meet exactly. Results are cached per set and
 * tolerance (metres, EPSG:27700) in {@code boundary_simplified} and dropped when the set changes.
 *
 * <p>Known limit: the whole set's geometries are held in memory while simplifying (a ward set of all
 * England is ~7,600 polygons); incidents never pass through here.
 */
final class CoverageSimplification {
    /** Tolerances a client may get, in metres: a request is rounded down to one of these. */
    static final int[] LADDER = {0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000};

    private final DataSource dataSource;

    CoverageSimplification(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    static int roundDown(int requested) {
        int chosen = 0;
        for (int step : LADDER) if (step <= requested) chosen = step;
        return chosen;
    }

    /** Makes sure the simplified copy of {@code set} at {@code tolerance} metres exists. */
    void ensure(BoundarySet set, int tolerance) {
        if (tolerance <= 0 || set.featureCount() == 0) return;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                // one builder per set and tolerance at a time; later callers find the rows made
                try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?, ?)")) {
                    lock.setInt(1, (int) set.id());
                    lock.setInt(2, tolerance);
                    lock.execute();
                }
                if (!complete(c, set, tolerance)) build(c, set, tolerance);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("simplifying boundaries failed", e);
        }
    }

    private static boolean complete(Connection c, BoundarySet set, int tolerance) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT count(*) = (SELECT count(*) FROM boundary WHERE set_id = ?)
                FROM boundary_simplified s JOIN boundary b ON b.id = s.boundary_id
                WHERE b.set_id = ? AND s.tolerance_m = ?""")) {
            ps.setLong(1, set.id());
            ps.setLong(2, set.id());
            ps.setInt(3, tolerance);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static void build(Connection c, BoundarySet set, int tolerance) throws SQLException {
        List<Long> ids = new ArrayList<>();
        List<Geometry> geometries = new ArrayList<>();
        WKBReader reader = new WKBReader();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, ST_AsBinary(geom) FROM boundary WHERE set_id = ? ORDER BY id")) {
            ps.setLong(1, set.id());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                    geometries.add(reader.read(rs.getBytes(2)));
                }
            }
        } catch (ParseException e) {
            throw new IllegalStateException("unreadable stored geometry", e);
        }
        Geometry[] simplified = CoverageSimplifier.simplify(geometries.toArray(Geometry[]::new), tolerance);
        WKBWriter writer = new WKBWriter();
        try (PreparedStatement insert = c.prepareStatement("""
                INSERT INTO boundary_simplified (boundary_id, tolerance_m, geom)
                VALUES (?, ?, ST_Multi(ST_SetSRID(ST_GeomFromWKB(?), 27700)))
                ON CONFLICT DO NOTHING""")) {
            for (int i = 0; i < ids.size(); i++) {
                Geometry g = simplified[i];
                // an input that was not a clean coverage can yield a broken result: keep the original
                if (g == null || g.isEmpty() || !g.isValid() || !(g instanceof Polygon || g instanceof MultiPolygon)) {
                    g = geometries.get(i);
                }
                insert.setLong(1, ids.get(i));
                insert.setInt(2, tolerance);
                insert.setBytes(3, writer.write(g));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }
}
