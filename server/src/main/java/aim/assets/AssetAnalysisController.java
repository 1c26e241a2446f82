package aim.assets;

import aim.core.DomainException;
import aim.accounts.AccessControl;
import aim.accounts.User;
import aim.boundaries.BoundaryLevel;
import aim.boundaries.BoundaryRepository;
import aim.boundaries.BoundarySet;
import aim.incidents.IncidentFilter;
import aim.incidents.TaxonomyRepository;
import aim.web.QueryParams;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * The planner tools over assets: directory search with distances, the nearest asset and the services
 * within walking distance of a point, coverage per ward, and gaps under hotspots with overlapping
 * provision. Distances are metres in EPSG:27700, straight line.
 */
public final class AssetAnalysisController {
    static final double MAX_DISTANCE = 10_000;

    private final AssetRepository repository;
    private final AssetAnalysis analysis;
    private final AssetController assets;
    private final BoundaryRepository boundaries;
    private final AccessControl access;
    private final TaxonomyRepository taxonomies;
    private final ObjectMapper json;
    private final int maxPageSize;

    public AssetAnalysisController(AssetRepository repository, AssetAnalysis analysis, AssetController assets,
                                   BoundaryRepository boundaries, AccessControl access, TaxonomyRepository taxonomies, ObjectMapper json,
                                   int maxPageSize) {
        this.repository = repository;
        this.analysis = analysis;
        this.assets = assets;
        this.boundaries = boundaries;
        this.access = access;
        this.taxonomies = taxonomies;
        this.json = json;
        this.maxPageSize = maxPageSize;
    }

    /** GET /api/assets/search?q=&category=&kind=&near=lon,lat&radius=&ward=&version=&limit= */
    public void search(Context ctx) throws IOException {
        User user = access.required(ctx);
        List<AssetKind> kinds = AssetController.kinds(ctx, user);
        double[] near = lonLat(ctx.queryParam("near"), "near");
        Double radius = distance(ctx, "radius", null);
        if (radius != null && near == null) throw DomainException.invalid("radius", "radius needs near=lon,lat");
        int limit = QueryParams.limit(ctx, 100, maxPageSize);
        String ward = blankToNull(ctx.queryParam("ward"));
        Long wardSetId = null;
        if (ward != null || ctx.queryParam("version") != null) {
            BoundarySet wards = boundaries.resolve(BoundaryLevel.WARD, ctx.queryParam("version")).get(0);
            if (ward != null && !boundaries.hasArea(wards, ward)) {
                throw DomainException.invalid("ward", "no ward '" + ward + "' in ward version " + wards.version());
            }
            wardSetId = wards.id();
        } else {
            wardSetId = assets.wardSetOrNull();
        }
        var query = new DirectoryQuery(blankToNull(ctx.queryParam("q")), assets.categories(ctx, "category"), kinds, near, radius,
                ward, wardSetId, limit);
        ctx.contentType("application/geo+json");
        ctx.header("Cache-Control", "private, no-store");
        try (JsonGenerator out = json.getFactory().createGenerator(ctx.outputStream())) {
            repository.writeSearch(query, user, AssetController.endpoint(ctx), out);
        }
    }

    /** GET /api/assets/nearest?lon=&lat=&category=&kind=&count=&walk=&service_category= */
    public void nearest(Context ctx) throws IOException {
        User user = access.required(ctx);
        double lon = coordinate(ctx, "lon", -180, 180), lat = coordinate(ctx, "lat", -90, 90);
        List<AssetKind> kinds = AssetController.kinds(ctx, user);
        if (kinds.isEmpty()) kinds = List.of(AssetKind.PLACE, AssetKind.SERVICE);
        int count = ctx.queryParamAsClass("count", Integer.class).check(n -> n >= 1 && n <= 50, "count must be from 1 to 50").getOrDefault(1);
        double walk = distance(ctx, "walk", 800.0);
        var buffer = new ByteArrayOutputStream();
        try (JsonGenerator out = json.getFactory().createGenerator(buffer)) {
            repository.writeNearest(lon, lat, assets.categories(ctx, "category"), kinds, count, walk,
                    assets.categories(ctx, "service_category"), user, assets.wardSetOrNull(), AssetController.endpoint(ctx), out);
        }
        ctx.header("Cache-Control", "private, no-store");
        ctx.contentType("application/json").result(buffer.toByteArray());
    }

