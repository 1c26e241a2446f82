package aim.publicdata;

import aim.boundaries.BoundaryLevel;
import aim.db.DataVersions;
import aim.web.ConditionalGet;
import aim.web.QueryParams;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

/**
 * The public view's API, for anyone (no sign-in): {@code GET /api/public/areas} (counts per ward or
 * neighbourhood and month; JSON, CSV or GeoJSON) and {@code GET /api/public/hotspots} (counts on a grid of
 * at least 500 m; GeoJSON or CSV), non-sensitive categories only, small numbers suppressed
 * ({@link Suppression}). Answers carry an ETag from the data versions and the request, and may be cached
 * publicly for {@value #MAX_AGE_SECONDS} s.
 */
public final class PublicDataController {
    static final int MAX_AGE_SECONDS = 300;

    private final PublicCounts counts;
    private final PublicAreaShapes shapes;
    private final aim.hotspots.HotspotRepository cells;
    private final DataVersions versions;
    private final ObjectMapper json;
    private final Clock clock;
    private final RecentTables recent = new RecentTables();

    public PublicDataController(PublicCounts counts, PublicAreaShapes shapes, aim.hotspots.HotspotRepository cells,
                                DataVersions versions, ObjectMapper json, Clock clock) {
        this.counts = counts;
        this.shapes = shapes;
        this.cells = cells;
        this.versions = versions;
        this.json = json;
        this.clock = clock;
    }

    /** GET /api/public/areas?level=ward|neighbourhood&from=YYYY-MM&to=YYYY-MM&category=&format=json|csv|geojson */
    public void areas(Context ctx) throws IOException {
        String levelName = QueryParams.choice(ctx, "level", "ward", List.of("ward", "neighbourhood"));
        BoundaryLevel level = levelName.equals("ward") ? BoundaryLevel.WARD : BoundaryLevel.NEIGHBOURHOOD;
        String format = QueryParams.choice(ctx, "format", "json", List.of("json", "csv", "geojson"));
        PublicCounts.Query q = counts.query(QueryParams.month(ctx, "from"), QueryParams.month(ctx, "to"), ctx.queryParam("category"));
        String key = key("areas", levelName, q, "");
        if (notModified(ctx, key + "|" + format)) return;
        PublicCounts.AreaTable table = recent.get(key, () -> counts.areas(level, q));
        PublicDataWriter writer = writer();
        String name = "aim-public-" + levelName + "s-" + q.categoryCode() + "-" + q.from() + "-to-" + q.to();
        switch (format) {
            case "csv" -> csv(ctx, name, out -> writer.areasCsv(table, out));
            case "geojson" -> {
                ctx.contentType("application/geo+json");
                attachment(ctx, name + ".geojson");
                try (JsonGenerator out = json.getFactory().createGenerator(ctx.outputStream())) {
                    writer.areasGeoJson(table, shapes, out);
                }
            }
            default -> {
                ctx.contentType("application/json");
                try (JsonGenerator out = json.getFactory().createGenerator(ctx.outputStream())) {
                    writer.areasJson(table, PublicCounts.describe(counts.publicCategories()), out);
                }
            }
        }
    }

    /** GET /api/public/hotspots?cell=500&from=YYYY-MM&to=YYYY-MM&category=&format=geojson|csv */
    public void hotspots(Context ctx) throws IOException {
        int cell = QueryParams.integer(ctx, "cell", PublicCounts.BASE_CELL, Integer.MIN_VALUE, Integer.MAX_VALUE);
        String format = QueryParams.choice(ctx, "format", "geojson", List.of("geojson", "csv"));
        PublicCounts.Query q = counts.query(QueryParams.month(ctx, "from"), QueryParams.month(ctx, "to"), ctx.queryParam("category"));
        PublicCounts.checkCell(cell);
        String key = key("hotspots", "grid", q, String.valueOf(cell));
        if (notModified(ctx, key + "|" + format)) return;
        PublicCounts.GridTable grid = recent.get(key, () -> counts.grid(cell, q));
        PublicDataWriter writer = writer();
        String name = "aim-public-grid-" + cell + "m-" + q.categoryCode() + "-" + q.from() + "-to-" + q.to();
        if (format.equals("csv")) {
            csv(ctx, name, out -> writer.gridCsv(grid, out));
            return;
        }
        ctx.contentType("application/geo+json");
        try (JsonGenerator out = json.getFactory().createGenerator(ctx.outputStream())) {
            writer.gridGeoJson(grid, cells, out);
        }
    }

    private PublicDataWriter writer() {
        return new PublicDataWriter(counts.suppression(), year());
    }

    private int year() {
        return java.time.LocalDate.now(clock.withZone(aim.core.Council.UK)).getYear();
    }

    /**
     * What an answer depends on: the incident and boundary data versions, the published categories (a category
     * made sensitive leaves every answer), the request's own parameters, the threshold and the year of the
     * attribution. The caller plays no part: every caller is the public.
     */
    private String key(String what, String level, PublicCounts.Query q, String cell) {
        String open = String.join(",", counts.publicCategories().stream().map(aim.incidents.Taxonomy.Category::code).toList());
        return String.join("|", versions.tag("incidents", "boundaries"), open, what, level, q.from().toString(), q.to().toString(),
                q.categoryCode(), cell, String.valueOf(counts.suppression().below()), String.valueOf(year()));
    }

    /** Sets the ETag (a digest of {@code key}) and the public Cache-Control; answers 304 when the client has that ETag. */
    private boolean notModified(Context ctx, String key) {
        ctx.header("Cache-Control", "public, max-age=" + MAX_AGE_SECONDS);
        return ConditionalGet.notModified(ctx, "W/" + ConditionalGet.etag(key));
    }

    @FunctionalInterface
    private interface CsvBody {
        void write(Writer out) throws IOException;
    }

    private static void csv(Context ctx, String name, CsvBody body) throws IOException {
        ctx.contentType("text/csv; charset=utf-8");
        attachment(ctx, name + ".csv");
        try (Writer out = new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8)) {
            body.write(out);
        }
    }

    private static void attachment(Context ctx, String filename) {
        ctx.header("Content-Disposition", "attachment; filename=\"" + filename + "\"");
    }
}
