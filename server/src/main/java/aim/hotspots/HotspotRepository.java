package aim.hotspots;

import aim.db.SqlFragment;
import com.fasterxml.jackson.core.JsonGenerator;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The hotspot engine's SQL: the cells of a study area, incident counts per cell (always counted by
 * the database with {@code GROUP BY} on the cell, never by reading incidents into Java), and the
 * output, where PostGIS builds each cell's polygon and writes it as WGS84 GeoJSON that is streamed
 * from a cursor. Everything is in EPSG:27700 metres until that last transform.
 */
public final class HotspotRepository {
    private static final int FETCH_SIZE = 1000;

    private final DataSource dataSource;

    public HotspotRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Writes a feature's properties for the output row at position {@code k} of the arrays given. */
    @FunctionalInterface
    public interface FeatureProperties {
        void write(int k, JsonGenerator out) throws IOException;
    }

    /** Writes the members of the collection's {@code meta} object. */
    @FunctionalInterface
    public interface MetaMembers {
        void write(JsonGenerator out) throws IOException;
    }

    /**
     * Every cell of the grid that intersects the study area (its interior, so a cell that only
     * touches the boundary along an edge is not part of it), with the count of the filter's
     * incidents in it, zeros included. A cell holding incidents is always included, even in the
     * degenerate case of incidents exactly on the boundary in a cell outside it.
     */
    public GridCounts gridCounts(HotspotFilter filter, Grid grid) {
        SqlFragment area = filter.area().geometry();
        SqlFragment cover = grid.cellsCovering("a.geom");
        SqlFragment from = grid.incidentsWithCells();
        SqlFragment where = filter.where();
        String sql = """
                WITH cells AS (
                    SELECT g.i, g.j
                    FROM (SELECT %s AS geom) a CROSS JOIN LATERAL %s g
                    WHERE ST_Intersects(g.geom, a.geom)
                      AND (ST_ContainsProperly(a.geom, g.geom) OR NOT ST_Touches(g.geom, a.geom))),
                counts AS (
                    SELECT c.ci AS i, c.cj AS j, count(*) AS n FROM %s WHERE %s GROUP BY c.ci, c.cj)
                SELECT coalesce(cells.i, counts.i), coalesce(cells.j, counts.j), coalesce(counts.n, 0)
                FROM cells FULL JOIN counts ON counts.i = cells.i AND counts.j = cells.j
                """.formatted(area.sql(), cover.sql(), from.sql(), where.sql());
        List<Object> params = new ArrayList<>(area.params());
        params.addAll(cover.params());
        params.addAll(from.params());
        params.addAll(where.params());
        IntList is = new IntList(), js = new IntList();
        List<Double> counts = new ArrayList<>();
        query(sql, params, rs -> {
            is.add(rs.getInt(1));
            js.add(rs.getInt(2));
            counts.add((double) rs.getLong(3));
        });
        if (is.size() > GridCounts.MAX_CELLS) {
            throw new TooManyCells(is.size());
        }
        double[] c = new double[counts.size()];
        for (int k = 0; k < c.length; k++) c[k] = counts.get(k);
        return new GridCounts(grid, is.toArray(), js.toArray(), c);
    }

    /** The study area has more cells than one analysis may hold. */
    public static final class TooManyCells extends RuntimeException {
        public final int cells;

        TooManyCells(int cells) {
            super(cells + " cells");
            this.cells = cells;
        }
    }

    /**
     * Counts of the filter's incidents on the given cells (aligned with them); element
     * {@code [cells.n()]} is the total in the study area, including any incident in no listed cell.
     */
    public double[] countsOn(GridCounts cells, HotspotFilter filter) {
        SqlFragment from = cells.grid().incidentsWithCells();
        SqlFragment where = filter.where();
        String sql = "SELECT c.ci, c.cj, count(*) FROM " + from.sql() + " WHERE " + where.sql() + " GROUP BY c.ci, c.cj";
        List<Object> params = new ArrayList<>(from.params());
        params.addAll(where.params());
        double[] result = new double[cells.n() + 1];
        query(sql, params, rs -> {
            long n = rs.getLong(3);
            int at = cells.indexOf(rs.getInt(1), rs.getInt(2));
            if (at >= 0) result[at] += n;
            result[cells.n()] += n;
        });
        return result;
    }

    /**
     * Counts per time slice on the given cells: {@code [slice][cell]}. The database groups by cell
     * and by month of occurrence (Europe/London); months are then gathered into slices.
     */
    public double[][] sliceCounts(GridCounts cells, HotspotFilter filter, TimeSlices slices) {
        SqlFragment from = cells.grid().incidentsWithCells();
        SqlFragment where = filter.where();
        String sql = """
                SELECT m.month, c.ci, c.cj, count(*)
                FROM %s
                CROSS JOIN LATERAL (SELECT i.occurred_at AT TIME ZONE 'Europe/London' AS local) l
                CROSS JOIN LATERAL (SELECT extract(year FROM l.local)::int * 12 + extract(month FROM l.local)::int - 1 AS month) m
                WHERE %s
                GROUP BY m.month, c.ci, c.cj""".formatted(from.sql(), where.sql());
        List<Object> params = new ArrayList<>(from.params());
        params.addAll(where.params());
        double[][] result = new double[slices.size()][cells.n()];
        query(sql, params, rs -> {
            int slice = slices.sliceOfMonth(rs.getInt(1));
            int at = cells.indexOf(rs.getInt(2), rs.getInt(3));
            if (slice >= 0 && at >= 0) result[slice][at] += rs.getLong(4);
        });
        return result;
    }