    /** GET /api/assets/coverage?level=ward|neighbourhood&version=&category=&distance= */
    public void coverage(Context ctx) throws IOException {
        access.required(ctx);
        String level = QueryParams.choice(ctx, "level", "ward", List.of("ward", "neighbourhood"));
        BoundarySet wards = boundaries.resolve(BoundaryLevel.WARD, ctx.queryParam("version")).get(0);
        BoundarySet set = level.equals("ward") ? wards : boundaries.neighbourhoodsOf(wards).orElseThrow(() ->
                DomainException.invalid("level", "no neighbourhoods are defined on ward version " + wards.version()));
        double distance = distance(ctx, "distance", 800.0);
        var buffer = new ByteArrayOutputStream();
        try (JsonGenerator out = json.getFactory().createGenerator(buffer)) {
            analysis.writeCoverage(set, assets.categories(ctx, "category"), distance, out);
        }
        ctx.header("Cache-Control", "private, no-store");
        ctx.contentType("application/json").result(buffer.toByteArray());
    }

    /**
     * GET /api/assets/gaps?category=&distance=&method=grid|gistar&cell=&overlap_distance=&from=&to=&incident_category=&source=&area=&version=
     */
    public void gaps(Context ctx) throws IOException {
        User user = access.required(ctx);
        List<String> categories = assets.categories(ctx, "category");
        if (categories.isEmpty()) throw DomainException.invalid("category", "category is required: the provision to look for, e.g. youth-provision");
        double distance = distance(ctx, "distance", 800.0);
        String method = QueryParams.choice(ctx, "method", "grid", List.of("grid", "gistar"));
        int cell = ctx.queryParamAsClass("cell", Integer.class).check(c -> c >= 50 && c <= 2000, "cell must be from 50 to 2000 metres")
                .getOrDefault(250);
        double overlap = distance(ctx, "overlap_distance", 400.0);
        var request = new AssetAnalysis.GapRequest(categories, distance, method, cell, overlap, filter(ctx, user));
        var buffer = new ByteArrayOutputStream();
        try (JsonGenerator out = json.getFactory().createGenerator(buffer)) {
            analysis.writeGaps(request, out);
        }
        ctx.header("Cache-Control", "private, no-store");
        ctx.contentType("application/json").result(buffer.toByteArray());
    }

    /** The shared incident filter, with the incident categories in {@code incident_category} (category names the provision here). */
    private IncidentFilter filter(Context ctx, User user) {
        return QueryParams.incidentFilter(ctx, "incident_category", boundaries, taxonomies.load(), user);
    }

    static double[] lonLat(String v, String name) {
        if (v == null || v.isBlank()) return null;
        String[] parts = v.split(",");
        try {
            if (parts.length == 2) {
                double lon = Double.parseDouble(parts[0].trim()), lat = Double.parseDouble(parts[1].trim());
                if (lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90) return new double[]{lon, lat};
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw DomainException.invalid(name, name + " is lon,lat in WGS84 degrees, e.g. -1.2345,54.5678; not '" + v + "'");
    }

    static double coordinate(Context ctx, String name, double min, double max) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) throw DomainException.invalid(name, name + " is required (WGS84 degrees)");
        try {
            double d = Double.parseDouble(v.trim());
            if (d >= min && d <= max) return d;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw DomainException.invalid(name, name + " must be a number from " + min + " to " + max + ", not '" + v + "'");
    }

    static Double distance(Context ctx, String name, Double fallback) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) return fallback;
        try {
            double d = Double.parseDouble(v.trim());
            if (d > 0 && d <= MAX_DISTANCE) return d;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw DomainException.invalid(name, name + " is a distance in metres, more than 0 and at most " + (int) MAX_DISTANCE + ", not '" + v + "'");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
