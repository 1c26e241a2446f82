package aim.hotspots;

import aim.db.SqlFragment;
import aim.testing.Fresh;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cells the database counts incidents in are PostGIS's own: for random points, the cell computed
 * by {@link Grid#incidentsWithCells} (and by {@link Grid#cellOf} in Java) is the cell of
 * {@code ST_SquareGrid}/{@code ST_HexagonGrid} that contains the point, and {@code ST_Square}/{@code ST_Hexagon}
 * give the same polygons as the grid functions.
 */
@Tag("postgis")
class GridNumberingPostgisTest {
    @Fresh static HikariDataSource ds;

    @BeforeAll
    static void points() throws Exception {
        try (var c = ds.getConnection(); var st = c.createStatement()) {
            // 20,000 seeded random points over a 6 km box of Middlesbrough, plus points exactly on cell corners
            st.execute("""
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'council', 'asb-noise', '2025-01-01', 'day', d.geom, 'exact', 'p' || d.path[1]
                    FROM ST_Dump(ST_GeneratePoints(ST_MakeEnvelope(447000, 513000, 453000, 519000, 27700), 20000, 42)) d""");
        }
    }

    @Test
    void squareCellsAreThoseOfStSquareGrid() throws Exception {
        for (int size : List.of(50, 250, 333, 2000)) compare(new SquareGrid(size), "ST_SquareGrid");
    }

    @Test
    void hexagonCellsAreThoseOfStHexagonGrid() throws Exception {
        for (int size : List.of(50, 100, 137, 1000)) compare(new HexGrid(size), "ST_HexagonGrid");
    }

    private void compare(Grid grid, String function) throws Exception {
        SqlFragment from = grid.incidentsWithCells(SqlFragment.of("incident i"));
        String sql = """
                WITH mine AS (SELECT i.id, c.ci, c.cj, ST_X(i.geom) AS x, ST_Y(i.geom) AS y FROM %s),
                     postgis AS (SELECT i.id, g.i, g.j FROM incident i
                                 JOIN %s(?, ST_MakeEnvelope(447000, 513000, 453000, 519000, 27700)) g
                                   ON ST_Contains(g.geom, i.geom))
                SELECT mine.ci, mine.cj, postgis.i, postgis.j, mine.x, mine.y FROM mine JOIN postgis USING (id)
                """.formatted(from.sql(), function);
        int compared = 0;
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int p = 1;
            for (Object v : from.params()) ps.setObject(p++, v);
            ps.setDouble(p, grid.size());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String where = grid + " point " + rs.getDouble(5) + "," + rs.getDouble(6);
                    assertEquals(rs.getInt(3), rs.getInt(1), where);
                    assertEquals(rs.getInt(4), rs.getInt(2), where);
                    assertEquals(Grid.key(rs.getInt(3), rs.getInt(4)), grid.cellOf(rs.getDouble(5), rs.getDouble(6)), where);
                    compared++;
                }
            }
        }
        // points exactly on an edge are in no cell's interior; all others were compared
        assertTrue(compared > 19_900, grid + ": compared " + compared);
    }

    @Test
    void cellPolygonsAreTheGridFunctionsPolygons() throws Exception {
        for (Grid grid : List.of(new SquareGrid(250), new HexGrid(137))) {
            SqlFragment polygon = grid.cellPolygon("g.i", "g.j");
            String function = grid instanceof SquareGrid ? "ST_SquareGrid" : "ST_HexagonGrid";
            String sql = "SELECT count(*), count(*) FILTER (WHERE ST_Equals(g.geom, " + polygon.sql() + ")) FROM "
                    + function + "(?, ST_MakeEnvelope(447000, 513000, 453000, 519000, 27700)) g";
            try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setObject(1, polygon.params().get(0));
                ps.setDouble(2, grid.size());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertTrue(rs.getInt(1) > 500);
                    assertEquals(rs.getInt(1), rs.getInt(2), grid.toString());
                }
            }
        }
    }
}