    /**
     * Writes a FeatureCollection of the cells {@code (i[k], j[k])} in that order: PostGIS makes each
     * cell's polygon and writes it as GeoJSON in WGS84 (6 decimals), streamed from a cursor; the
     * properties come from {@code properties}, then the {@code meta} member.
     */
    public void writeCells(Grid grid, int[] i, int[] j, FeatureProperties properties, MetaMembers meta, JsonGenerator out)
            throws IOException {
        SqlFragment polygon = grid.cellPolygon("c.i", "c.j");
        String sql = "SELECT c.k, ST_AsGeoJSON(ST_Transform(" + polygon.sql() + ", 4326), 6)"
                + " FROM unnest(?::int[], ?::int[]) WITH ORDINALITY AS c(i, j, k) ORDER BY c.k";
        out.writeStartObject();
        out.writeStringField("type", "FeatureCollection");
        out.writeArrayFieldStart("features");
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false); // cursor-based fetching needs a transaction
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(FETCH_SIZE);
                int p = 1;
                for (Object v : polygon.params()) ps.setObject(p++, v);
                ps.setArray(p++, c.createArrayOf("int4", box(i)));
                ps.setArray(p, c.createArrayOf("int4", box(j)));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int k = (int) rs.getLong(1) - 1;
                        out.writeStartObject();
                        out.writeStringField("type", "Feature");
                        out.writeFieldName("geometry");
                        out.writeRawValue(rs.getString(2));
                        out.writeObjectFieldStart("properties");
                        properties.write(k, out);
                        out.writeEndObject();
                        out.writeEndObject();
                    }
                }
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("writing hotspot cells failed", e);
        }
        out.writeEndArray();
        out.writeObjectFieldStart("meta");
        meta.write(out);
        out.writeEndObject();
        out.writeEndObject();
    }

    /**
     * Writes a FeatureCollection of bands: the union of the cells that share a band number
     * ({@code band[k]} for cell {@code (i[k], j[k])}; cells with band &lt; 0 are left out), one
     * feature per band in ascending order, dissolved by PostGIS; {@code properties} gets the band.
     */
    public void writeBands(Grid grid, int[] i, int[] j, int[] band, FeatureProperties properties, MetaMembers meta,
                           JsonGenerator out) throws IOException {
        SqlFragment polygon = grid.cellPolygon("c.i", "c.j");
        String sql = "SELECT c.band, ST_AsGeoJSON(ST_Transform(ST_Union(" + polygon.sql() + "), 4326), 6)"
                + " FROM unnest(?::int[], ?::int[], ?::int[]) AS c(i, j, band) WHERE c.band >= 0"
                + " GROUP BY c.band ORDER BY c.band";
        out.writeStartObject();
        out.writeStringField("type", "FeatureCollection");
        out.writeArrayFieldStart("features");
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int p = 1;
            for (Object v : polygon.params()) ps.setObject(p++, v);
            ps.setArray(p++, c.createArrayOf("int4", box(i)));
            ps.setArray(p++, c.createArrayOf("int4", box(j)));
            ps.setArray(p, c.createArrayOf("int4", box(band)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.writeStartObject();
                    out.writeStringField("type", "Feature");
                    out.writeFieldName("geometry");
                    out.writeRawValue(rs.getString(2));
                    out.writeObjectFieldStart("properties");
                    properties.write(rs.getInt(1), out);
                    out.writeEndObject();
                    out.writeEndObject();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("writing hotspot bands failed", e);
        }
        out.writeEndArray();
        out.writeObjectFieldStart("meta");
        meta.write(out);
        out.writeEndObject();
        out.writeEndObject();
    }

    @FunctionalInterface
    private interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    private void query(String sql, List<Object> params, RowReader reader) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(FETCH_SIZE);
                for (int k = 0; k < params.size(); k++) ps.setObject(k + 1, params.get(k));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) reader.read(rs);
                }
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("hotspot query failed: " + e.getMessage(), e);
        }
    }

    private static Integer[] box(int[] values) {
        Integer[] boxed = new Integer[values.length];
        for (int k = 0; k < values.length; k++) boxed[k] = values[k];
        return boxed;
    }

    /** A growable int array (cells arrive in unknown numbers). */
    private static final class IntList {
        private int[] values = new int[1024];
        private int size;

        void add(int v) {
            if (size == values.length) values = java.util.Arrays.copyOf(values, size * 2);
            values[size++] = v;
        }

        int size() {
            return size;
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }
    }
}
