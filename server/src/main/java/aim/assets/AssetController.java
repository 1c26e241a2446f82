package aim.assets;

import aim.core.DomainException;
import aim.web.AccessControl;
import aim.accounts.User;
import aim.boundaries.BoundaryRepository;
import aim.web.JsonBodies;
import aim.web.QueryParams;
import aim.web.Uploads;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The asset register: the list (streamed GeoJSON, cursor paging), one asset, create, replace and retire,
 * the category taxonomy, imports (CSV, Open Referral UK JSON) and the Open Referral export. Every read
 * is filtered by role (people assets only for admins and analysts, and audited).
 */
public final class AssetController {
    private final AssetRepository repository;
    private final AssetWriter writer;
    private final AssetCategories categories;
    private final AssetCsvImporter csvImporter;
    private final OpenReferralImporter openReferralImporter;
    private final OpenReferralExporter exporter;
    private final BoundaryRepository boundaries;
    private final AccessControl access;
    private final ObjectMapper json;
    private final int maxPageSize;

    public AssetController(AssetRepository repository, AssetWriter writer, AssetCategories categories,
                           AssetCsvImporter csvImporter, OpenReferralImporter openReferralImporter, OpenReferralExporter exporter,
                           BoundaryRepository boundaries, AccessControl access, ObjectMapper json, int maxPageSize) {
        this.repository = repository;
        this.writer = writer;
        this.categories = categories;
        this.csvImporter = csvImporter;
        this.openReferralImporter = openReferralImporter;
        this.exporter = exporter;
        this.boundaries = boundaries;
        this.access = access;
        this.json = json;
        this.maxPageSize = maxPageSize;
    }

    /** GET /api/assets?category=&kind=&bbox=&q=&stale=&include_retired=&limit=&cursor= */
    public void list(Context ctx) throws IOException {
        User user = access.required(ctx);
        List<AssetKind> kinds = kinds(ctx, user);
        int limit = QueryParams.limit(ctx, 1000, maxPageSize);
        long after = 0;
        String cursor = ctx.queryParam("cursor");
        if (cursor != null) {
            try {
                after = Long.parseLong(cursor);
            } catch (NumberFormatException e) {
                throw DomainException.invalid("cursor", "cursor must be the next_cursor of a previous page");
            }
        }
        Boolean stale = QueryParams.optionalBool(ctx, "stale");
        var query = new AssetQuery(categories(ctx, "category"), kinds, QueryParams.bbox(ctx, "bbox"), ctx.queryParam("q"),
                QueryParams.bool(ctx, "include_retired", false), stale, after, limit);
        ctx.contentType("application/geo+json");
        ctx.header("Cache-Control", "private, no-store");
        try (JsonGenerator out = json.getFactory().createGenerator(ctx.outputStream())) {
            repository.writePage(query, user, wardSetOrNull(), endpoint(ctx), out);
        }
    }

    /** GET /api/assets/{id}?include_retired= */
    public void one(Context ctx) throws IOException {
        User user = access.required(ctx);
        long id = ctx.pathParamAsClass("id", Long.class).get();
        if (writer.kindOf(id).orElse(null) == AssetKind.PEOPLE) AssetWriter.requireMayWrite(AssetKind.PEOPLE, user);
        writeOne(ctx, id, user, QueryParams.bool(ctx, "include_retired", false), 200);
    }

    /** POST /api/assets (planner, admin): an {@link AssetInput}; 201 with the stored feature and a Location header. */
    public void create(Context ctx) throws IOException {
        User user = access.required(ctx);
        AssetInput body = JsonBodies.read(ctx, AssetInput.class, JsonBodies.MAX_GEOMETRY_BYTES);
        long id = writer.create(body, user);
        ctx.header("Location", "/api/assets/" + id);
        writeOne(ctx, id, user, false, 201);
    }

    /** PUT /api/assets/{id} (planner, admin): replaces the asset with an {@link AssetInput}. */
    public void replace(Context ctx) throws IOException {
        User user = access.required(ctx);
        long id = ctx.pathParamAsClass("id", Long.class).get();
        AssetInput body = JsonBodies.read(ctx, AssetInput.class, JsonBodies.MAX_GEOMETRY_BYTES);
        writer.replace(id, body, user);
        writeOne(ctx, id, user, true, 200);
    }

    /** DELETE /api/assets/{id} (planner, admin): retires the asset (kept, hidden from lists); 204. */
    public void retire(Context ctx) {
        User user = access.required(ctx);
        long id = ctx.pathParamAsClass("id", Long.class).get();
        writer.retire(id, user);
        ctx.status(HttpStatus.NO_CONTENT);
    }

    /** GET /api/assets/categories (public): the taxonomy as a flat list with parents, in display order. */
    public void categories(Context ctx) {
        ctx.json(Map.of("categories", categories.all(), "kinds", List.of("place", "service", "people"),
                "stale_after_days", repository.staleDays()));
    }

    /** Body of POST /api/assets/categories. */
    public record NewCategory(String code, String label, String parent, Integer sort) {
    }

