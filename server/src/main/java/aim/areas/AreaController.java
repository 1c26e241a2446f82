package aim.areas;

import aim.core.Council;
import aim.core.DomainException;
import aim.web.AccessControl;
import aim.accounts.User;
import aim.boundaries.BoundaryLevel;
import aim.boundaries.BoundaryRepository;
import aim.boundaries.BoundarySet;
import aim.incidents.IncidentFilter;
import aim.incidents.Taxonomy;
import aim.incidents.TaxonomyRepository;
import aim.web.QueryParams;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

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
        IncidentFilter filter = QueryParams.incidentFilter(ctx, boundaries, taxonomies.load(), user);
        checkRange(filter.from(), "from");
        checkRange(filter.to(), "to");
        AreaStatisticsService.Stats stats = service.stats(level, filter);
        ctx.header("Cache-Control", "private, no-store");
        if (csv) {
            ctx.contentType("text/csv; charset=utf-8");
            ctx.header("Content-Disposition", "attachment; filename=\"" + AreaStatisticsCsv.filename(level, stats.set().version(),
                    stats.periods()) + "\"");
            try (Writer out = new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8)) {
                AreaStatisticsCsv.write(stats.rows(), stats.periods(), out);
            }
            return;
        }
        ctx.json(AreaStatsResponse.of(level, filter, stats));
    }

    /** GET /api/areas/{level}/{code}/series?interval=month|quarter&from=&to=&category=&source=&version=&cell=i,j&cellSize= */
    public void series(Context ctx) {
        User user = access.required(ctx);
        BoundaryLevel level = level(ctx.pathParam("level"), true);
        SeriesInterval interval = SeriesInterval.parse(ctx.queryParam("interval"));
        Taxonomy taxonomy = taxonomies.load();
        IncidentFilter filter = QueryParams.incidentFilter(ctx, boundaries, taxonomy, user);
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
        IncidentFilter window = filter.during(from, to);
        AreaStatisticsService.Series series = service.series(wards, area, interval, window, cell, taxonomy);
        ctx.header("Cache-Control", "private, no-store");
        ctx.json(AreaSeriesResponse.of(area, wards, interval, window, cell, series));
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
        LocalDate today = LocalDate.now(clock.withZone(Council.UK));
        return interval.periodStart(today).minusDays(1);
    }
}
