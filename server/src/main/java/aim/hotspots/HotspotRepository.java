package aim.hotspots;

import aim.boundaries.StudyArea;
import aim.db.DataVersions;
import aim.db.SqlFragment;
import aim.incidents.IncidentFilter;
import com.fasterxml.jackson.core.JsonGenerator;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The hotspot engine's SQL: the cells of a study area, incident counts per cell (always counted by
 * the database with {@code GROUP BY} on the cell, never by reading incidents into Java), and the
 * output, where PostGIS builds each cell's polygon and writes it as WGS84 GeoJSON that is streamed
 * from a cursor. Everything is in EPSG:27700 metres until that last transform. Incidents are counted
 * where the filter's viewer may see them ({@link IncidentFilter#incidents}), so no cell size tells a
 * caller more about a generalised incident than its 500 m square.
 *
 * <p>Square grids whose size is a multiple of 50 m and hexagons of 250 m or more read the whole months of
 * a window from the 50 m rollup ({@link CellRollups}, {@code cell_month_count}), and only the partial
 * months at its edges (and the 50 m cells cut by a cell's or the area's edge) from raw rows; hexagons of every
 * size read the point totals (V24) for an unfiltered full-access caller; other grids read raw rows. Both give
 * the same counts.
 */
public final class HotspotRepository {
    private static final int FETCH_SIZE = 1000;
    /** The data a cell count depends on: the incidents, and the boundaries of the study area. */
    private static final String[] VERSIONED = {"incidents", "boundaries"};

    private final DataSource dataSource;
    private final boolean rollups, cached;

    public HotspotRepository(DataSource dataSource) {
        this(dataSource, true);
    }

    /**
     * With {@code rollups} false every count is read from raw rows (tests compare both paths);
     * otherwise square grids of a multiple of 50 m and hexagons of 250 m or more read whole months from {@link CellRollups}.
     */
    HotspotRepository(DataSource dataSource, boolean rollups) {
        this(dataSource, rollups, true);
    }

