package aim.boundaries;

import aim.core.DomainException;
import aim.web.ConditionalGet;
import aim.web.JsonBodies;
import aim.web.QueryParams;
import aim.web.RequestBodies;
import aim.web.Uploads;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** HTTP endpoints of the boundary store: thin parsing and validation around the repository and importers. */
public final class BoundaryController {
    private final BoundaryRepository repository;
    private final BoundaryImporter importer;
    private final NeighbourhoodBuilder neighbourhoods;
    private final PopulationImporter populations;
    private final ObjectMapper json;
    private final int maxSimplifyMetres;

    public BoundaryController(BoundaryRepository repository, BoundaryImporter importer, NeighbourhoodBuilder neighbourhoods,
                              PopulationImporter populations, ObjectMapper json, int maxSimplifyMetres) {
        this.repository = repository;
        this.importer = importer;
        this.neighbourhoods = neighbourhoods;
        this.populations = populations;
        this.json = json;
        this.maxSimplifyMetres = maxSimplifyMetres;
    }

    /** GET /api/boundaries?level=&version=&simplify= */
    public void list(Context ctx) throws IOException {
        BoundaryLevel level = level(ctx, "ward");
        String version = ctx.queryParam("version");
        int simplify = QueryParams.integer(ctx, "simplify", 0, 0, maxSimplifyMetres);
        int tolerance = CoverageSimplification.roundDown(simplify);
        List<BoundarySet> sets = BoundaryVersions.resolve(repository, level, version);
        String etag = sets.stream().map(s -> s.id() + "." + s.changedAt().toEpochMilli() + "." + s.current())
                .collect(Collectors.joining("-", "W/\"b-", "-s" + tolerance + "\""));
        ctx.header("Cache-Control", "public, max-age=60, must-revalidate");
        if (ConditionalGet.notModified(ctx, etag)) return;
        ctx.contentType("application/geo+json");
        try (JsonGenerator out = json.getFactory().createGenerator(ctx.outputStream())) {
            repository.writeFeatureCollection(sets, tolerance, out);
        }
    }

    /** GET /api/boundaries/{level}/{code}?version= */
    public void one(Context ctx) throws IOException {
        BoundaryLevel level = BoundaryLevel.parse(ctx.pathParam("level"), "level");
        String code = ctx.pathParam("code");
        List<BoundarySet> sets = BoundaryVersions.resolve(repository, level, ctx.queryParam("version"));
        for (BoundarySet set : sets) {
            var buffer = new java.io.ByteArrayOutputStream(); // one area: small
            try (JsonGenerator out = json.getFactory().createGenerator(buffer)) {
                if (!repository.writeFeature(set, code, out)) continue;
            }
            ctx.contentType("application/geo+json").result(buffer.toByteArray());
            return;
        }
        throw DomainException.notFound("code", "no " + level.id() + " with code '" + code + "' in "
                + sets.stream().map(BoundarySet::version).collect(Collectors.joining(", ", "version ", "")));
    }

    /** GET /api/boundaries/versions */
    public void versions(Context ctx) {
        ctx.json(repository.versions().stream().map(BoundaryController::versionJson).toList());
    }

    private static Map<String, Object> versionJson(BoundarySet s) {
        var m = new java.util.LinkedHashMap<String, Object>();
        m.put("level", s.level().id());
        m.put("version", s.version());
        m.put("validFrom", s.validFrom().toString());
        m.put("validTo", s.validTo() == null ? null : s.validTo().toString());
        m.put("featureCount", s.featureCount());
        m.put("current", s.current());
        m.put("demo", s.demo());
        m.put("attribution", s.attribution());
        m.put("basedOn", s.basedOn());
        m.put("source", s.source());
        return m;
    }

