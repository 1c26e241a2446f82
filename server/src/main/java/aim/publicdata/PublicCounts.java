package aim.publicdata;

import aim.accounts.Role;
import aim.accounts.User;
import aim.areas.AreaStatisticsRepository;
import aim.boundaries.BoundaryLevel;
import aim.boundaries.BoundaryRepository;
import aim.boundaries.BoundarySet;
import aim.boundaries.StudyArea;
import aim.core.DomainException;
import aim.hotspots.GridCounts;
import aim.hotspots.HotspotEngine;
import aim.hotspots.HotspotRepository;
import aim.hotspots.SquareGrid;
import aim.hotspots.TimeSlices;
import aim.incidents.IncidentFilter;
import aim.incidents.Taxonomy;
import aim.incidents.TaxonomyRepository;

import java.time.Clock;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The public view's tables. Every published number is built from <em>base counts</em>, each suppressed by
 * {@link Suppression}: incidents of one non-sensitive category in one calendar month in one ward of the
 * current ward set (from the areas domain, {@link AreaStatisticsRepository#monthlyCountsByAreaAndCategory}),
 * or in one 500 m British National Grid square (EPSG:27700, anchored at the grid's origin; from the hotspot
 * engine's counts per month, {@link HotspotRepository#emergingCounts}). Everything else (all categories
 * together, a neighbourhood as the sum of its wards, a larger grid cell as the sum of its 500 m squares, a
 * window's total, a month's borough total) is a sum of suppressed base values, so no combination of public
 * answers tells more about a base count than "1 to below − 1".
 *
 * <p>The incidents are read as a signed-out member of the public would see them: with {@link aim.incidents.Redaction}
 * applied (a viewer of no recorded incident); sensitive categories are never counted at all.
 */
public final class PublicCounts {
    /** The longest window, in months. */
    public static final int MAX_MONTHS = 36;
    /** Side of the grid's base squares, in metres; every published cell size is a multiple of it. */
    public static final int BASE_CELL = 500;
    /** The largest published grid cell, in metres. */
    public static final int MAX_CELL = 5000;
    /** The earliest month the public view answers for. */
    static final YearMonth EARLIEST = YearMonth.of(2000, 1);
    /** The reader the public's counts are read as: redacted, and the recorder of no incident. */
    static final User PUBLIC = new User(0, "public", "Public", Role.VIEWER);

    private final BoundaryRepository boundaries;
    private final AreaStatisticsRepository areas;
    private final HotspotRepository hotspots;
    private final TaxonomyRepository taxonomies;
    private final Suppression suppression;
    private final Clock clock;

    public PublicCounts(BoundaryRepository boundaries, AreaStatisticsRepository areas, HotspotRepository hotspots,
                        TaxonomyRepository taxonomies, Suppression suppression, Clock clock) {
        this.boundaries = boundaries;
        this.areas = areas;
        this.hotspots = hotspots;
        this.taxonomies = taxonomies;
        this.suppression = suppression;
        this.clock = clock;
    }

    public Suppression suppression() {
        return suppression;
    }

    /**
     * What the public asks: whole months {@code from}..{@code to} and one non-sensitive category, or all of them
     * ({@code category} null).
     */
    public record Query(YearMonth from, YearMonth to, Taxonomy.Category category, List<Taxonomy.Category> counted) {
        public Query {
            if (counted.isEmpty() || counted.stream().anyMatch(Taxonomy.Category::sensitive)) {
                throw new IllegalArgumentException("the public view counts one or more non-sensitive categories");
            }
            counted = List.copyOf(counted);
        }

        public String categoryCode() {
            return category == null ? "all" : category.code();
        }

        public List<YearMonth> months() {
            List<YearMonth> out = new ArrayList<>();
            for (YearMonth m = from; !m.isAfter(to); m = m.plusMonths(1)) out.add(m);
            return out;
        }
    }

    /** The non-sensitive categories of the taxonomy: the only ones the public view counts or names. */
    public List<Taxonomy.Category> publicCategories() {
        return taxonomies.load().categories().stream().filter(c -> !c.sensitive()).toList();
    }

    /**
     * Checks a request: {@code from} and {@code to} given (to not before from, at most {@value #MAX_MONTHS}
     * months, none after the last complete month), {@code category} absent, "all", or a known non-sensitive
     * code (a sensitive or unknown one is refused, naming {@code category}).
     */
    public Query query(YearMonth from, YearMonth to, String category) {
        YearMonth lastComplete = YearMonth.now(clock.withZone(aim.core.Council.UK)).minusMonths(1);
        if (from == null) throw DomainException.invalid("from", "from is required (a month like 2025-01)");
        if (to == null) throw DomainException.invalid("to", "to is required (a month like 2025-06)");
        if (from.isBefore(EARLIEST)) throw DomainException.invalid("from", "from is before " + EARLIEST);
        if (to.isAfter(lastComplete)) {
            throw DomainException.invalid("to", "to must be a complete month: " + lastComplete + " or earlier, not " + to);
        }
        if (to.isBefore(from)) throw DomainException.invalid("to", "to (" + to + ") is before from (" + from + ")");
        if (from.plusMonths(MAX_MONTHS).isBefore(to.plusMonths(1))) {
            throw DomainException.invalid("to", "the window holds more than " + MAX_MONTHS + " months");
        }
        List<Taxonomy.Category> open = publicCategories();
        // an empty category list would mean "every category" to IncidentFilter: never ask for that
        if (open.isEmpty()) throw DomainException.notFound("category", "no category is published: every category is sensitive");
        if (category == null || category.isBlank() || category.trim().equals("all")) return new Query(from, to, null, open);
        String code = category.trim();
        Taxonomy.Category chosen = open.stream().filter(c -> c.code().equals(code)).findFirst().orElseThrow(() ->
                DomainException.invalid("category", "category '" + code + "' is not published: expected all or one of "
                        + String.join(", ", open.stream().map(Taxonomy.Category::code).toList())));
        return new Query(from, to, chosen, List.of(chosen));
    }

    /** One area's row: its published value per month of the window, and over the window. */
    public record AreaRow(String code, String name, List<Suppression.Value> months, Suppression.Value total) {
    }

    /** An area table: the set, the rows in code order, each month's total over the areas, and the grand total. */
    public record AreaTable(BoundarySet set, Query query, List<AreaRow> rows, List<Suppression.Value> monthTotals,
                            Suppression.Value total) {
    }

    /** Counts per ward or neighbourhood (of the current ward set) and month. */
    public AreaTable areas(BoundaryLevel level, Query q) {
        BoundarySet wards = currentWards();
        BoundarySet set = level == BoundaryLevel.WARD ? wards : boundaries.neighbourhoodsOf(wards).orElseThrow(() ->
                DomainException.notFound("level", "no neighbourhoods are defined on ward version " + wards.version()));
        IncidentFilter filter = new IncidentFilter(q.from().atDay(1), q.to().atEndOfMonth(),
                q.counted().stream().map(Taxonomy.Category::code).toList(), List.of(), borough(wards), PUBLIC);
        // the base counts: ward × month × category, each suppressed
        List<YearMonth> months = q.months();
        Map<Long, Suppression.Value[]> byWard = new HashMap<>();
        for (AreaStatisticsRepository.AreaMonthCategory c : areas.monthlyCountsByAreaAndCategory(wards, filter)) {
            int at = months.indexOf(c.month());
            if (at < 0) continue;
            Suppression.Value[] row = byWard.computeIfAbsent(c.areaId(), k -> zeros(months.size()));
            row[at] = row[at].plus(suppression.base(c.count()));
        }
        Map<Long, List<Long>> members = level == BoundaryLevel.NEIGHBOURHOOD ? areas.neighbourhoodWards(set) : Map.of();
        List<AreaRow> rows = new ArrayList<>();
        Suppression.Value[] monthTotals = zeros(months.size());
        for (AreaStatisticsRepository.Area a : areas.areas(set)) {
            Suppression.Value[] row = zeros(months.size());
            List<Long> wardIds = level == BoundaryLevel.WARD ? List.of(a.id()) : members.getOrDefault(a.id(), List.of());
            for (Long w : wardIds) add(row, byWard.get(w));
            add(monthTotals, row);
            rows.add(new AreaRow(a.code(), a.name(), List.of(row), Suppression.sum(List.of(row))));
        }
        return new AreaTable(set, q, rows, List.of(monthTotals), Suppression.sum(List.of(monthTotals)));
    }

    /** One published grid cell: its indices on the grid of {@code size} metres and its value over the window. */
    public record Cell(int i, int j, Suppression.Value value) {
    }

    /** The grid: cells of {@code size} metres (a multiple of 500) holding any incident, in (i, j) order. */
    public record GridTable(SquareGrid grid, Query query, List<Cell> cells) {
    }

    /** Counts on a square grid of {@code size} metres over the window, summed from 500 m squares per month and category. */
    public GridTable grid(int size, Query q) {
        checkCell(size);
        BoundarySet wards = currentWards();
        StudyArea borough = borough(wards);
        SquareGrid base = new SquareGrid(BASE_CELL);
        TimeSlices slices = TimeSlices.of("month", q.from().atDay(1), q.to().atEndOfMonth());
        int ratio = size / BASE_CELL;
        Map<Long, Suppression.Value> cells = new TreeMap<>();
        // one read per category: a base count is one category in one month in one 500 m square
        for (Taxonomy.Category category : q.counted()) {
            IncidentFilter filter = new IncidentFilter(slices.from(), slices.to(), List.of(category.code()), List.of(), borough, PUBLIC);
            HotspotRepository.SliceCounts counts;
            try {
                counts = hotspots.emergingCounts(filter, base, slices);
            } catch (HotspotEngine.TooLarge | HotspotRepository.TooManyCells e) {
                throw DomainException.tooLarge("to", "the borough's " + BASE_CELL + " m squares over " + slices.size()
                        + " months are too many to count at once: ask for fewer months");
            }
            GridCounts grid = counts.cells();
            for (int k = 0; k < grid.n(); k++) {
                Suppression.Value v = Suppression.Value.ZERO;
                for (double[] month : counts.counts()) v = v.plus(suppression.base(Math.round(month[k])));
                if (v.equals(Suppression.Value.ZERO)) continue;
                long key = key(Math.floorDiv(grid.i(k), ratio), Math.floorDiv(grid.j(k), ratio));
                cells.merge(key, v, Suppression.Value::plus);
            }
        }
        List<Cell> out = new ArrayList<>();
        cells.forEach((key, v) -> out.add(new Cell((int) (key >> 32), (int) (long) key, v)));
        return new GridTable(new SquareGrid(size), q, out);
    }

    /**
     * A published cell size: a multiple of {@value #BASE_CELL} m from {@value #BASE_CELL} to {@value #MAX_CELL}, so each cell is
     * a union of whole base squares (a finer or offset grid could be differenced against them).
     */
    public static void checkCell(int size) {
        if (size < BASE_CELL || size % BASE_CELL != 0 || size > MAX_CELL) {
            throw DomainException.invalid("cell", "cell is a multiple of " + BASE_CELL + " m from " + BASE_CELL + " to " + MAX_CELL
                    + " (metres), not " + size);
        }
    }

    /** The categories counted, for the answer's description: code, label and group. */
    public static List<Map<String, String>> describe(List<Taxonomy.Category> categories) {
        List<Map<String, String>> out = new ArrayList<>();
        for (Taxonomy.Category c : categories) {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("code", c.code());
            m.put("label", c.label());
            m.put("group", c.group());
            out.add(m);
        }
        return out;
    }

    private BoundarySet currentWards() {
        return boundaries.current(BoundaryLevel.WARD).stream().findFirst().orElseThrow(() ->
                DomainException.notFound("level", "no ward boundaries are in force"));
    }

    private static StudyArea borough(BoundarySet wards) {
        return new StudyArea("borough (" + wards.version() + " wards)", wards, wards.id(), BoundaryLevel.WARD, null);
    }

    /** i in the high 32 bits, j in the low ones. */
    private static long key(int i, int j) {
        return ((long) i << 32) | (j & 0xffffffffL);
    }

    private static Suppression.Value[] zeros(int n) {
        Suppression.Value[] out = new Suppression.Value[n];
        java.util.Arrays.fill(out, Suppression.Value.ZERO);
        return out;
    }

    private static void add(Suppression.Value[] into, Suppression.Value[] values) {
        if (values == null) return;
        for (int k = 0; k < into.length; k++) into[k] = into[k].plus(values[k]);
    }
}
