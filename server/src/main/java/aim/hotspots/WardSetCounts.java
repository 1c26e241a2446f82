package aim.hotspots;

import aim.boundaries.StudyArea;
import aim.db.SqlFragment;
import aim.incidents.IncidentFilter;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Square-cell counts in a box for a study area that is a whole ward set (the borough: every ward of an assigned
 * set, nationally England's 7,600), with no geometry of the area at all: an incident lies in some ward of the set
 * exactly when its point has a row in {@code point_area} for the set (V21: every located incident's point is in
 * {@code rollup_point}, and such a point is placed in every assigned set; a point on a ward's outline is placed in
 * a ward, so an incident on the set's outline counts, once). The union of the wards near a box, which the geometric
 * path ({@link HotspotRepository#gridCounts(IncidentFilter, Grid, double[])}) builds per box, is never made.
 *
 * <p>Whole months come from the 50 m rollup for every 50 m square whose placed points all lie in the set (so every
 * incident counted in it does); a square holding a placed point outside every ward ("mixed", on the coast or the
 * set's edge) and the partial months at the window's edges are read raw, each point tested through
 * {@code point_area}. Serves a caller {@link aim.incidents.Redaction} does not apply to, and windows without
 * month rows stored off their month's start (both otherwise go the geometric way).
 */
final class WardSetCounts {
    private WardSetCounts() {
    }

    /**
     * The cells covering a box's part of the set's extent, as arrays and as a bit per cell of their extent
     * [minI, maxI] × [minJ, maxJ] ({@link #index}). Not a set of {@link Grid#key}s: a {@code Long} key hashes to
     * {@code i ^ j}, which cells near each other share, so a hashed set of 35,000 cover cells (a z6 tile) took
     * seconds to build and milliseconds to probe.
     */
    record Cover(int[] i, int[] j, int minI, int maxI, int minJ, int maxJ, java.util.BitSet cells) {
        static Cover of(int[][] cells) {
            int[] ci = cells[0], cj = cells[1];
            int minI = Integer.MAX_VALUE, maxI = Integer.MIN_VALUE, minJ = Integer.MAX_VALUE, maxJ = Integer.MIN_VALUE;
            for (int k = 0; k < ci.length; k++) {
                minI = Math.min(minI, ci[k]);
                maxI = Math.max(maxI, ci[k]);
                minJ = Math.min(minJ, cj[k]);
                maxJ = Math.max(maxJ, cj[k]);
            }
            Cover cover = new Cover(ci, cj, minI, maxI, minJ, maxJ, new java.util.BitSet());
            for (int k = 0; k < ci.length; k++) cover.cells().set(cover.index(ci[k], cj[k]));
            return cover;
        }

        /** Whether cell (i, j) lies in the extent of the cover's cells ({@link #index} then holds). */
        boolean spans(int i, int j) {
            return i >= minI && i <= maxI && j >= minJ && j <= maxJ;
        }

        /** The position of cell (i, j) of the extent, in grid order (i, then j). */
        int index(int i, int j) {
            return (i - minI) * (maxJ - minJ + 1) + (j - minJ);
        }

        /** How many cells the extent holds. */
        int extent() {
            return i.length == 0 ? 0 : (maxI - minI + 1) * (maxJ - minJ + 1);
        }
    }

    /** The mixed 50 m squares of a range {x0, x1, y0, y1} (metres): {i[], j[]}. */
    @FunctionalInterface
    interface MixedSquares {
        int[][] of(double[] range) throws SQLException;
    }

    /** Whether month-precise rows off their month's start lie in the filter's window ({@link CellRollups#anyOffsetMonthRows}). */
    @FunctionalInterface
    interface OffsetMonthRows {
        boolean any() throws SQLException;
    }

    /**
     * The counts (non-zero cells only) of the filter's incidents in the set's wards on the cells of {@code cover},
     * or empty when this path does not serve the filter (month rows stored off their month's start).
     */
    static Optional<HotspotRepository.CellCounts> count(Connection c, IncidentFilter filter, SquareGrid grid, Cover cover,
                                                         MixedSquares mixedSquares, OffsetMonthRows offsetMonthRows) throws SQLException {
        if ((filter.from() != null || filter.to() != null) && offsetMonthRows.any()) return Optional.empty();
        int[] ci = cover.i();
        if (ci.length == 0) return Optional.of(new HotspotRepository.CellCounts(new int[0], new int[0], new long[0]));
        Tally tally = new Tally(cover);
        int size = (int) grid.size();
        int minCi = cover.minI(), maxCi = cover.maxI(), minCj = cover.minJ(), maxCj = cover.maxJ();
        // the 50 m squares of the cover's extent, and that extent in metres
        int cells = size / CellRollups.CELL;
        int minI = minCi * cells, maxI = (maxCi + 1) * cells - 1, minJ = minCj * cells, maxJ = (maxCj + 1) * cells - 1;
        double x0 = (double) minCi * size, x1 = (double) (maxCi + 1) * size, y0 = (double) minCj * size, y1 = (double) (maxCj + 1) * size;
        SqlFragment box = SqlFragment.of("ST_MakeEnvelope(?, ?, ?, ?, 27700)", x0, y0, x1, y1);
        int[][] mixed = mixedSquares.of(new double[]{x0, x1, y0, y1});
        Integer[] mi = java.util.Arrays.stream(mixed[0]).boxed().toArray(Integer[]::new);
        Integer[] mj = java.util.Arrays.stream(mixed[1]).boxed().toArray(Integer[]::new);

        Optional<CellRollups.Split> split = CellRollups.Split.of(filter.from(), filter.to());
        if (split.isEmpty()) {
            raw(c, filter, grid, box, null, tally);
        } else {
            CellRollups.Split s = split.get();
            wholeMonths(c, filter, size, s, minI, maxI, minJ, maxJ, mi, mj, tally);
            if (mi.length > 0) raw(c, filter.during(s.first(), s.last()), grid, box, new Integer[][]{mi, mj}, tally);
            for (LocalDate[] edge : s.edges()) raw(c, filter.during(edge[0], edge[1]), grid, box, null, tally);
        }
        return Optional.of(tally.counts());
    }

    /** Counts per cell of a cover's extent; {@link #counts} keeps the covered cells holding incidents. */
    private static final class Tally {
        private final Cover cover;
        private final long[] n;

        Tally(Cover cover) {
            this.cover = cover;
            this.n = new long[cover.extent()];
        }

        /** Adds {@code count} to cell (i, j); a cell outside the cover's extent is covered by none of its cells. */
        void add(int i, int j, long count) {
            if (cover.spans(i, j)) n[cover.index(i, j)] += count;
        }

        /** The covered cells with a count, in grid order (i, then j), as the geometric path lists its cells. */
        HotspotRepository.CellCounts counts() {
            java.util.BitSet counted = (java.util.BitSet) cover.cells().clone();
            for (int k = counted.nextSetBit(0); k >= 0; k = counted.nextSetBit(k + 1)) if (n[k] == 0) counted.clear(k);
            int m = counted.cardinality(), width = cover.maxJ() - cover.minJ() + 1, c = 0;
            int[] is = new int[m], js = new int[m];
            long[] ns = new long[m];
            for (int k = counted.nextSetBit(0); k >= 0; k = counted.nextSetBit(k + 1), c++) {
                is[c] = cover.minI() + k / width;
                js[c] = cover.minJ() + k % width;
                ns[c] = n[k];
            }
            return new HotspotRepository.CellCounts(is, js, ns);
        }
    }

    /** The mixed squares of {@code range} {x0, x1, y0, y1}: a point placed there lies in no ward of set {@code setId}. */
    static int[][] mixedSquares(Connection c, long setId, double[] range) throws SQLException {
        List<Integer> is = new ArrayList<>(), js = new ArrayList<>();
        try (PreparedStatement ps = prepare(c, """
                SELECT DISTINCT floor(r.x / 50)::int, floor(r.y / 50)::int
                FROM rollup_point r
                WHERE r.x >= ? AND r.x < ? AND r.y >= ? AND r.y < ?
                  AND NOT EXISTS (SELECT 1 FROM point_area pa WHERE pa.x = r.x AND pa.y = r.y AND pa.set_id = ?)""",
                List.of(range[0], range[1], range[2], range[3], setId)); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                is.add(rs.getInt(1));
                js.add(rs.getInt(2));
            }
        }
        return new int[][]{is.stream().mapToInt(Integer::intValue).toArray(), js.stream().mapToInt(Integer::intValue).toArray()};
    }

    /** The split's whole months from the rollup, per cell of {@code size} m, over the squares in range but the mixed ones. */
    private static void wholeMonths(Connection c, IncidentFilter filter, int size, CellRollups.Split split, int minI, int maxI,
                                    int minJ, int maxJ, Integer[] mixedI, Integer[] mixedJ, Tally tally) throws SQLException {
        boolean totals = filter.countsEveryIncidentExact();
        List<SqlFragment> where = new ArrayList<>();
        if (!totals) {
            where.add(SqlFragment.of("r.located_as = 'exact'"));
            where.add(IncidentFilter.anyOf("r.category", filter.categories()));
            where.add(IncidentFilter.anyOf("r.source", filter.sources()));
        }
        if (split.first() != null) where.add(SqlFragment.of("r.month >= ?", split.first()));
        if (split.last() != null) where.add(SqlFragment.of("r.month <= ?", split.last()));
        where.add(SqlFragment.of("r.i BETWEEN ? AND ? AND r.j BETWEEN ? AND ?", minI, maxI, minJ, maxJ));
        if (mixedI.length > 0) {
            where.add(SqlFragment.of("(r.i, r.j) NOT IN (SELECT m.i, m.j FROM unnest(?::int[], ?::int[]) AS m(i, j))",
                    mixedI, mixedJ));
        }
        SqlFragment condition = SqlFragment.and(where);
        String sql = "SELECT floor(r.i * 50 / ?::float8)::int, floor(r.j * 50 / ?::float8)::int, sum(r.n)::bigint FROM "
                + (totals ? "cell_month_total" : "cell_month_count") + " r WHERE " + condition.sql() + " GROUP BY 1, 2";
        List<Object> params = new ArrayList<>(List.of(size, size));
        params.addAll(condition.params());
        try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) tally.add(rs.getInt(1), rs.getInt(2), rs.getLong(3));
        }
    }

    /**
     * The filter's incidents in {@code box} (and in the 50 m squares {@code squares} when given) whose point lies in
     * a ward of the set, per cell by the raw query's rule ({@link Grid#incidentsWithCells}).
     */
    private static void raw(Connection c, IncidentFilter filter, SquareGrid grid, SqlFragment box, Integer[][] squares,
                            Tally tally) throws SQLException {
        SqlFragment from = grid.incidentsWithCells(filter.incidents(box));
        List<SqlFragment> where = new ArrayList<>(List.of(filter.located(box), SqlFragment.of(
                "EXISTS (SELECT 1 FROM point_area pa WHERE pa.x = ST_X(i.geom) AND pa.y = ST_Y(i.geom) AND pa.set_id = ?)",
                filter.area().setId())));
        if (squares != null) {
            where.add(SqlFragment.of("(floor(ST_X(i.geom) / 50)::int, floor(ST_Y(i.geom) / 50)::int) IN "
                    + "(SELECT m.i, m.j FROM unnest(?::int[], ?::int[]) AS m(i, j))", squares[0], squares[1]));
        }
        SqlFragment condition = SqlFragment.and(where);
        String sql = "SELECT c.ci, c.cj, count(*) FROM " + from.sql() + " WHERE " + condition.sql() + " GROUP BY c.ci, c.cj";
        List<Object> params = new ArrayList<>(from.params());
        params.addAll(condition.params());
        try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) tally.add(rs.getInt(1), rs.getInt(2), rs.getLong(3));
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, List<Object> params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        ps.setFetchSize(1000);
        for (int k = 0; k < params.size(); k++) {
            Object v = params.get(k);
            if (v instanceof Integer[] a) v = c.createArrayOf("int4", a);
            ps.setObject(k + 1, v);
        }
        return ps;
    }
}
