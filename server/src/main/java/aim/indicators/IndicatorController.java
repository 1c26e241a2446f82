package aim.indicators;

import aim.accounts.User;
import aim.areas.PoissonChange;
import aim.boundaries.BoundaryLevel;
import aim.boundaries.BoundaryRepository;
import aim.boundaries.StudyArea;
import aim.core.Council;
import aim.core.DomainException;
import aim.incidents.Redaction;
import aim.incidents.TaxonomyRepository;
import aim.web.AccessControl;
import aim.web.JsonBodies;
import aim.web.QueryParams;
import aim.web.Uploads;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The performance framework's HTTP edge: {@code GET /api/indicators} (the table, JSON or CSV; any signed-in
 * user, counts as their redaction lets them see), {@code GET /api/indicators/definitions},
 * {@code POST /api/indicators/import} (a CSV of survey, count or score values; admins and analysts) and
 * {@code PUT /api/indicators/{code}/targets}.
 */
public final class IndicatorController {
    static final LocalDate EARLIEST = LocalDate.of(1900, 1, 1), LATEST = LocalDate.of(2199, 12, 31);

    private final IndicatorRepository repository;
    private final IndicatorTable table;
    private final IndicatorImporter importer;
    private final BoundaryRepository boundaries;
    private final TaxonomyRepository taxonomies;
    private final AccessControl access;
    private final Clock clock;

    public IndicatorController(IndicatorRepository repository, IndicatorTable table, BoundaryRepository boundaries,
                               TaxonomyRepository taxonomies, AccessControl access, Clock clock) {
        this.repository = repository;
        this.table = table;
        this.importer = new IndicatorImporter(repository);
        this.boundaries = boundaries;
        this.taxonomies = taxonomies;
        this.access = access;
        this.clock = clock;
    }

