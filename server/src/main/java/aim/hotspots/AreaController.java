package aim.hotspots;

import aim.accounts.AccessControl;
import aim.accounts.User;
import aim.boundaries.BoundaryLevel;
import aim.boundaries.BoundaryRepository;
import aim.boundaries.BoundarySet;
import aim.incidents.Taxonomy;
import aim.web.ApiProblem;
import io.javalin.http.Context;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The AIM group's area views: {@code GET /api/areas/stats} (rates per 1,000 residents by ward or
 * neighbourhood, ranked, compared with the previous equivalent period; JSON or CSV) and
 * {@code GET /api/areas/{level}/{code}/series} (counts per month or UK financial-year quarter, for an
 * area or one grid cell, with the top categories). Any signed-in user.
 */
public final class AreaController {
    /** Dates outside this range are refused (the previous period must still be a valid SQL date). */
    static final LocalDate EARLIEST = LocalDate.of(1900, 1, 1), LATEST = LocalDate.of(2199, 12, 31);
    static final int MAX_PERIODS = 1200;
    static final int DEFAULT_CELL_SIZE = 250, MIN_CELL_SIZE = 10, MAX_CELL_SIZE = 10_000;
    /** The square sensitive incidents are generalised to for roles without personal-data access (metres). */
    static final int GENERALISED_METRES = 500;
    static final int TOP_CATEGORIES = 5;
    private static final ZoneId LONDON = ZoneId.of("Europe/London");

    private final BoundaryRepository boundaries;
    private final AreaStatisticsRepository repository;
    private final AccessControl access;
    private final DataSource dataSource;
    private final Clock clock;