    /** POST /api/boundaries/import?level=&version=&valid-from=&valid-to=&code-field=&name-field=&srid=&replace= (admin) */
    public void importFile(Context ctx) throws IOException {
        BoundaryLevel level = level(ctx, null);
        Integer srid = ctx.queryParam("srid") == null ? null
                : Integer.valueOf(QueryParams.choice(ctx, "srid", null, List.of("4326", "27700")));
        var options = new BoundaryImportOptions(level, ctx.queryParam("version"),
                QueryParams.date(ctx, "valid-from"), QueryParams.date(ctx, "valid-to"),
                ctx.queryParam("code-field"), ctx.queryParam("name-field"), srid,
                QueryParams.bool(ctx, "replace", false), false, ctx.queryParam("attribution"));
        Path file = Uploads.saveBody(ctx, "file");
        try {
            ctx.status(HttpStatus.CREATED).json(importer.importFile(file, options));
        } finally {
            Uploads.delete(file);
        }
    }

    /** Body of PUT /api/boundaries/neighbourhoods/{version}. */
    public record NeighbourhoodRequest(String wardVersion, LocalDate validFrom, Boolean replace,
                                       List<NeighbourhoodDefinition> neighbourhoods) {
    }

    /** PUT /api/boundaries/neighbourhoods/{version} (admin): JSON definition, or a CSV mapping with Content-Type text/csv. */
    public void defineNeighbourhoods(Context ctx) throws IOException {
        String version = ctx.pathParam("version");
        NeighbourhoodImportReport report;
        if (String.valueOf(ctx.contentType()).startsWith("text/csv")) {
            var parsed = NeighbourhoodMappingCsv.read(new InputStreamReader(RequestBodies.stream(ctx, JsonBodies.MAX_GEOMETRY_BYTES, "file"), StandardCharsets.UTF_8));
            if (!parsed.issues().isEmpty()) {
                throw DomainException.rejected("file", parsed.issues().size() + " bad row(s) in the mapping; nothing was stored", parsed.issues());
            }
            report = neighbourhoods.define(version, ctx.queryParam("ward-version"),
                    QueryParams.date(ctx, "valid-from"), parsed.neighbourhoods(),
                    QueryParams.bool(ctx, "replace", false), false);
        } else {
            NeighbourhoodRequest body = JsonBodies.read(ctx, NeighbourhoodRequest.class, JsonBodies.MAX_GEOMETRY_BYTES);
            if (body.neighbourhoods() == null) throw DomainException.invalid("neighbourhoods", "neighbourhoods is required");
            report = neighbourhoods.define(version, body.wardVersion(), body.validFrom(), body.neighbourhoods(),
                    Boolean.TRUE.equals(body.replace()), false);
        }
        ctx.status(HttpStatus.CREATED).json(report);
    }

    /** POST /api/populations?level=&version=&year= (admin), CSV body. */
    public void importPopulation(Context ctx) throws IOException {
        BoundaryLevel level = level(ctx, null);
        Integer year = QueryParams.optionalInteger(ctx, "year", PopulationImporter.MIN_YEAR, PopulationImporter.MAX_YEAR);
        Path file = Uploads.saveBody(ctx, "file");
        try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            ctx.json(populations.importCsv(reader, level, ctx.queryParam("version"), year,
                    new PopulationImporter.Columns(ctx.queryParam("code-field"), ctx.queryParam("population-field"), ctx.queryParam("year-field"))));
        } finally {
            Uploads.delete(file);
        }
    }

    /** POST /api/populations/apportion?level=ward&version=&from-version=&year= (admin) */
    public void apportionPopulation(Context ctx) {
        BoundaryLevel level = level(ctx, "ward");
        Integer year = QueryParams.optionalInteger(ctx, "year", PopulationImporter.MIN_YEAR, PopulationImporter.MAX_YEAR);
        ctx.json(populations.apportionFromLsoa(level, ctx.queryParam("version"), ctx.queryParam("from-version"), year));
    }

    /** The query parameter {@code level}; a null fallback makes it required. */
    private static BoundaryLevel level(Context ctx, String fallback) {
        return BoundaryLevel.parse(QueryParams.choice(ctx, "level", fallback, BoundaryLevel.ids()), "level");
    }
}