    /** With {@code cached} false, the study area, its cells and the placement of 50 m cells are computed per request. */
    HotspotRepository(DataSource dataSource, boolean rollups, boolean cached) {
        this.dataSource = dataSource;
        this.rollups = rollups;
        this.cached = cached;
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
    public GridCounts gridCounts(IncidentFilter filter, Grid grid) {
        return gridCounts(filter, grid, null);
    }

    /**
     * {@link #gridCounts(IncidentFilter, Grid)} limited to the cells that meet {@code bbox} (WGS84
     * {minLon, minLat, maxLon, maxLat}; null for the whole area): each cell returned is counted in full (a
     * cell at the box's edge never shows part of its count) and no cell outside them is returned. The
     * counting reads only the area's parts meeting those cells ({@link BoxArea}), never the whole area's
     * union: a map's tile of a national ward set costs what its own wards cost.
     */
    public GridCounts gridCounts(IncidentFilter filter, Grid grid, double[] bbox) {
        return inTransaction(c -> {
            String version = version(c, filter.area());
            if (bbox == null) {
                byte[] whole = studyArea(c, filter.area(), version);
                return withStudyCells(grid, studyCells(c, grid, whole, version), incidentCounts(c, filter, grid, whole, version));
            }
            // the area in the box and its cells, kept per version of the study area, grid and box (a map's tile);
            // the 50 m cells are placed per request (a placement of a tile's whole box would cost more than it saves)
            BoxArea box = version == null ? boxArea(c, filter.area(), grid, bbox)
                    : boxAreas.get(version + " " + grid.kind() + " " + grid.size() + " " + java.util.Arrays.toString(bbox),
                    () -> boxArea(c, filter.area(), grid, bbox));
            CellCounts counts = incidentCounts(c, filter, grid, box.area(), null);
            IntList is = new IntList(), js = new IntList();
            List<Long> ns = new ArrayList<>();
            for (int k = 0; k < counts.size(); k++) {
                if (!box.covers(counts.i()[k], counts.j()[k])) continue;
                is.add(counts.i()[k]);
                js.add(counts.j()[k]);
                ns.add(counts.n()[k]);
            }
            return withStudyCells(grid, box.cells(), new CellCounts(is.toArray(), js.toArray(), ns.stream().mapToLong(Long::longValue).toArray()));
        });
    }

    /**
     * The part of a study area a box needs: {@code area} (EWKB, EPSG:27700) is the union of the area's parts
     * (its wards, or the one area) meeting the cells that cover the box's part of the area's envelope
     * ({@code cover}, keys of {@link Grid#key}); {@code cells} the study cells of the area among them. A cell
     * of {@code cover} meets only parts in {@code area}, so it holds the same incidents of {@code area} as
     * of the whole study area; and no point of either is moved by cutting it to the box (the outline's
     * points stay where they are, so an incident on it counts as it does for the whole area).
     */
    record BoxArea(byte[] area, java.util.Set<Long> cover, int[][] cells) {
        boolean covers(int i, int j) {
            return cover.contains(Grid.key(i, j));
        }

        long bytes() {
            return area.length + 48L * cover.size() + 8L * cells[0].length;
        }
    }

    /** Areas in a box by version, grid and box: at most {@value #BOX_BYTES} bytes, the least recently used out first. */
    static final long BOX_BYTES = 256L << 20;
    private final BoxAreas boxAreas = new BoxAreas();

    /**
     * The cache of {@link BoxArea}s, bounded by their size (a zoom 6 tile's part of England is about a megabyte; Caffeine
     * evicts the least useful first): a map's view of England at zoom 6 keeps its 88 tiles while it is zoomed in.
     */
    private static final class BoxAreas {
        private final Cache<String, BoxArea> areas = Caffeine.newBuilder()
                .maximumWeight(BOX_BYTES)
                .weigher((String key, BoxArea box) -> (int) Math.min(Integer.MAX_VALUE, box.bytes()))
                .build();

        BoxArea get(String key, Work0<BoxArea> compute) throws SQLException {
            BoxArea known = areas.getIfPresent(key);
            if (known != null) return known;
            BoxArea box = compute.run(); // outside any lock: tiles are computed in parallel
            areas.put(key, box);
            return box;
        }
    }

    /**
     * The incident counts of {@link #gridCounts(IncidentFilter, Grid, double[])} in cells holding incidents only (what a
     * count tile draws): for a whole assigned ward set on squares the 50 m rollup serves, and a caller who sees every
     * incident exact, counted through each point's ward ({@link WardSetCounts}, no union of the wards near the box);
     * otherwise that method's non-zero cells.
     */
    public CellCounts countsInBox(IncidentFilter filter, SquareGrid grid, double[] bbox) {
        Optional<CellCounts> counts = wardSetCounts(filter, grid, bbox);
        if (counts.isPresent()) return counts.get();
        GridCounts cells = gridCounts(filter, grid, bbox);
        IntList is = new IntList(), js = new IntList();
        List<Long> ns = new ArrayList<>();
        for (int k = 0; k < cells.n(); k++) {
            if (cells.count(k) == 0) continue;
            is.add(cells.i(k));
            js.add(cells.j(k));
            ns.add((long) cells.count(k));
        }
        return new CellCounts(is.toArray(), js.toArray(), ns.stream().mapToLong(Long::longValue).toArray());
    }

    /** {@link #countsInBox} through each point's ward ({@link WardSetCounts}), or empty when that path does not serve the request. */
    Optional<CellCounts> wardSetCounts(IncidentFilter filter, SquareGrid grid, double[] bbox) {
        StudyArea area = filter.area();
        if (!rollups || area.code() != null || area.level() != aim.boundaries.BoundaryLevel.WARD || !CellRollups.serves(grid)
                || aim.incidents.Redaction.applies(filter.viewer())) return Optional.empty();
        return inTransaction(c -> {
            String version = version(c, area);
            if (version == null && (cached || !assigned(c, area.setId()))) return Optional.empty();
            // the cover is kept per version of the set, grid and box; the squares holding a point outside every ward per
            // set, box and version of the incidents (a new point may lie outside), both read in this transaction's snapshot
            WardSetCounts.Cover cover = version == null ? WardSetCounts.Cover.of(coverCells(c, area, grid, bbox))
                    : cache(coverCache, version + " " + grid.size() + " " + java.util.Arrays.toString(bbox),
                    () -> WardSetCounts.Cover.of(coverCells(c, area, grid, bbox)));
            String data = version == null ? null : DataVersions.tag(c, VERSIONED);
            String points = data == null ? null : area.setId() + " " + data;
            return WardSetCounts.count(c, filter, grid, cover, range -> points == null ? WardSetCounts.mixedSquares(c, area.setId(), range)
                    : cache(mixedCache, points + " " + java.util.Arrays.toString(range),
                    () -> WardSetCounts.mixedSquares(c, area.setId(), range)),
                    // whether the window holds month rows off their month's start: kept per data version and window
                    () -> data == null ? CellRollups.anyOffsetMonthRows(c, filter)
                            : cache(offsetMonthCache, data + " " + filter.from() + " " + filter.to(),
                            () -> CellRollups.anyOffsetMonthRows(c, filter)));
        });
    }

    /**
     * Kept for {@link #wardSetCounts}: the cells covering a box by set version, grid and box; the mixed squares of a
     * range; whether a window holds month rows off their month's start, by data version and window.
     */
    private final Cache<String, WardSetCounts.Cover> coverCache = Caffeine.newBuilder().maximumSize(CACHED).build();
    private final Cache<String, int[][]> mixedCache = Caffeine.newBuilder().maximumSize(CACHED).build();
    private final Cache<String, Boolean> offsetMonthCache = Caffeine.newBuilder().maximumSize(CACHED).build();

    /** Whether the set's points are placed ({@code rollup_set}), so {@code point_area} answers for it. */
    private static boolean assigned(Connection c, long setId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM rollup_set WHERE set_id = ?")) {
            ps.setLong(1, setId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The cells of {@code grid} covering the box's part of the study area's envelope: {i[], j[]}. */
    private static int[][] coverCells(Connection c, StudyArea studyArea, Grid grid, double[] bbox) throws SQLException {
        SqlFragment parts = studyArea.parts();
        SqlFragment cover = grid.cellsCovering("v.geom");
        // the cells covering the box's part of the area's envelope (so a box far larger than the area costs no more than it)
        String cells = """
                WITH p AS (%1$s)
                SELECT g.i, g.j FROM (SELECT ST_Intersection(ST_SetSRID(ST_Extent(p.geom)::geometry, 27700),
                                             ST_Transform(ST_MakeEnvelope(?, ?, ?, ?, 4326), 27700)) AS geom FROM p) v
                CROSS JOIN LATERAL %2$s g""".formatted(parts.sql(), cover.sql());
        List<Object> params = new ArrayList<>(parts.params());
        for (double d : bbox) params.add(d);
        params.addAll(cover.params());
        IntList ci = new IntList(), cj = new IntList();
        query(c, cells, params, rs -> {
            ci.add(rs.getInt(1));
            cj.add(rs.getInt(2));
        });
        return new int[][]{ci.toArray(), cj.toArray()};
    }

    private static BoxArea boxArea(Connection c, StudyArea studyArea, Grid grid, double[] bbox) throws SQLException {
        int[][] cover = coverCells(c, studyArea, grid, bbox);
        int[] ci = cover[0], cj = cover[1];
        java.util.Set<Long> covering = new java.util.HashSet<>();
        for (int k = 0; k < ci.length; k++) covering.add(Grid.key(ci[k], cj[k]));
        byte[] area = partsMeeting(c, studyArea, grid, ci, cj);
        // not Set.copyOf: its open addressing is quadratic over grid keys, whose hash i ^ j nearby cells share
        return new BoxArea(area, java.util.Collections.unmodifiableSet(covering), studyCellsByPart(c, studyArea, area, grid, ci, cj));
    }

    /**
     * The study cells among {@code (i[k], j[k])}, in grid order: those whose interior meets the interior of
     * {@code area} (EWKB, the union of the study area's parts there), as {@link #studyCells(Connection, Grid, byte[])}
     * decides. A cell the area contains properly is one (prepared predicates on the area, fast); for the others, cut
     * by its outline, the interiors are compared part by part through the boundaries' spatial index (a cell meets the
     * union's interior, an open set, only where it meets a part's interior, the parts being finitely many closed
     * sets): a cell on England's coast is tested against its few wards, never related to the country's whole outline.
     */
    private static int[][] studyCellsByPart(Connection c, StudyArea studyArea, byte[] area, Grid grid, int[] i, int[] j)
            throws SQLException {
        SqlFragment parts = studyArea.parts();
        SqlFragment polygon = grid.cellPolygon("x.i", "x.j");
        String sql = """
                SELECT g.i, g.j
                FROM (SELECT x.i, x.j, %2$s AS geom FROM unnest(?::int[], ?::int[]) AS x(i, j)) g
                CROSS JOIN (SELECT ST_GeomFromEWKB(?) AS geom) a
                WHERE ST_Intersects(a.geom, g.geom)
                  AND (ST_ContainsProperly(a.geom, g.geom)
                       OR EXISTS (SELECT 1 FROM (%1$s) p WHERE p.geom && g.geom AND ST_Intersects(g.geom, p.geom)
                                  AND (ST_ContainsProperly(p.geom, g.geom) OR NOT ST_Touches(g.geom, p.geom))))
                ORDER BY g.i, g.j""".formatted(parts.sql(), polygon.sql());
        List<Object> params = new ArrayList<>(polygon.params());
        params.add(box(i));
        params.add(box(j));
        params.add(area);
        params.addAll(parts.params());
        IntList is = new IntList(), js = new IntList();
        query(c, sql, params, rs -> {
            is.add(rs.getInt(1));
            js.add(rs.getInt(2));
        });
        return new int[][]{is.toArray(), js.toArray()};
    }

    /**
     * The study cells {@code study} in grid order with their counts (zero when not counted), then any
     * counted cell that is not one of them.
     */
    private static GridCounts withStudyCells(Grid grid, int[][] study, CellCounts counts) {
        IntList is = new IntList(), js = new IntList();
        for (int k = 0; k < study[0].length; k++) {
            is.add(study[0][k]);
            js.add(study[1][k]);
        }
        Map<Long, Integer> position = new HashMap<>(is.size() * 2);
        for (int k = 0; k < is.size(); k++) position.put(Grid.key(is.get(k), js.get(k)), k);
        List<Double> values = new ArrayList<>(java.util.Collections.nCopies(is.size(), 0.0));
        for (int k = 0; k < counts.size(); k++) {
            Integer at = position.get(Grid.key(counts.i()[k], counts.j()[k]));
            if (at == null) {
                is.add(counts.i()[k]);
                js.add(counts.j()[k]);
                values.add((double) counts.n()[k]);
            } else {
                values.set(at, (double) counts.n()[k]);
            }
        }
        if (is.size() > GridCounts.MAX_CELLS) throw new TooManyCells(is.size());
        double[] n = new double[values.size()];
        for (int k = 0; k < n.length; k++) n[k] = values.get(k);
        return new GridCounts(grid, is.toArray(), js.toArray(), n);
    }

    /** The study cells of {@code area}, cached per version of the study area and grid when there is a version. */
    private int[][] studyCells(Connection c, Grid grid, byte[] area, String version) throws SQLException {
        return version == null ? studyCells(c, grid, area)
                : cache(cellsCache, version + " " + grid.kind() + " " + grid.size(), () -> studyCells(c, grid, area));
    }

    /** The cells of {@code grid} that belong to the study area {@code area} (EWKB): {i[], j[]}, in grid order. */
    private static int[][] studyCells(Connection c, Grid grid, byte[] area) throws SQLException {
        SqlFragment cover = grid.cellsCovering("a.geom");
        String sql = """
                SELECT g.i, g.j
                FROM (SELECT ST_GeomFromEWKB(?) AS geom) a CROSS JOIN LATERAL %s g
                WHERE ST_Intersects(g.geom, a.geom)
                  AND (ST_ContainsProperly(a.geom, g.geom) OR NOT ST_Touches(g.geom, a.geom))""".formatted(cover.sql());
        List<Object> params = new ArrayList<>();
        params.add(area);
        params.addAll(cover.params());
        IntList is = new IntList(), js = new IntList();
        query(c, sql, params, rs -> {
            is.add(rs.getInt(1));
            js.add(rs.getInt(2));
        });
        return new int[][]{is.toArray(), js.toArray()};
    }

    /** The study area has more cells than one analysis may hold. */
    public static final class TooManyCells extends RuntimeException {
        public final int cells;

        TooManyCells(int cells) {
            super(cells + " cells");
            this.cells = cells;
        }
    }

    /** Incident counts of the non-empty cells: {@code n[k]} incidents in cell {@code (i[k], j[k])}. */
    public record CellCounts(int[] i, int[] j, long[] n) {
        public int size() {
            return i.length;
        }
    }

    /**
     * The counting query alone: the filter's incidents per cell, {@code GROUP BY} the cell in the
     * database (for the benchmark, which compares it with the whole request).
     */
    public CellCounts incidentCounts(IncidentFilter filter, Grid grid) {
        return inTransaction(c -> {
            String version = version(c, filter.area());
            return incidentCounts(c, filter, grid, studyArea(c, filter.area(), version), version);
        });
    }

    /**
     * Whole months from the 50 m rollup when the grid allows it ({@link CellRollups}), the partial
     * months at the window's edges and every other grid from raw rows.
     */
    private CellCounts incidentCounts(Connection c, IncidentFilter filter, Grid grid, byte[] area, String version) throws SQLException {
        Optional<CellRollups.Split> split = split(filter, grid);
        if (split.isEmpty()) return rawCounts(c, filter, grid, area);
        Map<Long, Long> tally = new HashMap<>();
        CellRollups.addWholeMonths(c, filter, grid, area, placement(c, version, area), split.get(), false,
                (month, ci, cj, n) -> tally.merge(Grid.key(ci, cj), n, Long::sum));
        for (LocalDate[] edge : split.get().edges()) {
            CellCounts raw = rawCounts(c, filter.during(edge[0], edge[1]), grid, area);
            for (int k = 0; k < raw.size(); k++) tally.merge(Grid.key(raw.i()[k], raw.j()[k]), raw.n()[k], Long::sum);
        }
        tally.values().removeIf(n -> n == 0);
        int[] is = new int[tally.size()], js = new int[tally.size()];
        long[] ns = new long[tally.size()];
        int k = 0;
        for (var e : tally.entrySet()) {
            is[k] = Grid.keyI(e.getKey());
            js[k] = Grid.keyJ(e.getKey());
            ns[k++] = e.getValue();
        }
        return new CellCounts(is, js, ns);
    }

    /** How the filter's window splits into rollup months and raw edges, or empty for the raw path alone. */
    private Optional<CellRollups.Split> split(IncidentFilter filter, Grid grid) {
        if (!rollups || !CellRollups.serves(grid, filter)) return Optional.empty();
        return CellRollups.Split.of(filter.from(), filter.to());
    }

    private CellCounts rawCounts(Connection c, IncidentFilter filter, Grid grid, byte[] area) throws SQLException {
        SqlFragment from = grid.incidentsWithCells(filter.incidents(SqlFragment.of("ST_GeomFromEWKB(?)", (Object) area)));
        SqlFragment where = where(filter, area);
        String sql = "SELECT c.ci, c.cj, count(*) FROM " + from.sql() + " WHERE " + where.sql() + " GROUP BY c.ci, c.cj";
        List<Object> params = new ArrayList<>(from.params());
        params.addAll(where.params());
        IntList is = new IntList(), js = new IntList();
        List<Long> n = new ArrayList<>();
        query(c, sql, params, rs -> {
            is.add(rs.getInt(1));
            js.add(rs.getInt(2));
            n.add(rs.getLong(3));
        });
        return new CellCounts(is.toArray(), js.toArray(), n.stream().mapToLong(Long::longValue).toArray());
    }

    /**
     * Counts of the filter's incidents on the given cells (aligned with them); element
     * {@code [cells.n()]} is the total in the study area, including any incident in no listed cell.
     */
    public double[] countsOn(GridCounts cells, IncidentFilter filter) {
        CellCounts counts = inTransaction(c -> {
            String version = version(c, filter.area());
            return incidentCounts(c, filter, cells.grid(), studyArea(c, filter.area(), version), version);
        });
        double[] result = new double[cells.n() + 1];
        for (int k = 0; k < counts.size(); k++) {
            int at = cells.indexOf(counts.i()[k], counts.j()[k]);
            if (at >= 0) result[at] += counts.n()[k];
            result[cells.n()] += counts.n()[k];
        }
        return result;
    }

    /**
     * Counts per time slice on the given cells: {@code [slice][cell]}. The database puts each
     * incident in its slice by a binary search of the slice boundaries (local midnights in
     * Europe/London, so a slice is the same calendar period the date filter uses) and groups by
     * slice and cell; with the rollup, each whole month goes to the slice holding it.
     */
    public double[][] sliceCounts(GridCounts cells, IncidentFilter filter, TimeSlices slices) {
        return inTransaction(c -> {
            String version = version(c, filter.area());
            byte[] area = studyArea(c, filter.area(), version);
            double[][] result = new double[slices.size()][cells.n()];
            slicesByCell(c, filter, cells.grid(), slices, area, version, (slice, ci, cj, n) -> {
                int at = cells.indexOf(ci, cj);
                if (at >= 0) result[slice][at] += n;
            });
            return result;
        });
    }

    /** The cells of an emerging analysis with their counts over the slices' window, and the counts per slice ({@code [slice][cell]}). */
    public record SliceCounts(GridCounts cells, double[][] counts, String dataVersion) {
    }

    /**
     * {@link #gridCounts(IncidentFilter, Grid)} and {@link #sliceCounts} in one read, for a filter whose
     * window is the slices' window: the counts per slice and cell are read once (whole months from the
     * rollup by month and the partial months raw, or raw by slice), and a cell's count is the sum of its
     * slices, as the slices partition the window (every incident the window counts lies between the
     * first and the last boundary). Throws {@link HotspotEngine.TooLarge} beyond
     * {@link HotspotEngine#MAX_CELL_SLICES} before any incident is counted.
     */
    public SliceCounts emergingCounts(IncidentFilter filter, Grid grid, TimeSlices slices) {
        if (!slices.from().equals(filter.from()) || !slices.to().equals(filter.to()))
            throw new IllegalArgumentException("the filter's window is not the slices' window");
        return inTransaction(c -> {
            String version = version(c, filter.area());
            byte[] area = studyArea(c, filter.area(), version);
            int[][] study = studyCells(c, grid, area, version);
            checkSize(study[0].length, slices.size());
            int m = slices.size();
            Map<Long, long[]> counted = new HashMap<>();
            slicesByCell(c, filter, grid, slices, area, version,
                    (slice, ci, cj, n) -> counted.computeIfAbsent(Grid.key(ci, cj), k -> new long[m])[slice] += n);
            counted.values().removeIf(row -> java.util.Arrays.stream(row).allMatch(n -> n == 0));
            int[] is = new int[counted.size()], js = new int[counted.size()];
            long[] ns = new long[counted.size()];
            int k = 0;
            for (var e : counted.entrySet()) {
                is[k] = Grid.keyI(e.getKey());
                js[k] = Grid.keyJ(e.getKey());
                ns[k++] = java.util.Arrays.stream(e.getValue()).sum();
            }
            GridCounts cells = withStudyCells(grid, study, new CellCounts(is, js, ns));
            checkSize(cells.n(), m);
            double[][] result = new double[m][cells.n()];
            for (var e : counted.entrySet()) {
                int at = cells.indexOf(Grid.keyI(e.getKey()), Grid.keyJ(e.getKey()));
                for (int s = 0; s < m; s++) result[s][at] = e.getValue()[s];
            }
            return new SliceCounts(cells, result, DataVersions.tag(c, VERSIONED));
        });
    }

    /**
     * Sums of exponentially decayed counts per cell, month start and decay time: {@code sums[r][d]}
     * for cell {@code (ci[r], cj[r])} before month start {@code start[r]} (an index into the starts asked
     * for) with decay time {@code Forecast.DECAY_DAYS[d]}. Rows of the same start and cell add up.
     */
    public record RecentSums(int[] start, int[] ci, int[] cj, double[][] sums, String dataVersion) {
    }

    /**
     * The filter's exact-time incidents (recorded to the minute or day, not police.uk's months) shortly
     * before each of {@code monthStarts} (null entries are skipped), exponentially decayed per cell of
     * {@code grid}: what the forecast's near-repeat term reads ({@link Forecast.RecentCounts#of(GridCounts, RecentSums, int)}).
     * The database sums each row's day weights per cell and month start in one pass ({@link NearRepeatSums}),
     * so only those sums leave it. Raw rows, as the rollups keep months only; the same redacted rows as
     * every count; the study area tested through the cached placement of 50 m squares.
     */
    public RecentSums recentExactTimeSums(Grid grid, IncidentFilter filter, LocalDate[] monthStarts) {
        return inTransaction(c -> {
            String version = version(c, filter.area());
            byte[] area = studyArea(c, filter.area(), version);
            RecentSums sums = NearRepeatSums.read(c, grid, filter, area, placement(c, version, area), monthStarts);
            return new RecentSums(sums.start(), sums.ci(), sums.cj(), sums.sums(), DataVersions.tag(c, VERSIONED));
        });
    }

    /**
     * {@link #recentExactTimeSums} as it was read before {@link NearRepeatSums}, kept as the reference its
     * equality test compares with: the incidents counted per local day and cell ({@code AT TIME ZONE} per
     * row, every row tested against the area), then joined to the month starts in reach and summed.
     */
    RecentSums recentExactTimeSumsByDay(Grid grid, IncidentFilter filter, LocalDate[] monthStarts) {
        return inTransaction(c -> {
            String version = version(c, filter.area());
            byte[] area = studyArea(c, filter.area(), version);
            SqlFragment from = grid.incidentsWithCells(filter.incidents(SqlFragment.of("ST_GeomFromEWKB(?)", (Object) area)));
            SqlFragment where = SqlFragment.and(List.of(where(filter, area), SqlFragment.of("i.occurred_precision <> 'month'")));
            StringBuilder sums = new StringBuilder();
            List<Object> params = new ArrayList<>();
            for (double decay : Forecast.DECAY_DAYS) {
                sums.append(", sum(x.n * exp(-((o.day - x.day) - 0.5) / ?::float8))");
                params.add(decay);
            }
            String sql = "SELECT o.k, x.ci, x.cj" + sums + " FROM (SELECT (i.occurred_at AT TIME ZONE '" + aim.core.Council.UK.getId()
                    + "')::date AS day, c.ci, c.cj, count(*) AS n FROM " + from.sql() + " WHERE " + where.sql() + " GROUP BY 1, c.ci, c.cj) x"
                    + " JOIN unnest(?::date[]) WITH ORDINALITY AS o(day, k) ON x.day < o.day AND x.day >= o.day - ?::int"
                    + " GROUP BY o.k, x.ci, x.cj";
            params.addAll(from.params());
            params.addAll(where.params());
            params.add(java.util.Arrays.stream(monthStarts).map(d -> d == null ? null : d.toString()).toArray(String[]::new));
            params.add(Forecast.NEAR_REPEAT_DAYS);
            IntList start = new IntList(), ci = new IntList(), cj = new IntList();
            List<double[]> values = new ArrayList<>();
            query(c, sql, params, rs -> {
                start.add(rs.getInt(1) - 1);
                ci.add(rs.getInt(2));
                cj.add(rs.getInt(3));
                double[] v = new double[Forecast.DECAY_DAYS.length];
                for (int d = 0; d < v.length; d++) v[d] = rs.getDouble(4 + d);
                values.add(v);
            });
            return new RecentSums(start.toArray(), ci.toArray(), cj.toArray(), values.toArray(double[][]::new),
                    DataVersions.tag(c, VERSIONED));
        });
    }

    private static void checkSize(int cells, int slices) {
        if ((long) cells * slices > HotspotEngine.MAX_CELL_SLICES) throw new HotspotEngine.TooLarge(cells, slices);
    }

    /** Receives counts per slice: {@code n} incidents of slice {@code slice} in cell {@code (ci, cj)}. */
    @FunctionalInterface
    private interface SliceSink {
        void add(int slice, int ci, int cj, long n);
    }

    /**
     * The filter's counts per slice and cell of {@code grid}: whole months from the rollup when the grid
     * allows it, each month going to the slice holding it (slices are whole months or quarters), and
     * the partial months at the window's edges raw; otherwise raw by slice, in one query.
     */
    private void slicesByCell(Connection c, IncidentFilter filter, Grid grid, TimeSlices slices, byte[] area, String version,
                              SliceSink sink) throws SQLException {
        Optional<CellRollups.Split> split = split(filter, grid);
        if (split.isEmpty()) {
            rawSliceCounts(c, grid, filter, slices, area, sink);
            return;
        }
        Map<LocalDate, Integer> sliceOf = new HashMap<>();
        for (int s = 0; s < slices.size(); s++) {
            TimeSlices.Slice slice = slices.slices().get(s);
            for (LocalDate m = slice.from().withDayOfMonth(1); !m.isAfter(slice.to()); m = m.plusMonths(1)) sliceOf.put(m, s);
        }
        CellRollups.addWholeMonths(c, filter, grid, area, placement(c, version, area), split.get(), true,
                (month, ci, cj, n) -> {
                    Integer slice = sliceOf.get(month);
                    if (slice != null) sink.add(slice, ci, cj, n);
                });
        for (LocalDate[] edge : split.get().edges()) rawSliceCounts(c, grid, filter.during(edge[0], edge[1]), slices, area, sink);
    }

    /** The raw rows' counts per slice and cell, in one query. */
    private static void rawSliceCounts(Connection c, Grid grid, IncidentFilter filter, TimeSlices slices, byte[] area,
                                       SliceSink sink) throws SQLException {
        SqlFragment from = grid.incidentsWithCells(filter.incidents(SqlFragment.of("ST_GeomFromEWKB(?)", (Object) area)));
        SqlFragment where = where(filter, area);
        // the boundaries in a subquery: computed once, where a bare cast of the text array would
        // be parsed again on every row (the cast depends on the time zone setting, so it is not folded)
        String sql = "SELECT width_bucket(i.occurred_at, (SELECT ?::timestamptz[])), c.ci, c.cj, count(*) FROM " + from.sql()
                + " WHERE " + where.sql() + " GROUP BY 1, c.ci, c.cj";
        List<Object> params = new ArrayList<>();
        params.add(slices.boundaries().stream().map(java.time.Instant::toString).toArray(String[]::new));
        params.addAll(from.params());
        params.addAll(where.params());
        query(c, sql, params, rs -> {
            // bucket k (1-based) lies between boundaries k and k+1: slice k − 1
            int slice = rs.getInt(1) - 1;
            if (slice >= 0 && slice < slices.size()) sink.add(slice, rs.getInt(2), rs.getInt(3), rs.getLong(4));
        });
    }

    /**
     * The filter's conditions ({@link IncidentFilter#located}) with the study area bound as a value
     * (EWKB) rather than computed by a subquery. The planner then knows the area and its extent: it
     * scans the index for a ward and the table for the borough, where with a subquery it guesses a
     * tiny result and walks the index for a million rows (measured: 3.3 s against 0.6 s). A PostGIS
     * test checks that it selects the incidents an independent query does, at the edges of windows too.
     */
    static SqlFragment where(IncidentFilter filter, byte[] area) {
        return filter.located(SqlFragment.of("ST_GeomFromEWKB(?)", (Object) area));
    }

    private byte[] studyArea(Connection c, StudyArea area, String version) throws SQLException {
        return version == null ? computeStudyArea(c, area) : cache(areaCache, version, () -> computeStudyArea(c, area));
    }

    /**
     * The version of the study area's geometry: its set, code and the time its set was last assigned
     * ({@code rollup_set.assigned_at}), or null when the set is not assigned. Any change to an assigned
     * set's areas forgets the set (V9 {@code rollup_boundary_changed}) and assigning it again stamps a
     * new time, so a version names one geometry for good, on the primary and on replicas alike.
     */
    private String version(Connection c, StudyArea area) throws SQLException {
        if (!cached) return null;
        try (PreparedStatement ps = c.prepareStatement("SELECT assigned_at::text FROM rollup_set WHERE set_id = ?")) {
            ps.setLong(1, area.setId());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? area.setId() + " " + area.code() + " " + rs.getString(1) : null;
            }
        }
    }

    /** Most entries each of these caches holds (areas and sizes in use are few). */
    private static final int CACHED = 256;

    /** Study area geometries (EWKB) by version, and their cells by version and grid. */
    private final Cache<String, byte[]> areaCache = Caffeine.newBuilder().maximumSize(CACHED).build();
    private final Cache<String, int[][]> cellsCache = Caffeine.newBuilder().maximumSize(CACHED).build();
    /** The placement of 50 m cells against a study area by version (empty: the area's box is too large). */
    private final Cache<String, Optional<CellRollups.Placement>> placementCache = Caffeine.newBuilder().maximumSize(CACHED).build();

    /** The cached placement of the 50 m cells against the study area of {@code version}, or null to place them per request. */
    private CellRollups.Placement placement(Connection c, String version, byte[] area) throws SQLException {
        if (version == null) return null;
        return cache(placementCache, version, () -> Optional.ofNullable(CellRollups.Placement.of(c, area))).orElse(null);
    }

    private static <T> T cache(Cache<String, T> cache, String key, Work0<T> compute) throws SQLException {
        T value = cache.getIfPresent(key);
        if (value == null) {
            value = compute.run(); // outside any lock: requests compute in parallel
            cache.put(key, value);
        }
        return value;
    }

    @FunctionalInterface
    private interface Work0<T> {
        T run() throws SQLException;
    }

    /** The study area's geometry (EPSG:27700) as EWKB. */
    private static byte[] computeStudyArea(Connection c, StudyArea area) throws SQLException {
        SqlFragment geometry = area.geometry();
        try (PreparedStatement ps = c.prepareStatement("SELECT ST_AsEWKB(" + geometry.sql() + ")")) {
            for (int k = 0; k < geometry.params().size(); k++) ps.setObject(k + 1, geometry.params().get(k));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                byte[] ewkb = rs.getBytes(1);
                if (ewkb == null) throw new IllegalStateException("the study area " + area.label() + " has no geometry");
                return ewkb;
            }
        }
    }

    /**
     * The union (EWKB, EPSG:27700) of the study area's parts whose box meets the extent of the cells
     * {@code (i[k], j[k])} of {@code grid}; an empty polygon when there are none.
     */
    private static byte[] partsMeeting(Connection c, StudyArea studyArea, Grid grid, int[] i, int[] j) throws SQLException {
        SqlFragment parts = studyArea.parts();
        SqlFragment polygon = grid.cellPolygon("x.i", "x.j");
        String sql = """
                WITH p AS (%1$s),
                box AS (SELECT ST_SetSRID(ST_Extent(%2$s)::geometry, 27700) AS geom FROM unnest(?::int[], ?::int[]) AS x(i, j))
                SELECT ST_AsEWKB(COALESCE((SELECT ST_Union(p.geom) FROM p, box WHERE p.geom && box.geom),
                                          'SRID=27700;POLYGON EMPTY'::geometry))""".formatted(parts.sql(), polygon.sql());
        List<Object> params = new ArrayList<>(parts.params());
        params.addAll(polygon.params());
        params.add(i);
        params.add(j);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int k = 0; k < params.size(); k++) {
                Object v = params.get(k);
                if (v instanceof int[] a) v = c.createArrayOf("int4", java.util.Arrays.stream(a).boxed().toArray());
                ps.setObject(k + 1, v);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBytes(1);
            }
        }
    }

    /**
     * Writes a FeatureCollection of the cells {@code (i[k], j[k])} in that order: PostGIS makes each
     * cell's polygon and writes it as GeoJSON in WGS84 (6 decimals), streamed from a cursor; the
     * properties come from {@code properties}, then the {@code meta} member.
     */
    public void writeCells(Grid grid, int[] i, int[] j, FeatureProperties properties, MetaMembers meta, JsonGenerator out)
            throws IOException {
        writeCells(grid, i, j, properties, meta, o -> { }, out);
    }

    /** {@link #writeCells(Grid, int[], int[], FeatureProperties, MetaMembers, JsonGenerator)} with more top-level members ({@code top}) after {@code meta}. */
    public void writeCells(Grid grid, int[] i, int[] j, FeatureProperties properties, MetaMembers meta, MetaMembers top,
                           JsonGenerator out) throws IOException {
        String[] geometry = cellPolygons(grid, i, j);
        out.writeStartObject();
        out.writeStringField("type", "FeatureCollection");
        out.writeArrayFieldStart("features");
        for (int k = 0; k < i.length; k++) {
            out.writeStartObject();
            out.writeStringField("type", "Feature");
            out.writeFieldName("geometry");
            out.writeRawValue(geometry[k]);
            out.writeObjectFieldStart("properties");
            properties.write(k, out);
            out.writeEndObject();
            out.writeEndObject();
        }
        out.writeEndArray();
        out.writeObjectFieldStart("meta");
        meta.write(out);
        out.writeEndObject();
        top.write(out);
        out.writeEndObject();
    }

    /** Most cell polygons {@link #cellPolygons} keeps (about 150 bytes each). */
    static final int MAX_POLYGONS = 200_000;

    private record GridCell(Grid grid, long cell) {
    }

    /** Cell polygons as WGS84 GeoJSON by grid and cell: a cell's polygon never changes with the data. */
    private final Cache<GridCell, String> polygons = Caffeine.newBuilder().maximumSize(MAX_POLYGONS).build();

    /**
     * The cells' polygons as WGS84 GeoJSON (6 decimals), aligned with {@code i} and {@code j}: PostGIS builds and
     * transforms the cells not seen before (thousands of transforms cost tens of milliseconds per request at 100 m),
     * and they are kept by grid and cell, as the polygon of a cell never changes.
     */
    private String[] cellPolygons(Grid grid, int[] i, int[] j) {
        String[] geometry = new String[i.length];
        IntList missing = new IntList();
        for (int k = 0; k < i.length; k++) {
            geometry[k] = polygons.getIfPresent(new GridCell(grid, Grid.key(i[k], j[k])));
            if (geometry[k] == null) missing.add(k);
        }
        if (missing.size() == 0) return geometry;
        int[] at = missing.toArray();
        int[] mi = new int[at.length], mj = new int[at.length];
        for (int m = 0; m < at.length; m++) {
            mi[m] = i[at[m]];
            mj[m] = j[at[m]];
        }
        SqlFragment polygon = grid.cellPolygon("c.i", "c.j");
        String sql = "SELECT c.k, ST_AsGeoJSON(ST_Transform(" + polygon.sql() + ", 4326), 6)"
                + " FROM unnest(?::int[], ?::int[]) WITH ORDINALITY AS c(i, j, k)";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int p = 1;
            for (Object v : polygon.params()) ps.setObject(p++, v);
            ps.setArray(p++, c.createArrayOf("int4", box(mi)));
            ps.setArray(p, c.createArrayOf("int4", box(mj)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int m = (int) rs.getLong(1) - 1;
                    geometry[at[m]] = rs.getString(2);
                    polygons.put(new GridCell(grid, Grid.key(mi[m], mj[m])), geometry[at[m]]);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("writing hotspot cells failed", e);
        }
        return geometry;
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

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs read-only work in one transaction with planner settings for counting queries over up to
     * millions of incidents: no JIT (compiling costs more than the few hundred milliseconds it could
     * save, and PostGIS's high function costs always trigger it), hash aggregation (the planner
     * cannot know how few cells there are and estimates one group per incident, so it would sort
     * every row), plans made for the actual study area rather than a generic one, and memory for the
     * hash aggregates of a year of 50 m cells by month (at the default 4 MB they spill to disk: 0.69 s
     * against 0.17 s for a year's months of 1M incidents).
     */
    private <T> T inTransaction(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                // one snapshot for all the work's statements, so a data version read in it names what they read; the
                // settings go in one round trip (pgJDBC sends the statements of one execute together)
                st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ; SET LOCAL jit = off; SET LOCAL enable_sort = off; "
                        + "SET LOCAL plan_cache_mode = force_custom_plan; SET LOCAL work_mem = '64MB'");
                return work.run(c);
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("hotspot query failed: " + e.getMessage(), e);
        }
    }

    private static void query(Connection c, String sql, List<Object> params, RowReader reader) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setFetchSize(FETCH_SIZE);
            for (int k = 0; k < params.size(); k++) ps.setObject(k + 1, params.get(k));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) reader.read(rs);
            }
        }
    }

    private static Integer[] box(int[] values) {
        Integer[] boxed = new Integer[values.length];
        for (int k = 0; k < values.length; k++) boxed[k] = values[k];
        return boxed;
    }

    /** A growable int array (cells arrive in unknown numbers). */
    /** The current versions of the data cell counts depend on ({@link DataVersions#tag}). */
    public String dataVersion() {
        return new DataVersions(dataSource).tag(VERSIONED);
    }

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

        int get(int k) {
            return values[k];
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }
    }
}