    /** POST /api/assets/categories (admin): {code, label, parent?, sort?}; 201 with the category. */
    public void addCategory(Context ctx) {
        NewCategory body = JsonBodies.read(ctx, NewCategory.class);
        ctx.status(HttpStatus.CREATED).json(categories.create(body.code(), body.label(), body.parent(), body.sort()));
    }

    /**
     * POST /api/assets/import?format=csv|openreferral&category=&kind= (planner, admin): the file as the body
     * or as the multipart part {@code file}; without {@code format}, a JSON body is Open Referral and a
     * {@code text/csv} body CSV. CSV keeps the good rows and reports the bad ones by line (200);
     * Open Referral is all or nothing (a 4xx problem naming the field, or 200).
     */
    public void importFile(Context ctx) throws IOException {
        User user = access.required(ctx);
        // without format, the body's type decides: JSON is Open Referral, text/csv is CSV; otherwise format is required
        String type = String.valueOf(ctx.contentType()).toLowerCase(Locale.ROOT);
        String format = QueryParams.choice(ctx, "format", type.contains("json") ? "openreferral"
                : type.startsWith("text/csv") ? "csv" : null, List.of("csv", "openreferral"));
        Path file = Uploads.saveBody(ctx, "file");
        try {
            String source = file.getFileName().toString().equals("upload") ? format + " upload" : file.getFileName().toString();
            AssetImportReport report;
            if (format.equals("csv")) {
                String kind = ctx.queryParam("kind");
                var options = new AssetCsvImporter.Options(ctx.queryParam("category"), kind == null ? null : AssetKind.parse(kind, "kind"), source);
                try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    report = csvImporter.importCsv(reader, options, user);
                } catch (java.nio.charset.MalformedInputException e) {
                    throw DomainException.rejected("file", "the file is not UTF-8 text", List.of());
                }
            } else {
                try (InputStream in = Files.newInputStream(file)) {
                    report = openReferralImporter.importJson(in, ctx.queryParam("category"), source, user);
                }
            }
            ctx.json(report);
        } finally {
            Uploads.delete(file);
        }
    }

    /** GET /api/assets/export?format=openreferral&category=: every current service as Open Referral UK JSON (never people). */
    public void export(Context ctx) throws IOException {
        User user = access.required(ctx);
        String format = QueryParams.choice(ctx, "format", "openreferral", List.of("openreferral", "csv", "geojson"));
        List<String> chosen = categories(ctx, "category");
        ctx.header("Cache-Control", "private, no-store");
        if (format.equals("csv")) {
            // people assets only for roles that may see them, and every such read is audited
            ctx.contentType("text/csv; charset=utf-8");
            ctx.header("Content-Disposition", "attachment; filename=\"aim-assets.csv\"");
            var writer = new java.io.OutputStreamWriter(ctx.outputStream(), java.nio.charset.StandardCharsets.UTF_8);
            repository.writeAllCsv(chosen, user, wardSetOrNull(), endpoint(ctx), writer);
            writer.flush();
            return;
        }
        if (format.equals("geojson")) {
            ctx.contentType("application/geo+json");
            ctx.header("Content-Disposition", "attachment; filename=\"aim-assets.geojson\"");
            try (JsonGenerator out = json.getFactory().createGenerator(ctx.outputStream())) {
                repository.writeAllGeoJson(chosen, user, wardSetOrNull(), endpoint(ctx), out);
            }
            return;
        }
        ctx.contentType("application/json");
        ctx.header("Content-Disposition", "attachment; filename=\"aim-services-openreferral.json\"");
        try (JsonGenerator out = json.getFactory().createGenerator(ctx.outputStream())) {
            exporter.write(chosen, wardSetOrNull(), out);
        }
    }

    private void writeOne(Context ctx, long id, User user, boolean includeRetired, int status) throws IOException {
        var buffer = new ByteArrayOutputStream();
        boolean found;
        try (JsonGenerator out = json.getFactory().createGenerator(buffer)) {
            found = repository.writeOne(id, includeRetired, user, wardSetOrNull(), endpoint(ctx), out);
        }
        if (!found) throw DomainException.notFound("id", "no asset " + id + (includeRetired ? "" : " (retired assets need include_retired=true)"));
        ctx.header("Cache-Control", "private, no-store");
        ctx.status(status).contentType("application/geo+json").result(buffer.toByteArray());
    }

    /** The current ward set's id, or null when no wards are loaded (features then have no ward). */
    private Long wardSetOrNull() {
        return CouncilWards.currentId(boundaries);
    }

    /** The kinds asked for in {@code kind}; people asked for by a role that may not see them is forbidden. */
    private static List<AssetKind> kinds(Context ctx, User user) {
        return AssetKind.requested(QueryParams.list(ctx, "kind", Set.of("place", "service", "people")), user.role());
    }

    /** A comma list of category codes, each of which must exist (invalid, naming the parameter, otherwise). */
    private List<String> categories(Context ctx, String name) {
        return categories.chosen(ctx.queryParam(name), name);
    }

    /** The request as the audit records it: method, path and query. */
    private static String endpoint(Context ctx) {
        return PeopleAudit.endpoint(String.valueOf(ctx.method()), ctx.path(), ctx.queryString());
    }
}