    /** GET /api/indicators?level=ward|neighbourhood|zone|lsoa&interval=month|quarter&from=&to=&indicator=&version=&zones=&format=json|csv */
    public void table(Context ctx) throws IOException {
        User user = access.required(ctx);
        boolean csv = QueryParams.choice(ctx, "format", "json", List.of("json", "csv")).equals("csv");
        BoundaryLevel level = BoundaryLevel.parse(QueryParams.choice(ctx, "level", "ward", List.of("ward", "neighbourhood", "zone", "lsoa")), "level");
        IndicatorTable.Interval interval = IndicatorTable.Interval.valueOf(
                QueryParams.choice(ctx, "interval", "quarter", List.of("month", "quarter")).toUpperCase(Locale.ROOT));
        LocalDate from = QueryParams.date(ctx, "from"), to = QueryParams.date(ctx, "to");
        if (to == null) to = interval.start(LocalDate.now(clock.withZone(Council.UK))).minusDays(1);
        if (from == null) from = interval.start(interval.start(to).minusMonths(interval == IndicatorTable.Interval.MONTH ? 11 : 21));
        checkRange(from, "from");
        checkRange(to, "to");
        if (to.isBefore(from)) throw DomainException.invalid("to", "to (" + to + ") is before from (" + from + ")");
        if (IndicatorTable.periodCount(interval, from, to) > IndicatorTable.MAX_PERIODS) {
            throw DomainException.invalid("from", "the window holds more than " + IndicatorTable.MAX_PERIODS + " " + interval.id() + "s");
        }
        List<String> codes = QueryParams.list(ctx, "indicator",
                repository.all().stream().map(Indicator::code).collect(java.util.stream.Collectors.toSet()));
        StudyArea study = StudyArea.resolve(boundaries, null, ctx.queryParam("version"));
        IndicatorTable.Table result = table.build(level, study, ctx.queryParam("zones"), interval, from, to, codes, user, taxonomies.load());
        ctx.header("Cache-Control", "private, no-store");
        if (csv) {
            ctx.contentType("text/csv; charset=utf-8");
            ctx.header("Content-Disposition", "attachment; filename=\"indicators-" + level.id() + "-" + result.periods().get(0).start()
                    + "-" + result.periods().get(result.periods().size() - 1).end() + ".csv\"");
            try (Writer out = new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8)) {
                IndicatorCsv.write(result, out);
            }
            return;
        }
        ctx.json(response(result, LocalDate.now(clock.withZone(Council.UK))));
    }

    /** The JSON body of the table: meta, the indicators' definitions and one row per indicator and area. */
    public static Map<String, Object> response(IndicatorTable.Table t, LocalDate today) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("level", t.level().id());
        meta.put("version", t.set().version());
        meta.put("wardVersion", t.wards().version());
        meta.put("interval", t.interval().id());
        meta.put("from", t.periods().get(0).start());
        meta.put("to", t.periods().get(t.periods().size() - 1).end());
        meta.put("periods", t.periods());
        // a period that has not ended yet holds part of its incidents: its change is not yet like for like
        meta.put("incomplete", t.periods().stream().filter(p -> !p.end().isBefore(today)).map(IndicatorTable.Period::label).toList());
        meta.put("ratePer", 1000);
        Map<String, Object> tests = new LinkedHashMap<>();
        tests.put("count", PoissonChange.TEST_NAME);
        tests.put("survey", ChangeTests.SURVEY_TEST);
        tests.put("surveyInterval", ChangeTests.SURVEY_INTERVAL);
        tests.put("score", "no test");
        meta.put("changeTests", tests);
        meta.put("alpha", ChangeTests.ALPHA);
        meta.put("rag", Rag.RULE);
        Map<String, Object> redaction = Redaction.note(t.viewer());
        if (redaction != null) meta.put("redaction", redaction);
        meta.put("notes", List.of(
                "Periods are whole months or UK financial-year quarters (Q1 = April–June … Q4 = January–March of the next calendar"
                        + " year); a window is widened to whole periods, and the first period's previous value is the period before it.",
                "Computed indicators count incidents in the area holding the point the caller may see (the rollups of the area"
                        + " views); month-precise police.uk incidents count in their month. Police-reported: source police;"
                        + " council/public-reported: sources council and public; warden: source warden.",
                "Rates are per 1,000 residents of the area's latest population.",
                "Imported values count in the period containing their period's start; counts are summed, survey percentages"
                        + " pooled by n, LSOA scores averaged weighted by LSOA population (the latest period's)."));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("meta", meta);
        body.put("indicators", t.indicators());
        body.put("rows", t.rows());
        return body;
    }

    /** GET /api/indicators/definitions: every indicator with its kind, direction, source and licence. */
    public void definitions(Context ctx) {
        access.required(ctx);
        ctx.json(Map.of("indicators", repository.all()));
    }

    /** POST /api/indicators/import?kind=survey|count|score[&indicator=a,b]: a CSV body or the multipart part {@code file}. */
    public void importFile(Context ctx) throws IOException {
        access.required(ctx);
        IndicatorKind kind = IndicatorKind.importable(ctx.queryParam("kind"), "kind");
        List<String> only = codes(ctx.queryParam("indicator"));
        Path file = Uploads.saveBody(ctx, "file");
        IndicatorImportReport report;
        try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String name = file.getFileName().toString().equals("upload") ? "upload" : file.getFileName().toString();
            report = importer.importCsv(reader, new IndicatorImporter.Options(kind, only, name, false));
        } catch (java.nio.charset.MalformedInputException e) {
            throw DomainException.rejected("file", "the file is not UTF-8 text", List.of());
        } finally {
            Uploads.delete(file);
        }
        if (report.rejected() > 0) {
            // RFC 9457: the bad rows by line; the good ones are stored
            throw DomainException.rejected("file", report.rejected() + " of " + report.rows() + " rows rejected (listed in issues by line);"
                    + " the other " + report.imported() + " values were stored", report.issues());
        }
        ctx.json(report);
    }

    /** The body of PUT /api/indicators/{code}/targets. */
    public record TargetsBody(List<TargetInput> targets) {
    }

    /** {@code area}: an area code or {@code *} (every area without its own); {@code measure}: value (default) or rate. */
    public record TargetInput(String area, Double target, String measure, Double tolerance) {
    }

    /** GET /api/indicators/{code}/targets: the indicator's targets, as PUT stores them (the web map edits them). */
    public void targets(Context ctx) {
        access.required(ctx);
        String code = indicator(ctx).code();
        ctx.json(Map.of("indicator", code, "targets", repository.targets(List.of(code))));
    }

    private Indicator indicator(Context ctx) {
        String code = ctx.pathParam("code");
        return (code.matches("[a-z0-9][a-z0-9._-]{0,79}") ? repository.find(code) : java.util.Optional.<Indicator>empty())
                .orElseThrow(() -> DomainException.notFound("code", "no indicator '" + code + "'"));
    }

    /** PUT /api/indicators/{code}/targets: replaces the indicator's targets. */
    public void replaceTargets(Context ctx) {
        access.required(ctx);
        Indicator indicator = indicator(ctx);
        String code = indicator.code();
        TargetsBody body = JsonBodies.read(ctx, TargetsBody.class);
        if (body == null || body.targets() == null) throw DomainException.invalid("targets", "targets is required: a list (may be empty)");
        List<IndicatorRepository.Target> targets = new ArrayList<>();
        java.util.Set<String> areas = new java.util.HashSet<>();
        for (int i = 0; i < body.targets().size(); i++) {
            TargetInput t = body.targets().get(i);
            String field = "targets[" + i + "]";
            if (t == null || t.area() == null || !t.area().trim().matches("\\*|[\\p{Alnum}._-]{1,60}")) {
                throw DomainException.invalid(field + ".area", "area is an area code or * (every area)");
            }
            if (!areas.add(t.area().trim())) throw DomainException.invalid(field + ".area", "area " + t.area() + " is given twice");
            if (t.target() == null || !Double.isFinite(t.target())) throw DomainException.invalid(field + ".target", "target is a number");
            String measure = t.measure() == null ? "value" : t.measure();
            if (!List.of("value", "rate").contains(measure)) throw DomainException.invalid(field + ".measure", "measure is value or rate");
            if (measure.equals("rate") && !(indicator.kind().isCount())) {
                throw DomainException.invalid(field + ".measure", "only count indicators have a rate per 1,000");
            }
            double tolerance = t.tolerance() == null ? Rag.DEFAULT_TOLERANCE_PERCENT : t.tolerance();
            if (!(tolerance >= 0 && tolerance <= 1000)) throw DomainException.invalid(field + ".tolerance", "tolerance is a percentage from 0 to 1000");
            targets.add(new IndicatorRepository.Target(code, t.area().trim(), measure, t.target(), tolerance));
        }
        repository.replaceTargets(code, targets);
        ctx.json(Map.of("indicator", code, "targets", targets));
    }

    private static List<String> codes(String value) {
        if (value == null || value.isBlank()) return List.of();
        return java.util.Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
    }

    private static void checkRange(LocalDate date, String field) {
        if (date.isBefore(EARLIEST) || date.isAfter(LATEST)) {
            throw DomainException.invalid(field, field + " must lie between " + EARLIEST + " and " + LATEST);
        }
    }
}
