package aim.hotspots;

import aim.core.Council;
import aim.db.SqlFragment;
import aim.incidents.IncidentFilter;
import aim.incidents.Redaction;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Per-cell incident counts of whole months read from the 50 m rollup {@code cell_month_count}
 * (migrations/V9: counts per 50 m British National Grid square, EPSG:27700, {@code i = floor(x / 50)},
 * by month in Europe/London, category, source and {@code located_as}), giving exactly what the raw
 * query over {@link IncidentFilter#incidents} gives for the same months. Square grids whose size is a
 * multiple of 50 m, where a 50 m cell lies in one cell of size {@code s}, {@code floor(i · 50 / s)};
 * and hexagons of {@value #HEXAGONS_FROM} m and more, where a 50 m cell lying wholly inside one hexagon
 * ({@link HexGrid#hexagonHolding}) counts for it and a 50 m cell cut by a hexagon's edge is read raw,
 * as a cell cut by the study area's outline is (part 2). For a caller who {@link IncidentFilter#countsEveryIncidentExact}, hexagons of
 * every size, and squares placed against a study area ({@link Placement}: not a map view's box), read
 * {@code point_month_total} instead (V24: counts per month and true point), so the squares cut by an edge or by
 * the area's outline need no raw row ({@link #pointTotals}). Square sizes that are not a multiple of 50 m and, for
 * other callers, smaller hexagons are counted from raw rows, and so are the partial months at a window's
 * edges ({@link Split}).
 *
 * <p>The whole months' count of a cell is the sum of five parts, each exact:
 * <ol>
 *   <li>rollup rows of the 50 m cells lying wholly inside the study area (every point counted in them
 *       passes the raw query's point-in-area test), and generalised rows (all at the one known point of
 *       their 500 m square's centre, tested against the area directly); an unfiltered request of a caller
 *       who sees every incident exact reads {@code cell_month_total} (V12: the same counts summed over
 *       categories and sources, about half the rows);</li>
 *   <li>raw rows of the 50 m cells cut by the area's boundary, and on hexagons of those cut by a
 *       hexagon's edge (the raw test is on each incident's point, which a rollup cell cannot answer),
 *       read through {@code incident_cell50_idx} (V12: by cell and time, so only the window's rows of
 *       the cell are read) one run of adjacent squares of a column at a time ({@link #runs}), each point
 *       put in its cell by the raw query's rule and tested against the area only where the area does not
 *       cover its square;</li>
 *   <li>for a caller {@link Redaction} applies to, their own sensitive incidents (raw, by
 *       {@code recorded_by}): the rollup has them at the generalised point, the caller sees them exact;</li>
 *   <li>month-precise rows not stored at their month's local start (rare, a partial index finds them):
 *       the rollup counts them in their month, {@link aim.incidents.OccurredWindow} by its own rule over
 *       the whole window, so their rollup count is replaced by the raw one.</li>
 * </ol>
 * A full-access caller reads {@code exact} rows; a redacted caller {@code exact} rows of non-sensitive
 * categories and {@code generalised} rows (what {@link Redaction#incidents} shows them, but for part 3).
 */
final class CellRollups {
    /** Side of a rollup cell, in metres. */
    static final int CELL = 50;

    private CellRollups() {
    }

    /**
     * The smallest hexagon (edge, metres) read from the 50 m rollup by a filtered or redacted caller (an unfiltered
     * full-access caller reads every size from the point totals). Smaller hexagons cut too many 50 m cells:
     * about 53 % at 100 m (27 % at 250 m, 13 % at 500 m), and reading those cell by cell measured slower
     * than the plain raw read (`./aim bench scale --rows 1000000`: Gi* on 100 m hexagons, a quarter).
     */
    static final int HEXAGONS_FROM = 250;

    /** Whether counts on this grid can be read from 50 m cells: squares of a whole multiple of 50 m, and hexagons of {@value #HEXAGONS_FROM} m or more. */
    static boolean serves(Grid grid) {
        if (grid instanceof HexGrid) return grid.size() >= HEXAGONS_FROM;
        double s = grid.size();
        return s == Math.rint(s) && (long) s % CELL == 0;
    }

    /**
     * Whether the filter's counts on this grid are read from rollups: the grids {@link #serves(Grid)} serves, and
     * hexagons of every size for a filter that {@link IncidentFilter#countsEveryIncidentExact} (they read {@code point_month_total}: {@link #pointTotals}).
     */
    static boolean serves(Grid grid, IncidentFilter filter) {
        return serves(grid) || grid instanceof HexGrid && filter.countsEveryIncidentExact();
    }

    /**
     * A window of inclusive dates cut at month boundaries: whole months from {@code first} (a 1st) to
     * {@code last} (a month's last day), either null when the window is open at that end, and the
     * partial months at the edges ({@code [from, to]} pairs), which are counted raw. A month-precise
     * row never counts in a partial month, so the edges hold only minute- and day-precise rows.
     */
    record Split(LocalDate first, LocalDate last, List<LocalDate[]> edges) {

        /** The split of {@code [from, to]}, or empty when it holds no whole month. */
        static Optional<Split> of(LocalDate from, LocalDate to) {
            LocalDate first = from == null || from.getDayOfMonth() == 1 ? from : YearMonth.from(from).plusMonths(1).atDay(1);
            LocalDate last = to == null || to.equals(YearMonth.from(to).atEndOfMonth()) ? to : YearMonth.from(to).atDay(1).minusDays(1);
            if (first != null && last != null && first.isAfter(last)) return Optional.empty();
            List<LocalDate[]> edges = new ArrayList<>();
            if (from != null && from.isBefore(first)) edges.add(new LocalDate[]{from, first.minusDays(1)});
            if (to != null && to.isAfter(last)) edges.add(new LocalDate[]{last.plusDays(1), to});
            return Optional.of(new Split(first, last, List.copyOf(edges)));
        }
    }

    /** Receives counts: {@code n} incidents in cell {@code (ci, cj)} in {@code month} (null when not by month). */
    @FunctionalInterface
    interface Sink {
        void add(LocalDate month, int ci, int cj, long n);
    }

    /**
     * Adds the counts of the split's whole months for {@code filter} (its categories, sources and
     * viewer; its window decides only part 4) on the cells of {@code grid} ({@link #serves} it),
     * restricted to the study area {@code area} (EWKB, EPSG:27700), per month when {@code byMonth}.
     */
    static void addWholeMonths(Connection c, IncidentFilter filter, Grid grid, byte[] area, Placement placement, Split split,
                               boolean byMonth, Sink sink) throws SQLException {
        boolean redacted = Redaction.applies(filter.viewer());
        // a cut cell is listed once, though it has rows in several months; true when the study area covers
        // it (it is cut by a hexagon's edge only), so its rows need no test against the area
        Map<Long, Boolean> cut = new HashMap<>();
        // generalised rows on hexagons {month, i, j, n}: placed by the raw query's cell rule once all are read
        List<Object[]> generalised = new ArrayList<>();
        RollupRow reader = (month, i, j, n, place, isGeneralised) -> {
            if (place == OUTSIDE) return;
            if (grid instanceof SquareGrid) {
                int size = (int) grid.size();
                if (place == INSIDE) sink.add(month, Math.floorDiv(i * CELL, size), Math.floorDiv(j * CELL, size), n);
                else cut.put(Grid.key(i, j), false);
                return;
            }
            // a hexagon: a row counts for the hexagon holding its whole 50 m cell, or its cell is read
            // raw (part 2); a generalised row is one point, placed by SQL afterwards
            if (isGeneralised) {
                generalised.add(new Object[]{month, i, j, n});
                return;
            }
            long hexagon = place == INSIDE ? ((HexGrid) grid).hexagonHolding(i, j, CELL) : HexGrid.NONE;
            if (hexagon == HexGrid.NONE) cut.put(Grid.key(i, j), place == INSIDE);
            else sink.add(month, Grid.keyI(hexagon), Grid.keyJ(hexagon), n);
        };
        Targets targets = placement == null ? null : Targets.of(grid, placement);
        // an unfiltered full-access caller: point totals for hexagons of every size, and for squares placed against a
        // study area (a square cut by its outline is then placed point by point from the totals, not read raw)
        boolean fromPointTotals = filter.countsEveryIncidentExact() && (grid instanceof HexGrid || targets != null);
        if (fromPointTotals) pointTotals(c, grid, area, targets, split, byMonth, sink);
        else if (targets != null) targetedRollupRows(c, filter, area, targets, split, byMonth, redacted, sink, cut, reader);
        else if (placement == null) rollupRows(c, filter, area, split, byMonth, redacted, reader);
        else placedRollupRows(c, filter, area, placement, split, byMonth, redacted, reader);
        if (!generalised.isEmpty()) generalisedOnCells(c, grid, generalised, sink);
        if (!cut.isEmpty()) cutCells(c, filter, grid, area, split, byMonth, redacted, runs(cut, targets), sink);
        if (redacted) ownSensitive(c, filter, grid, area, split, byMonth, sink);
        if ((filter.from() != null || filter.to() != null) && anyOffsetMonthRows(c, filter)) {
            offsetMonthRows(c, filter, grid, area, split, byMonth, sink);
        }
    }

    /**
     * The generalised rows {@code {month, i, j, n}} added to the cells of {@code grid} holding their
     * point (the corner of 50 m cell {@code (i, j)}: the centre of their 500 m square), found by the
     * raw query's own SQL ({@link Grid#incidentsWithCells}), so a point near a cell's edge goes where
     * the raw count puts it. Such points are few: one per 500 m square.
     */
    private static void generalisedOnCells(Connection c, Grid grid, List<Object[]> rows, Sink sink) throws SQLException {
        Set<Long> points = new LinkedHashSet<>();
        for (Object[] r : rows) points.add(Grid.key((int) r[1], (int) r[2]));
        SqlFragment from = grid.incidentsWithCells(SqlFragment.of("""
                (SELECT p.i, p.j, ST_SetSRID(ST_MakePoint(p.i * 50.0, p.j * 50.0), 27700) AS geom
                 FROM unnest(?::int[], ?::int[]) AS p(i, j)) i""",
                points.stream().map(Grid::keyI).toArray(Integer[]::new), points.stream().map(Grid::keyJ).toArray(Integer[]::new)));
        Map<Long, Long> cellOf = new HashMap<>();
        try (PreparedStatement ps = prepare(c, "SELECT i.i, i.j, c.ci, c.cj FROM " + from.sql(), from.params());
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) cellOf.put(Grid.key(rs.getInt(1), rs.getInt(2)), Grid.key(rs.getInt(3), rs.getInt(4)));
        }
        for (Object[] r : rows) {
            long cell = cellOf.get(Grid.key((int) r[1], (int) r[2]));
            sink.add((LocalDate) r[0], Grid.keyI(cell), Grid.keyJ(cell), (long) r[3]);
        }
    }

    /**
     * SQL summing {@code n} per month and cell of {@code grid} over {@code rows} (a SELECT with columns
     * {@code month}, {@code geom} and {@code n}), each point's cell found by the raw query's own rule
     * ({@link Grid#incidentsWithCells}), so every path puts a point in the same cell.
     */
    private static SqlFragment perCell(Grid grid, SqlFragment rows) {
        SqlFragment from = grid.incidentsWithCells(new SqlFragment("(" + rows.sql() + ") i", rows.params()));
        return new SqlFragment("SELECT i.month, c.ci, c.cj, sum(i.n) FROM " + from.sql() + " GROUP BY 1, 2, 3", from.params());
    }

    private static final int OUTSIDE = 0, INSIDE = 1, CUT = 2;

    @FunctionalInterface
    private interface RollupRow {
        void read(LocalDate month, int i, int j, long n, int place, boolean generalised) throws SQLException;
    }

    /**
     * Part 1: the rollup rows per 50 m cell, each cell placed against the study area once: INSIDE
     * (the closed square is covered by it), CUT (it crosses the boundary) or OUTSIDE. A generalised
     * row's cell holds the centre of its 500 m square, so that point alone decides.
     */
    private static void rollupRows(Connection c, IncidentFilter filter, byte[] area, Split split, boolean byMonth,
                                   boolean redacted, RollupRow reader) throws SQLException {
        SqlFragment rows = rows(filter, area, split, byMonth, redacted);
        // each 50 m cell is placed once, its months' counts carried along as arrays (a join back to the
        // months lets the planner rescan the placing per row when it misjudges the row counts)
        String sql = """
                SELECT r.months, r.counts, r.i, r.j, r.located_as = 'generalised',
                       CASE WHEN r.located_as = 'generalised' THEN CASE WHEN ST_Intersects(a.geom, %2$s) THEN 1 ELSE 0 END
                            WHEN ST_Covers(a.geom, r.square) THEN 1
                            WHEN ST_Intersects(a.geom, r.square) THEN 2
                            ELSE 0 END AS place
                FROM (SELECT m.i, m.j, m.located_as, array_agg(m.month) AS months, array_agg(m.n) AS counts,
                             ST_MakeEnvelope(m.i * 50, m.j * 50, m.i * 50 + 50, m.j * 50 + 50, 27700) AS square
                      FROM (%1$s) m
                      GROUP BY m.i, m.j, m.located_as) r
                CROSS JOIN (SELECT ST_GeomFromEWKB(?) AS geom) a""".formatted(
                rows.sql(), Redaction.squareCentre("ST_SetSRID(ST_MakePoint(r.i * 50, r.j * 50), 27700)"));
        List<Object> params = new ArrayList<>(rows.params());
        params.add(area);
        try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                int place = rs.getInt(6);
                if (place == OUTSIDE) continue;
                Object[] months = (Object[]) rs.getArray(1).getArray();
                Object[] counts = (Object[]) rs.getArray(2).getArray();
                int i = rs.getInt(3), j = rs.getInt(4);
                boolean generalised = rs.getBoolean(5);
                for (int k = 0; k < months.length; k++) {
                    LocalDate month = months[k] == null ? null : ((java.sql.Date) months[k]).toLocalDate();
                    reader.read(month, i, j, ((Number) counts[k]).longValue(), place, generalised);
                }
            }
        }
    }

    /**
     * The rollup rows of part 1 in the area's bounding box: {@code month} (null unless by month), {@code i},
     * {@code j}, {@code located_as} and {@code n}, one row per key.
     */
    private static SqlFragment rows(IncidentFilter filter, byte[] area, Split split, boolean byMonth, boolean redacted) {
        return rows(filter, area, null, split, byMonth, redacted);
    }

    /**
     * {@link #rows} within the box of {@code placement} when given: the same 50 m cells as the area's
     * bounding box (the placement's box is computed from it alike), bound as numbers, so the database
     * does not parse the area's EWKB again for every rollup row.
     */
    private static SqlFragment rows(IncidentFilter filter, byte[] area, Placement placement, Split split, boolean byMonth, boolean redacted) {
        // the area's bounding box in 50 m cells (constants for the planner)
        SqlFragment box = placement != null
                ? SqlFragment.of("r.i BETWEEN ? AND ? AND r.j BETWEEN ? AND ?", placement.minI, placement.minI + placement.width - 1,
                        placement.minJ, placement.minJ + placement.height - 1)
                : SqlFragment.of("r.i BETWEEN floor(ST_XMin(ST_GeomFromEWKB(?)) / 50) AND floor(ST_XMax(ST_GeomFromEWKB(?)) / 50)"
                + " AND r.j BETWEEN floor(ST_YMin(ST_GeomFromEWKB(?)) / 50) AND floor(ST_YMax(ST_GeomFromEWKB(?)) / 50)",
                area, area, area, area);
        SqlFragment wholeMonths = SqlFragment.and(List.of(
                split.first() == null ? SqlFragment.EMPTY : SqlFragment.of("r.month >= ?", split.first()),
                split.last() == null ? SqlFragment.EMPTY : SqlFragment.of("r.month <= ?", split.last())));
        String rows;
        SqlFragment where;
        if (filter.countsEveryIncidentExact()) {
            // every category and source at the true point: the totals (V12) hold exactly that sum (then part 1 reads
            // cell_month_total rather than cell_month_count; hexagons and placed squares read the point totals instead)
            // one row per month and cell already: by month, no grouping is needed
            rows = byMonth ? "SELECT %s AS month, r.i, r.j, 'exact'::text AS located_as, r.n FROM cell_month_total r WHERE %s"
                    : "SELECT %s AS month, r.i, r.j, 'exact'::text AS located_as, sum(r.n) AS n FROM cell_month_total r WHERE %s GROUP BY 1, 2, 3";
            where = SqlFragment.and(List.of(wholeMonths, box));
        } else {
            // a redacted caller sees sensitive categories generalised, all other rows exact
            String located = redacted
                    ? "(r.located_as = 'generalised' OR (r.located_as = 'exact' AND NOT k.sensitive))"
                    : "r.located_as = 'exact'";
            rows = "SELECT %s AS month, r.i, r.j, r.located_as, sum(r.n) AS n FROM cell_month_count r"
                    + (redacted ? " JOIN incident_category k ON k.code = r.category" : "") + " WHERE %s GROUP BY 1, 2, 3, 4";
            where = SqlFragment.and(List.of(SqlFragment.of(located), wholeMonths,
                    IncidentFilter.anyOf("r.category", filter.categories()),
                    IncidentFilter.anyOf("r.source", filter.sources()), box));
        }
        return new SqlFragment(rows.formatted(byMonth ? "r.month" : "NULL::date", where.sql()), where.params());
    }

    /**
     * Part 1 with the cells placed beforehand ({@link Placement}, kept per version of the study area):
     * the rows come as they are stored, and each is placed by a lookup. Used when the placement's box is
     * too large to send its {@link Targets} (over {@link Targets#MAX_SQUARES} squares).
     */
    private static void placedRollupRows(Connection c, IncidentFilter filter, byte[] area, Placement placement, Split split,
                                         boolean byMonth, boolean redacted, RollupRow reader) throws SQLException {
        SqlFragment rows = rows(filter, area, split, byMonth, redacted);
        try (PreparedStatement ps = prepare(c, rows.sql(), rows.params()); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                int i = rs.getInt(2), j = rs.getInt(3);
                boolean generalised = "generalised".equals(rs.getString(4));
                int place = generalised ? placement.generalised(i, j) : placement.square(i, j);
                if (place != OUTSIDE) reader.read(rs.getObject(1, LocalDate.class), i, j, rs.getLong(5), place, generalised);
            }
        }
    }

    /**
     * Where the rollup rows of each 50 m square of a {@link Placement}'s box go on one grid, decided in Java
     * once per request so the database only sums: {@code target[(i − minI) · height + (j − minJ)]} is 0 for
     * a square outside the study area, {@link #RAW} for one read raw in part 2 (cut by the area's outline,
     * or on hexagons by a hexagon's edge: {@link HexGrid#hexagonHolding}), else {@code k + 1} for the cell
     * {@code cells[k]} ({@link Grid#key}) that holds the whole square.
     */
    record Targets(Placement placement, int[] target, long[] cells) {
        /** A square read raw. */
        static final int RAW = -1;
        /** Most squares a target list is sent for (a 50 km × 50 km box); a larger box is placed row by row in Java. */
        static final long MAX_SQUARES = 1_000_000;

        /** The targets of {@code grid} ({@link #serves} it) over {@code placement}'s box, or null when the box is too large. */
        static Targets of(Grid grid, Placement placement) {
            if ((long) placement.width * placement.height > MAX_SQUARES) return null;
            int[] target = new int[placement.width * placement.height];
            Map<Long, Integer> number = new HashMap<>();
            List<Long> cells = new ArrayList<>();
            for (int a = 0; a < placement.width; a++) {
                for (int b = 0; b < placement.height; b++) {
                    int i = placement.minI + a, j = placement.minJ + b, at = a * placement.height + b;
                    int place = placement.squares[at];
                    if (place == OUTSIDE) continue;
                    long cell;
                    if (place == CUT) cell = HexGrid.NONE;
                    else if (grid instanceof HexGrid hex) cell = hex.hexagonHolding(i, j, CELL);
                    else cell = Grid.key(Math.floorDiv(i * CELL, (int) grid.size()), Math.floorDiv(j * CELL, (int) grid.size()));
                    if (cell == HexGrid.NONE) {
                        target[at] = RAW;
                        continue;
                    }
                    Integer k = number.get(cell);
                    if (k == null) {
                        k = cells.size();
                        number.put(cell, k);
                        cells.add(cell);
                    }
                    target[at] = k + 1;
                }
            }
            return new Targets(placement, target, cells.stream().mapToLong(Long::longValue).toArray());
        }

        /** Whether square {@code (i, j)} is read raw. */
        boolean raw(int i, int j) {
            int a = i - placement.minI, b = j - placement.minJ;
            return a >= 0 && b >= 0 && a < placement.width && b < placement.height && target[a * placement.height + b] == RAW;
        }
    }

    /**
     * Part 1 with the squares' {@link Targets}: the database sums the rollup rows per month and target
     * cell, so only the target cells' counts leave it, and lists the squares read raw (part 2) that have
     * rows. Generalised rows (one point each, the centre of their 500 m square) come per square, to
     * {@code reader}, as in {@link #placedRollupRows}.
     */
    private static void targetedRollupRows(Connection c, IncidentFilter filter, byte[] area, Targets targets, Split split,
                                           boolean byMonth, boolean redacted, Sink sink, Map<Long, Boolean> cut,
                                           RollupRow reader) throws SQLException {
        Placement p = targets.placement();
        SqlFragment rows = rows(filter, area, p, split, byMonth, redacted);
        // k: the square's target (0: outside the box or generalised); a target's rows add up, a square
        // read raw and a generalised row keep their square
        String sql = """
                SELECT t.month, t.k, t.i, t.j, t.generalised, sum(t.n)
                FROM (SELECT m.month, m.n, m.generalised, m.k,
                             CASE WHEN m.k > 0 THEN NULL ELSE m.i END AS i, CASE WHEN m.k > 0 THEN NULL ELSE m.j END AS j
                      FROM (SELECT r.month, r.n, r.i, r.j, r.located_as = 'generalised' AS generalised,
                                   CASE WHEN r.located_as = 'generalised' THEN 0
                                        WHEN r.i BETWEEN ? AND ? AND r.j BETWEEN ? AND ? THEN x.target[(r.i - ?) * ? + (r.j - ?) + 1]
                                        ELSE 0 END AS k
                            FROM (%s) r CROSS JOIN (SELECT ?::int[] AS target) x) m
                      WHERE m.k <> 0 OR m.generalised) t
                GROUP BY t.month, t.k, t.i, t.j, t.generalised""".formatted(rows.sql());
        List<Object> params = new ArrayList<>(List.of(p.minI, p.minI + p.width - 1, p.minJ, p.minJ + p.height - 1, p.minI, p.height, p.minJ));
        params.addAll(rows.params());
        params.add(java.util.Arrays.stream(targets.target()).boxed().toArray(Integer[]::new));
        try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                LocalDate month = rs.getObject(1, LocalDate.class);
                int k = rs.getInt(2);
                long n = rs.getLong(6);
                if (k > 0) {
                    long cell = targets.cells()[k - 1];
                    sink.add(month, Grid.keyI(cell), Grid.keyJ(cell), n);
                } else if (k == Targets.RAW) {
                    int i = rs.getInt(3), j = rs.getInt(4);
                    cut.put(Grid.key(i, j), p.square(i, j) == INSIDE);
                } else {
                    int i = rs.getInt(3), j = rs.getInt(4);
                    int place = p.generalised(i, j);
                    if (place != OUTSIDE) reader.read(month, i, j, n, place, true);
                }
            }
        }
    }

    /**
     * Parts 1 and 2 on hexagons, and on squares with {@code targets}, for a caller who {@link IncidentFilter#countsEveryIncidentExact}, from
     * {@code point_month_total} (V24: the located incidents per month and true point, over every category and source)
     * in one statement: a point in a 50 m square of {@code targets} held by one cell adds to that cell (summed per month
     * and target in the database); a point in a square read raw (cut by a hexagon's edge or by the study area's outline)
     * is put in its cell by the raw query's own rule ({@link #perCell}) and, in a square the area does not cover, tested
     * against the area as the raw query tests each incident (the point is the incidents' point, to the bit). So no raw
     * row is read. On squares this replaces {@code cell_month_total} and the raw rows of the squares the outline cuts
     * (2M benchmark, emerging on 250 m squares over 12 months: see the README).
     */
    private static void pointTotals(Connection c, Grid grid, byte[] area, Targets targets, Split split, boolean byMonth, Sink sink)
            throws SQLException {
        SqlFragment months = SqlFragment.and(List.of(
                split.first() == null ? SqlFragment.EMPTY : SqlFragment.of("r.month >= ?", split.first()),
                split.last() == null ? SqlFragment.EMPTY : SqlFragment.of("r.month <= ?", split.last())));
        // each point row with its square's target (k) and place against the area (1: covered, 2: cut), read once;
        // without targets (no placement, or too large a box) every point of the area's box is placed by the rule and tested
        SqlFragment placed;
        if (targets != null) {
            Placement p = targets.placement();
            placed = SqlFragment.of("""
                    x.target[(r.i - ?) * ? + (r.j - ?) + 1] AS k, get_byte(x.squares, (r.i - ?) * ? + (r.j - ?)) AS place
                    FROM point_month_total r CROSS JOIN (SELECT ?::int[] AS target, ?::bytea AS squares) x
                    WHERE r.i BETWEEN ? AND ? AND r.j BETWEEN ? AND ?""",
                    p.minI, p.height, p.minJ, p.minI, p.height, p.minJ,
                    java.util.Arrays.stream(targets.target()).boxed().toArray(Integer[]::new), p.squares,
                    p.minI, p.minI + p.width - 1, p.minJ, p.minJ + p.height - 1);
        } else {
            placed = SqlFragment.of("""
                    ? AS k, 2 AS place
                    FROM point_month_total r CROSS JOIN (SELECT ST_GeomFromEWKB(?) AS geom) a
                    WHERE r.i BETWEEN floor(ST_XMin(a.geom) / 50) AND floor(ST_XMax(a.geom) / 50)
                      AND r.j BETWEEN floor(ST_YMin(a.geom) / 50) AND floor(ST_YMax(a.geom) / 50)""", Targets.RAW, area);
        }
        String points = "SELECT " + (byMonth ? "r.month" : "NULL::date") + " AS month, r.x, r.y, r.n, " + placed.sql()
                + (months.sql().isEmpty() ? "" : " AND " + months.sql());
        List<Object> params = new ArrayList<>(placed.params());
        params.addAll(months.params());
        SqlFragment raw = perCell(grid, SqlFragment.of("""
                SELECT t.month, ST_SetSRID(ST_MakePoint(t.x, t.y), 27700) AS geom, t.n FROM t
                WHERE t.k = ? AND (t.place = 1 OR ST_Intersects(ST_SetSRID(ST_MakePoint(t.x, t.y), 27700), ST_GeomFromEWKB(?)))""",
                Targets.RAW, area));
        String sql = "WITH t AS MATERIALIZED (" + points + ")\n"
                + "SELECT t.month, t.k, NULL::int, NULL::int, sum(t.n) FROM t WHERE t.k > 0 GROUP BY t.month, t.k\n"
                + "UNION ALL SELECT q.month, 0, q.ci, q.cj, q.sum FROM (" + raw.sql() + ") q";
        params.addAll(raw.params());
        try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                LocalDate month = rs.getObject(1, LocalDate.class);
                int k = rs.getInt(2);
                long n = rs.getLong(5);
                if (k > 0) {
                    long cell = targets.cells()[k - 1];
                    sink.add(month, Grid.keyI(cell), Grid.keyJ(cell), n);
                } else if (n != 0) {
                    sink.add(month, rs.getInt(3), rs.getInt(4), n);
                }
            }
        }
    }

    /**
     * The squares read raw as runs {@code {i, j1, j2, inside}} of one column ({@code inside} 1 when the study
     * area covers them, else 0): the listed squares in order, a run carried on over squares that are read
     * raw too and placed alike (by {@code targets}, when known) but had no rollup rows, as they hold none of
     * the rows read; so each run is one index range.
     */
    static List<int[]> runs(Map<Long, Boolean> cut, Targets targets) {
        long[] sorted = cut.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
        List<int[]> runs = new ArrayList<>();
        int[] run = null;
        for (long key : sorted) {
            int i = Grid.keyI(key), j = Grid.keyJ(key), inside = cut.get(key) ? 1 : 0;
            if (run != null && run[0] == i && run[3] == inside && bridges(targets, i, run[2], j, inside == 1)) {
                run[2] = j;
            } else {
                run = new int[]{i, j, j, inside};
                runs.add(run);
            }
        }
        return runs;
    }

    /** Whether every square strictly between {@code (i, from)} and {@code (i, to)} of a column is read raw and inside the area or not, as asked. */
    private static boolean bridges(Targets targets, int i, int from, int to, boolean inside) {
        for (int j = from + 1; j < to; j++) {
            if (targets == null || !targets.raw(i, j) || (targets.placement().square(i, j) == INSIDE) != inside) return false;
        }
        return true;
    }

    /**
     * Where each 50 m cell lies against one study area, as part 1 places it: the square of cell
     * {@code (i, j)} INSIDE (covered by the area), CUT (intersecting it otherwise) or OUTSIDE; and for
     * generalised rows, whose cell's corner is the centre of its 500 m square, whether that point
     * intersects the area (INSIDE) or not. The same PostGIS predicates as {@link #rollupRows}, computed
     * once for the area's bounding box.
     */
    static final class Placement {
        /** Most 50 m cells a placement may span (a 100 km × 100 km box: 4 MB). */
        static final long MAX_CELLS = 4_000_000;

        private final int minI, minJ, width, height;
        private final byte[] squares;
        private final Set<Long> generalisedInside;

        private Placement(int minI, int minJ, int width, int height, byte[] squares, Set<Long> generalisedInside) {
            this.minI = minI;
            this.minJ = minJ;
            this.width = width;
            this.height = height;
            this.squares = squares;
            this.generalisedInside = generalisedInside;
        }

        int square(int i, int j) {
            int a = i - minI, b = j - minJ;
            if (a < 0 || b < 0 || a >= width || b >= height) return OUTSIDE;
            return squares[a * height + b];
        }

        int generalised(int i, int j) {
            return generalisedInside.contains(Grid.key(i, j)) ? INSIDE : OUTSIDE;
        }

        /**
         * The squares' places as SQL reads them ({@link NearRepeatSums}): the box's first cell, its width
         * and height in cells, and one byte per square (OUTSIDE 0, INSIDE 1, CUT 2) at {@code (i − minI) · height + (j − minJ)}.
         */
        int minI() {
            return minI;
        }

        int minJ() {
            return minJ;
        }

        int width() {
            return width;
        }

        int height() {
            return height;
        }

        byte[] squares() {
            return squares.clone();
        }

        /** The placement of the cells of {@code area} (EWKB), or null when its box spans more than {@link #MAX_CELLS}. */
        static Placement of(Connection c, byte[] area) throws SQLException {
            int minI, minJ, maxI, maxJ;
            try (PreparedStatement ps = prepare(c, """
                    SELECT floor(ST_XMin(g) / 50)::int, floor(ST_YMin(g) / 50)::int, floor(ST_XMax(g) / 50)::int, floor(ST_YMax(g) / 50)::int
                    FROM (SELECT ST_GeomFromEWKB(?) AS g) a""", List.of(area)); ResultSet rs = ps.executeQuery()) {
                rs.next();
                minI = rs.getInt(1);
                minJ = rs.getInt(2);
                maxI = rs.getInt(3);
                maxJ = rs.getInt(4);
            }
            long cells = (long) (maxI - minI + 1) * (maxJ - minJ + 1);
            if (cells > MAX_CELLS) return null;
            int width = maxI - minI + 1, height = maxJ - minJ + 1;
            byte[] squares = new byte[width * height];
            // every square of the box (the rows part 1 reads), placed with the predicates of rollupRows
            try (PreparedStatement ps = prepare(c, """
                    SELECT e.i, e.j, CASE WHEN ST_Covers(a.geom, e.square) THEN 1 ELSE 2 END
                    FROM (SELECT ST_GeomFromEWKB(?) AS geom) a
                    CROSS JOIN LATERAL (SELECT i, j, ST_MakeEnvelope(i * 50, j * 50, i * 50 + 50, j * 50 + 50, 27700) AS square
                                        FROM generate_series(?, ?) i CROSS JOIN generate_series(?, ?) j) e
                    WHERE ST_Intersects(a.geom, e.square)""", List.of(area, minI, maxI, minJ, maxJ)); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) squares[(rs.getInt(1) - minI) * height + rs.getInt(2) - minJ] = (byte) rs.getInt(3);
            }
            // generalised points: the centres of the 500 m squares over the box that intersect the area
            Set<Long> generalised = new java.util.HashSet<>();
            try (PreparedStatement ps = prepare(c, """
                    SELECT gi * 10 + 5, gj * 10 + 5
                    FROM (SELECT ST_GeomFromEWKB(?) AS geom) a
                    CROSS JOIN generate_series(floor(? / 10.0)::int, floor(? / 10.0)::int) gi
                    CROSS JOIN generate_series(floor(? / 10.0)::int, floor(? / 10.0)::int) gj
                    WHERE ST_Intersects(a.geom, %s)""".formatted(Redaction.squareCentre("ST_SetSRID(ST_MakePoint(gi * 500, gj * 500), 27700)")),
                    List.of(area, minI, maxI, minJ, maxJ)); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) generalised.add(Grid.key(rs.getInt(1), rs.getInt(2)));
            }
            // not Set.copyOf: its open addressing is quadratic over grid keys (hash i ^ j)
            return new Placement(minI, minJ, width, height, squares, java.util.Collections.unmodifiableSet(generalised));
        }
    }

    /**
     * Part 2: the incidents the rollup rows of the CUT cells count, read raw through the cell index one
     * run of a column at a time, and tested against the area point by point as the raw query does, but
     * in squares the area covers (cut by a hexagon's edge only), where every point passes. These are rows
     * shown at their true point: all for a full-access caller, non-sensitive ones for a redacted one
     * (whose own sensitive incidents are part 3).
     */
    private static void cutCells(Connection c, IncidentFilter filter, Grid grid, byte[] area, Split split, boolean byMonth,
                                 boolean redacted, List<int[]> runs, Sink sink) throws SQLException {
        // a square the area covers needs no test: every point of it intersects the area
        SqlFragment where = SqlFragment.and(List.of(
                months("i", split), filter.kinds(),
                SqlFragment.of("(e.inside OR ST_Intersects(i.geom, ST_GeomFromEWKB(?)))", (Object) area)));
        // the runs' rows of the window through incident_cell50_idx (V12): the join repeats its expressions;
        // rows at one point (police.uk's anonymised points hold many) are counted together, and each
        // point is then placed once, at the same coordinates
        String sql = """
                SELECT p.month, ST_SetSRID(ST_MakePoint(p.x, p.y), 27700) AS geom, count(*) AS n
                FROM (SELECT %1$s AS month, ST_X(i.geom) AS x, ST_Y(i.geom) AS y
                      FROM unnest(?::int[], ?::int[], ?::int[], ?::boolean[]) AS e(i, j1, j2, inside)
                      JOIN incident i ON i.geom IS NOT NULL
                                      AND floor(ST_X(i.geom) / 50)::integer = e.i AND floor(ST_Y(i.geom) / 50)::integer BETWEEN e.j1 AND e.j2%2$s
                      WHERE %3$s) p
                GROUP BY p.month, p.x, p.y""".formatted(
                byMonth ? month("i") : "NULL::date",
                redacted ? " JOIN incident_category k ON k.code = i.category AND NOT k.sensitive" : "",
                where.sql());
        List<Object> params = new ArrayList<>();
        params.add(runs.stream().map(r -> r[0]).toArray(Integer[]::new));
        params.add(runs.stream().map(r -> r[1]).toArray(Integer[]::new));
        params.add(runs.stream().map(r -> r[2]).toArray(Integer[]::new));
        params.add(runs.stream().map(r -> r[3] == 1).toArray(Boolean[]::new));
        params.addAll(where.params());
        SqlFragment counts = perCell(grid, new SqlFragment(sql, params));
        read(c, counts.sql(), counts.params(), sink);
    }

    /**
     * Part 3, for a redacted caller: their own sensitive incidents are in the rollup at the generalised
     * point (read in part 1) while {@link Redaction} shows them to their recorder exact. For each,
     * −1 at its generalised point and +1 at its true point, each where it lies in the study area.
     */
    private static void ownSensitive(Connection c, IncidentFilter filter, Grid grid, byte[] area, Split split, boolean byMonth,
                                     Sink sink) throws SQLException {
        SqlFragment where = SqlFragment.and(List.of(
                SqlFragment.of("i.recorded_by = ? AND i.geom IS NOT NULL", filter.viewer().id()),
                months("i", split), filter.kinds(),
                SqlFragment.of("ST_Intersects(p.geom, ST_GeomFromEWKB(?))", (Object) area)));
        String sql = """
                SELECT %1$s AS month, p.geom, p.sign AS n
                FROM incident i JOIN incident_category k ON k.code = i.category AND k.sensitive
                CROSS JOIN LATERAL (VALUES (i.geom, 1), (%2$s, -1)) AS p(geom, sign)
                WHERE %3$s""".formatted(byMonth ? month("i") : "NULL::date", Redaction.squareCentre("i.geom"), where.sql());
        SqlFragment counts = perCell(grid, new SqlFragment(sql, where.params()));
        read(c, counts.sql(), counts.params(), sink);
    }

    /** The rows part 4 looks at: month-precise rows not stored at their month's local start (the partial index's conditions). */
    private static final String OFFSET_MONTH_ROWS = """
            i.occurred_precision = 'month'
              AND i.occurred_at <> (date_trunc('month', i.occurred_at AT TIME ZONE 'Europe/London') AT TIME ZONE 'Europe/London')""";

    /**
     * Whether part 4 has any row to correct: a month-precise row off its month's start within the
     * filter's {@link #span}, looked up in the partial index {@code incident_offset_month_idx}, which
     * holds only such rows (none when every import stores months at their local start). The planner
     * cannot estimate the index's condition and takes it to hold nearly every row, so it may scan a
     * month's rows for it (measured: 0.1–0.2 s per month partition); this lookup asks for the first
     * row in time order, which that index gives directly, with scans other than index scans disabled.
     */
    static boolean anyOffsetMonthRows(Connection c, IncidentFilter filter) throws SQLException {
        SqlFragment span = span("i", filter);
        String sql = "SELECT i.occurred_at FROM incident i WHERE " + OFFSET_MONTH_ROWS
                + (span.sql().isEmpty() ? "" : " AND " + span.sql()) + " ORDER BY i.occurred_at LIMIT 1";
        try (Statement st = c.createStatement()) {
            st.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off");
            try (PreparedStatement ps = prepare(c, sql, span.params()); ResultSet rs = ps.executeQuery()) {
                return rs.next();
            } finally {
                st.execute("RESET enable_seqscan; RESET enable_bitmapscan");
            }
        }
    }

    /**
     * Bounds on the instant of every row part 4 may weigh: a row outside them is neither in the
     * window (by its rule) nor in a whole month of the split, which lies inside the window. From local
     * midnight starting {@code from} to local midnight after {@code to}; open where the window is.
     */
    private static SqlFragment span(String alias, IncidentFilter filter) {
        return SqlFragment.and(List.of(
                filter.from() == null ? SqlFragment.EMPTY : SqlFragment.of(alias + ".occurred_at >= ?", midnight(filter.from())),
                filter.to() == null ? SqlFragment.EMPTY : SqlFragment.of(alias + ".occurred_at < ?", midnight(filter.to().plusDays(1)))));
    }

    /**
     * Part 4: month-precise rows not at their month's local start (e.g. stored at UTC midnight in
     * summer). The rollup counts such a row in its month; {@link aim.incidents.OccurredWindow} counts
     * it by comparing its instant with the whole window's ends, which month sums cannot reproduce. So
     * each adds (counted by the window rule) − (counted in a whole month of the split), at the point
     * the caller sees. The conditions repeat the partial index {@code incident_offset_month_idx}.
     */
    private static void offsetMonthRows(Connection c, IncidentFilter filter, Grid grid, byte[] area, Split split, boolean byMonth,
                                        Sink sink) throws SQLException {
        SqlFragment areaGeometry = SqlFragment.of("ST_GeomFromEWKB(?)", (Object) area);
        SqlFragment from = filter.incidents(areaGeometry);
        SqlFragment rule = filter.window(), whole = months("i", split);
        // the located conditions without the window (the window is weighed in the sum), within the span
        // that holds every row weighed (so only its months' partitions are read)
        SqlFragment where = SqlFragment.and(List.of(filter.during(null, null).located(areaGeometry), span("i", filter)));
        String sql = """
                SELECT %1$s AS month, i.geom, (%2$s)::int - (%3$s)::int AS n
                FROM %4$s
                WHERE %5$s AND %6$s""".formatted(byMonth ? month("i") : "NULL::date",
                orTrue(rule), orTrue(whole), from.sql(), OFFSET_MONTH_ROWS, where.sql());
        List<Object> params = new ArrayList<>();
        params.addAll(rule.params());
        params.addAll(whole.params());
        params.addAll(from.params());
        params.addAll(where.params());
        SqlFragment counts = perCell(grid, new SqlFragment(sql, params));
        read(c, counts.sql(), counts.params(), sink);
    }

    private static String orTrue(SqlFragment condition) {
        return condition.sql().isEmpty() ? "true" : condition.sql();
    }

    /** The rows whose local month is one of the split's whole months (the rollup's month), as bounds on the instant. */
    private static SqlFragment months(String alias, Split split) {
        return SqlFragment.and(List.of(
                split.first() == null ? SqlFragment.EMPTY : SqlFragment.of(alias + ".occurred_at >= ?", midnight(split.first())),
                split.last() == null ? SqlFragment.EMPTY : SqlFragment.of(alias + ".occurred_at < ?", midnight(split.last().plusDays(1)))));
    }

    /** The rollup's month of a row: the first day of its month in Europe/London. */
    private static String month(String alias) {
        return "date_trunc('month', " + alias + ".occurred_at AT TIME ZONE 'Europe/London')::date";
    }

    private static OffsetDateTime midnight(LocalDate date) {
        return OffsetDateTime.ofInstant(date.atStartOfDay(Council.UK).toInstant(), ZoneOffset.UTC);
    }

    private static void read(Connection c, String sql, List<Object> params, Sink sink) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long n = rs.getLong(4);
                if (n != 0) sink.add(rs.getObject(1, LocalDate.class), rs.getInt(2), rs.getInt(3), n);
            }
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, List<Object> params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        ps.setFetchSize(1000);
        for (int k = 0; k < params.size(); k++) ps.setObject(k + 1, params.get(k));
        return ps;
    }
}
