package aim.hotspots;

import aim.core.DomainException;
import aim.accounts.AccessControl;
import aim.accounts.User;
import aim.boundaries.BoundaryLevel;
import aim.boundaries.BoundaryRepository;
import aim.boundaries.BoundarySet;
import aim.incidents.Redaction;
import aim.incidents.Taxonomy;
import aim.incidents.TaxonomyRepository;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
    private static final ZoneId LONDON = ZoneId.of("Europe/London");

    private final BoundaryRepository boundaries;
    private final AreaStatisticsService service;
    private final AccessControl access;
    private final TaxonomyRepository taxonomies;
    private final Clock clock;

    public AreaController(BoundaryRepository boundaries, AreaStatisticsRepository repository, AccessControl access,
                          TaxonomyRepository taxonomies, Clock clock) {
        this.boundaries = boundaries;
        this.service = new AreaStatisticsService(boundaries, repository);
        this.access = access;
        this.taxonomies = taxonomies;
        this.clock = clock;
    }

    /** GET /api/areas/stats?level=ward|neighbourhood&from=&to=&category=&source=&area=&version=&format=json|csv */
    public void stats(Context ctx) throws IOException {
        User user = access.required(ctx);
        boolean csv = wantsCsv(ctx);
        BoundaryLevel level = level(ctx.queryParam("level"), false);
        for (String field : List.of("from", "to")) {
            String v = ctx.queryParam(field);
            if (v == null || v.isBlank()) throw DomainException.invalid(field, field + " is required (a date like 2024-04-01)");
        }
        Taxonomy taxonomy = taxonomies.load();
        HotspotFilter filter = HotspotParams.filter(ctx, boundaries, taxonomy, user);
        checkRange(filter.from(), "from");
        checkRange(filter.to(), "to");
        AreaStatisticsService.Stats stats = service.stats(level, filter);
        AreaPeriods periods = stats.periods();
        BoundarySet set = stats.set(), wards = stats.wards();
        List<AreaStatistics.Row> rows = stats.rows();
        AreaStatisticsRepository.WardCounts counts = stats.counts();

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
        meta.put("rankedAmong", stats.rankedAmong());
        meta.put("changeTest", PoissonChange.TEST_NAME);
        meta.put("alpha", PoissonChange.ALPHA);
        Map<String, Object> areaOnly = new LinkedHashMap<>();
        areaOnly.put("counted", pair(counts.areaOnlyCounted()));
        areaOnly.put("outside", pair(counts.outside()));
        areaOnly.put("note", "area-only incidents (no point): counted in the ward holding their LSOA's point-on-surface"
                + " or in the ward whose code they give; outside: their LSOA lies outside every ward");
        meta.put("areaOnly", areaOnly);
        Map<String, Object> redaction = Redaction.note(user);
        if (redaction != null) meta.put("redaction", redaction);
        Map<String, Object> unlocated = pair(counts.unlocated());
        unlocated.put("note", "area-only incidents whose area code is neither an LSOA of a loaded LSOA boundary set"
                + " nor a ward of this version (e.g. no LSOA set is loaded); they are in no area's count");
        meta.put("unlocated", unlocated);
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
        Taxonomy taxonomy = taxonomies.load();
        HotspotFilter filter = HotspotParams.filter(ctx, boundaries, taxonomy, user);
        BoundarySet wards = filter.area().wards();
        AreaStatisticsService.SeriesArea area = service.seriesArea(level, ctx.pathParam("code"), wards);

        LocalDate to = filter.to() != null ? filter.to() : defaultTo(interval);
        LocalDate from = filter.from() != null ? filter.from()
                : interval.periodStart(to).minusMonths(interval == SeriesInterval.MONTH ? 11 : 21);
        checkRange(from, "from");
        checkRange(to, "to");
        if (to.isBefore(from)) throw DomainException.invalid("to", "to (" + to + ") is before from (" + from + ")");
        if (TimeSeries.periodCount(interval, from, to) > MAX_PERIODS) {
            throw DomainException.invalid("from", "the window holds more than " + MAX_PERIODS + " " + interval.id() + "s");
        }

        AreaGridCell cell = AreaGridCell.parse(ctx.queryParam("cell"), ctx.queryParam("cellSize"));
        AreaStatisticsService.Series series = service.series(wards, area, interval, from, to, filter.categories(), filter.sources(),
                cell, taxonomy, user);

        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("level", area.level());
        meta.put("code", area.code());
        meta.put("name", area.name());
        meta.put("version", area.version());
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
            c.put("bbox", List.of(cell.minX(), cell.minY(), cell.maxX(), cell.maxY()));
            c.put("crs", "EPSG:27700");
            meta.put("cell", c);
        }
        meta.put("count", series.count());
        Map<String, Object> redaction = Redaction.note(user);
        if (redaction != null) meta.put("redaction", redaction);
        meta.put("precision", "month-precise (police.uk) incidents count in their month, and that month's quarter,"
                + " when the whole month is in the window; a partial period (clipped by from/to) leaves out"
                + " month-precise incidents of a clipped month");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("meta", meta);
        body.put("periods", series.periods());
        body.put("topCategories", series.topCategories());
        ctx.header("Cache-Control", "private, no-store");
        ctx.json(body);
    }

    /** ward or neighbourhood; with {@code borough} allowed (the series), borough is returned as null. */
    private static BoundaryLevel level(String value, boolean boroughAllowed) {
        String allowed = boroughAllowed ? "ward, neighbourhood or borough" : "ward or neighbourhood";
        if (value == null || value.isBlank()) {
            if (!boroughAllowed) return BoundaryLevel.WARD;
            throw DomainException.invalid("level", "level is required: " + allowed);
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (boroughAllowed && v.equals("borough")) return null;
        if (v.equals("ward")) return BoundaryLevel.WARD;
        if (v.equals("neighbourhood")) return BoundaryLevel.NEIGHBOURHOOD;
        throw DomainException.invalid("level", "unknown level '" + value + "': expected " + allowed);
    }

    private static boolean wantsCsv(Context ctx) {
        String format = ctx.queryParam("format");
        if (format != null && !format.isBlank()) {
            return switch (format.trim().toLowerCase(Locale.ROOT)) {
                case "csv" -> true;
                case "json" -> false;
                default -> throw DomainException.invalid("format", "unknown format '" + format + "': expected json or csv");
            };
        }
        String accept = ctx.header("Accept");
        return accept != null && accept.toLowerCase(Locale.ROOT).contains("text/csv");
    }

    private static void checkRange(LocalDate date, String field) {
        if (date.isBefore(EARLIEST) || date.isAfter(LATEST)) {
            throw DomainException.invalid(field, field + " must lie between " + EARLIEST + " and " + LATEST);
        }
    }

    private LocalDate defaultTo(SeriesInterval interval) {
        LocalDate today = LocalDate.now(clock.withZone(LONDON));
        return interval.periodStart(today).minusDays(1);
    }

    private static Map<String, Object> pair(AreaStatisticsRepository.Pair p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", p.current());
        m.put("previousCount", p.previous());
        return m;
    }
}