    public AreaController(BoundaryRepository boundaries, AreaStatisticsRepository repository, AccessControl access,
                          DataSource dataSource, Clock clock) {
        this.boundaries = boundaries;
        this.repository = repository;
        this.access = access;
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** GET /api/areas/stats?level=ward|neighbourhood&from=&to=&category=&source=&area=&version=&format=json|csv */
    public void stats(Context ctx) throws IOException {
        access.required(ctx);
        boolean csv = wantsCsv(ctx);
        BoundaryLevel level = level(ctx.queryParam("level"), false);
        for (String field : List.of("from", "to")) {
            String v = ctx.queryParam(field);
            if (v == null || v.isBlank()) throw ApiProblem.badRequest(field, field + " is required (a date like 2024-04-01)");
        }
        Taxonomy taxonomy = Taxonomy.load(dataSource);
        HotspotFilter filter = HotspotParams.filter(ctx, boundaries, taxonomy);
        checkRange(filter.from(), "from");
        checkRange(filter.to(), "to");
        AreaPeriods periods = AreaPeriods.of(filter.from(), filter.to());
        BoundarySet wards = filter.area().wards();
        BoundarySet set = level == BoundaryLevel.WARD ? wards : neighbourhoods(wards);

        AreaStatisticsRepository.WardCounts counts = repository.count(wards, periods, filter.categories(), filter.sources());
        List<AreaStatisticsRepository.Area> areas = repository.areas(set);
        Map<Long, List<Long>> members = level == BoundaryLevel.NEIGHBOURHOOD ? repository.neighbourhoodWards(set) : Map.of();
        List<AreaStatistics.Input> inputs = new ArrayList<>();
        for (AreaStatisticsRepository.Area a : areas) {
            // a neighbourhood's count is the sum of its wards' counts, so the two levels always agree
            AreaStatisticsRepository.Pair pair = level == BoundaryLevel.WARD ? counts.ward(a.id())
                    : members.getOrDefault(a.id(), List.of()).stream().map(counts::ward)
                    .reduce(new AreaStatisticsRepository.Pair(0, 0), AreaStatisticsRepository.Pair::plus);
            inputs.add(new AreaStatistics.Input(a.code(), a.name(), pair.current(), pair.previous(), a.population(), a.populationYear()));
        }
        List<AreaStatistics.Row> ranked = AreaStatistics.compute(inputs, periods.days(), periods.previousDays());
        Set<String> listed = listedCodes(filter.area(), level, set, areas);
        List<AreaStatistics.Row> rows = ranked.stream().filter(r -> listed.contains(r.code())).toList();

        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("level", level.id());
        meta.put("version", set.version());
        meta.put("wardVersion", wards.version());
        meta.put("demo", set.demo() || wards.demo());
        meta.put("area", filter.area().code() == null ? "borough" : filter.area().level().id() + ":" + filter.area().code());
        meta.put("from", periods.from());
        meta.put("to", periods.to());
        meta.put("days", periods.days());
        meta.put("previousFrom", periods.previousFrom());
        meta.put("previousTo", periods.previousTo());
        meta.put("previousDays", periods.previousDays());
        meta.put("wholeMonths", periods.wholeMonths());
        meta.put("categories", filter.categories());
        meta.put("sources", filter.sources());
        meta.put("count", rows.stream().mapToLong(AreaStatistics.Row::count).sum());
        meta.put("previousCount", rows.stream().mapToLong(r -> r.previous().count()).sum());
        meta.put("ratePer", AreaStatistics.RATE_PER);
        meta.put("rankedAmong", ranked.stream().filter(r -> r.rank() != null).count());
        meta.put("changeTest", PoissonChange.TEST_NAME);
        meta.put("alpha", PoissonChange.ALPHA);
        meta.put("areaOnly", Map.of("counted", pair(counts.areaOnlyCounted()), "outside", pair(counts.outside())));
        meta.put("unlocated", Map.of("count", counts.unlocated().current(), "previousCount", counts.unlocated().previous(),
                "note", "area-only incidents (no point) whose area code is neither an LSOA of a loaded LSOA boundary set"
                        + " nor a ward of this version; they are in no area's count"));
        meta.put("notes", List.of(
                "Incidents with a point count in the ward containing it (a point on an edge: the ward with the lowest code).",
                "Area-only incidents count in the ward containing their LSOA's point-on-surface, or in the ward whose code they give.",
                "Month-precise (police.uk) incidents count only when their whole month lies in the period.",
                "Rates are per 1,000 residents of the latest population year, the same for both periods; an area without"
                        + " a population has no rate (rateNote \"no population\") and no rank.",
                "rank: 1 is the highest rate among all areas of the level; equal rates share a rank."));

        if (csv) {
            ctx.contentType("text/csv; charset=utf-8");
            ctx.header("Content-Disposition", "attachment; filename=\"" + AreaStatisticsCsv.filename(level, set.version(), periods) + "\"");
            ctx.header("Cache-Control", "private, no-store");
            try (Writer out = new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8)) {
                AreaStatisticsCsv.write(rows, periods, out);
            }
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("meta", meta);
        body.put("areas", rows);
        ctx.header("Cache-Control", "private, no-store");
        ctx.json(body);
    }

    /** GET /api/areas/{level}/{code}/series?interval=month|quarter&from=&to=&category=&source=&version=&cell=i,j&cellSize= */
    public void series(Context ctx) {
        User user = access.required(ctx);
        BoundaryLevel level = level(ctx.pathParam("level"), true);
        SeriesInterval interval = SeriesInterval.parse(ctx.queryParam("interval"));
        Taxonomy taxonomy = Taxonomy.load(dataSource);
        HotspotFilter filter = HotspotParams.filter(ctx, boundaries, taxonomy);
        BoundarySet wards = filter.area().wards();
        String code = ctx.pathParam("code");

        // the wards the series covers (null: all of the version) and the area's name
        Long[] wardIds;
        String name;
        String version = wards.version();
        if (level == null) {
            if (!code.equals("all")) throw ApiProblem.notFound("code", "the borough's code is 'all', not '" + code + "'");
            wardIds = null;
            name = "borough (" + wards.version() + " wards)";
        } else if (level == BoundaryLevel.WARD) {
            AreaStatisticsRepository.Area ward = find(repository.areas(wards), code, "ward", wards);
            wardIds = new Long[]{ward.id()};
            name = ward.name();
        } else {
            BoundarySet set = neighbourhoods(wards);
            AreaStatisticsRepository.Area n = find(repository.areas(set), code, "neighbourhood", set);
            wardIds = repository.neighbourhoodWards(set).getOrDefault(n.id(), List.of()).toArray(Long[]::new);
            name = n.name();
            version = set.version();
        }

        LocalDate to = filter.to() != null ? filter.to() : defaultTo(interval);
        LocalDate from = filter.from() != null ? filter.from()
                : interval.periodStart(to).minusMonths(interval == SeriesInterval.MONTH ? 11 : 21);
        checkRange(from, "from");
        checkRange(to, "to");
        if (to.isBefore(from)) throw ApiProblem.badRequest("to", "to (" + to + ") is before from (" + from + ")");
        if (TimeSeries.periodCount(interval, from, to) > MAX_PERIODS) {
            throw ApiProblem.badRequest("from", "the window holds more than " + MAX_PERIODS + " " + interval.id() + "s");
        }

        AreaIncidentSql.Cell cell = cell(ctx);
        List<String> categories = filter.categories();
        String cellNote = null;
        if (cell != null && cell.size() % GENERALISED_METRES != 0 && !user.role().seesPersonalData()) {
            // a cell finer than the 500 m squares sensitive locations are generalised to would reveal more
            // than the map shows this role, so sensitive categories are left out of such a cell's series
            List<String> requested = categories.isEmpty()
                    ? taxonomy.categories().stream().map(Taxonomy.Category::code).toList() : categories;
            Set<String> sensitive = new HashSet<>();
            taxonomy.categories().stream().filter(Taxonomy.Category::sensitive).forEach(c -> sensitive.add(c.code()));
            categories = requested.stream().filter(c -> !sensitive.contains(c)).toList();
            cellNote = "sensitive categories are left out of cells that are not whole " + GENERALISED_METRES
                    + " m squares for the " + user.role().id() + " role";
        }

        Map<YearMonth, Map<String, Long>> monthly = categories.isEmpty() && cellNote != null ? Map.of()
                : repository.monthlyCounts(wards, wardIds, from, to, categories, filter.sources(), cell);
        Map<YearMonth, Long> perMonth = new TreeMap<>();
        Map<String, Long> perCategory = new HashMap<>();
        monthly.forEach((month, byCategory) -> byCategory.forEach((category, n) -> {
            perMonth.merge(month, n, Long::sum);
            perCategory.merge(category, n, Long::sum);
        }));
        List<TimeSeries.Period> periods = TimeSeries.build(interval, from, to, perMonth);

        List<Map<String, Object>> top = perCategory.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(TOP_CATEGORIES)
                .map(e -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("category", e.getKey());
                    m.put("label", taxonomy.byCode(e.getKey()).map(Taxonomy.Category::label).orElse(e.getKey()));
                    m.put("count", e.getValue());
                    return m;
                }).toList();

        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("level", level == null ? "borough" : level.id());
        meta.put("code", code);
        meta.put("name", name);
        meta.put("version", version);
        meta.put("wardVersion", wards.version());
        meta.put("demo", wards.demo());
        meta.put("interval", interval.id());
        meta.put("from", from);
        meta.put("to", to);
        meta.put("categories", filter.categories());
        meta.put("sources", filter.sources());
        if (cell != null) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("i", cell.i());
            c.put("j", cell.j());
            c.put("size", cell.size());
            c.put("bbox", List.of(cell.minX(), cell.minY(), cell.minX() + cell.size(), cell.minY() + cell.size()));
            c.put("crs", "EPSG:27700");
            if (cellNote != null) c.put("note", cellNote);
            meta.put("cell", c);
        }
        meta.put("count", periods.stream().mapToLong(TimeSeries.Period::count).sum());
        meta.put("precision", "month-precise (police.uk) incidents count in their month, and that month's quarter,"
                + " when the whole month is in the window; a partial period (clipped by from/to) leaves out"
                + " month-precise incidents of a clipped month");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("meta", meta);
        body.put("periods", periods);
        body.put("topCategories", top);
        ctx.header("Cache-Control", "private, no-store");
        ctx.json(body);
    }

    /** ward or neighbourhood; with {@code borough} allowed (the series), borough is returned as null. */
    private static BoundaryLevel level(String value, boolean boroughAllowed) {
        String allowed = boroughAllowed ? "ward, neighbourhood or borough" : "ward or neighbourhood";
        if (value == null || value.isBlank()) {
            if (!boroughAllowed) return BoundaryLevel.WARD;
            throw ApiProblem.badRequest("level", "level is required: " + allowed);
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (boroughAllowed && v.equals("borough")) return null;
        if (v.equals("ward")) return BoundaryLevel.WARD;
        if (v.equals("neighbourhood")) return BoundaryLevel.NEIGHBOURHOOD;
        throw ApiProblem.badRequest("level", "unknown level '" + value + "': expected " + allowed);
    }

    private BoundarySet neighbourhoods(BoundarySet wards) {
        return boundaries.neighbourhoodsOf(wards).orElseThrow(() ->
                ApiProblem.notFound("level", "no neighbourhoods are defined on ward version " + wards.version()));
    }

    private static AreaStatisticsRepository.Area find(List<AreaStatisticsRepository.Area> areas, String code, String what,
                                                      BoundarySet set) {
        return areas.stream().filter(a -> a.code().equals(code)).findFirst().orElseThrow(() ->
                ApiProblem.notFound("code", "no " + what + " '" + code + "' in version " + set.version()));
    }

    /** Which areas of the level the study area lists: all, the one, those of a neighbourhood, or those containing a ward. */
    private Set<String> listedCodes(StudyArea area, BoundaryLevel level, BoundarySet set, List<AreaStatisticsRepository.Area> areas) {
        if (area.code() == null) {
            Set<String> all = new HashSet<>();
            areas.forEach(a -> all.add(a.code()));
            return all;
        }
        if (area.level() == level) return Set.of(area.code());
        return new HashSet<>(repository.memberCodes(area.setId(), area.code(), area.level(), set.id()));
    }

    private static boolean wantsCsv(Context ctx) {
        String format = ctx.queryParam("format");
        if (format != null && !format.isBlank()) {
            return switch (format.trim().toLowerCase(Locale.ROOT)) {
                case "csv" -> true;
                case "json" -> false;
                default -> throw ApiProblem.badRequest("format", "unknown format '" + format + "': expected json or csv");
            };
        }
        String accept = ctx.header("Accept");
        return accept != null && accept.toLowerCase(Locale.ROOT).contains("text/csv");
    }

    private static void checkRange(LocalDate date, String field) {
        if (date.isBefore(EARLIEST) || date.isAfter(LATEST)) {
            throw ApiProblem.badRequest(field, field + " must lie between " + EARLIEST + " and " + LATEST);
        }
    }

    private LocalDate defaultTo(SeriesInterval interval) {
        LocalDate today = LocalDate.now(clock.withZone(LONDON));
        return interval.periodStart(today).minusDays(1);
    }

    private static AreaIncidentSql.Cell cell(Context ctx) {
        String v = ctx.queryParam("cell");
        String sizeText = ctx.queryParam("cellSize");
        if (v == null || v.isBlank()) {
            if (sizeText != null) throw ApiProblem.badRequest("cell", "cellSize needs cell=i,j");
            return null;
        }
        String[] parts = v.split(",");
        long i, j;
        try {
            if (parts.length != 2) throw new NumberFormatException();
            i = Long.parseLong(parts[0].trim());
            j = Long.parseLong(parts[1].trim());
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest("cell", "cell is i,j: whole-number column and row of the grid (floor(easting/size), floor(northing/size)), not '" + v + "'");
        }
        int size = DEFAULT_CELL_SIZE;
        if (sizeText != null && !sizeText.isBlank()) {
            try {
                size = Integer.parseInt(sizeText.trim());
            } catch (NumberFormatException e) {
                size = -1;
            }
            if (size < MIN_CELL_SIZE || size > MAX_CELL_SIZE) {
                throw ApiProblem.badRequest("cellSize", "cellSize is a whole number of metres from " + MIN_CELL_SIZE + " to " + MAX_CELL_SIZE);
            }
        }
        // British National Grid covers 0..700 km east, 0..1300 km north
        if (i < 0 || j < 0 || (double) i * size > 800_000 || (double) j * size > 1_400_000) {
            throw ApiProblem.badRequest("cell", "cell " + v + " of size " + size + " m lies outside British National Grid");
        }
        return new AreaIncidentSql.Cell(i, j, size);
    }

    private static Map<String, Long> pair(AreaStatisticsRepository.Pair p) {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("count", p.current());
        m.put("previousCount", p.previous());
        return m;
    }
}
