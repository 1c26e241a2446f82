package aim.assets;

import aim.core.DomainException;
import aim.web.AccessControl;
import aim.accounts.User;
import aim.boundaries.BoundaryLevel;
import aim.boundaries.BoundaryRepository;
import aim.boundaries.BoundarySet;
import aim.boundaries.BoundaryVersions;
import aim.incidents.IncidentFilter;
import aim.incidents.TaxonomyRepository;
import aim.web.QueryParams;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * The planner tools over assets: directory search with distances, the nearest asset and the services
 * within walking distance of a point, coverage per ward, and gaps under hotspots with overlapping
 * provision. Distances are metres in EPSG:27700, straight line.
 */
public final class AssetAnalysisController {
    static final double MAX_DISTANCE = 10_000;

    private final AssetRepository repository;
    private final AssetAnalysis analysis;
    private final AssetCategories categories;
    private final BoundaryRepository boundaries;
    private final AccessControl access;
    private final TaxonomyRepository taxonomies;
    private final ObjectMapper json;
    private final int maxPageSize;

    public AssetAnalysisController(AssetRepository repository, AssetAnalysis analysis, AssetCategories categories,
                                   BoundaryRepository boundaries, AccessControl access, TaxonomyRepository taxonomies, ObjectMapper json,
                                   int maxPageSize) {
        this.repository = repository;
        this.analysis = analysis;
        this.categories = categories;
        this.boundaries = boundaries;
        this.access = access;
        this.taxonomies = taxonomies;
        this.json = json;
        this.maxPageSize = maxPageSize;
    }

    /** GET /api/assets/search?q=&category=&kind=&near=lon,lat&radius=&ward=&version=&limit= */
    public void search(Context ctx) throws IOException {
        User user = access.required(ctx);
        List<AssetKind> kinds = kinds(ctx, user);
        double[] near = QueryParams.lonLat(ctx, "near");
        Double radius = distance(ctx, "radius", null);
        if (radius != null && near == null) throw DomainException.invalid("radius", "radius needs near=lon,lat");
        int limit = QueryParams.limit(ctx, 100, maxPageSize);
        String ward = blankToNull(ctx.queryParam("ward"));
        Long wardSetId = null;
        if (ward != null || ctx.queryParam("version") != null) {
            BoundarySet wards = BoundaryVersions.resolve(boundaries, BoundaryLevel.WARD, ctx.queryParam("version")).get(0);
            if (ward != null && !boundaries.hasArea(wards, ward)) {
                throw DomainException.invalid("ward", "no ward '" + ward + "' in ward version " + wards.version());
            }
            wardSetId = wards.id();
        } else {
            wardSetId = CouncilWards.currentId(boundaries);
        }
        var query = new DirectoryQuery(blankToNull(ctx.queryParam("q")), categories(ctx, "category"), kinds, near, radius,
                ward, wardSetId, limit);
        ctx.contentType("application/geo+json");
        ctx.header("Cache-Control", "private, no-store");
        try (JsonGenerator out = json.getFactory().createGenerator(ctx.outputStream())) {
            repository.writeSearch(query, user, endpoint(ctx), out);
        }
    }

    /** GET /api/assets/nearest?lon=&lat=&category=&kind=&count=&walk=&service_category= */
    public void nearest(Context ctx) throws IOException {
        User user = access.required(ctx);
        double lon = coordinate(ctx, "lon", -180, 180), lat = coordinate(ctx, "lat", -90, 90);
        List<AssetKind> kinds = kinds(ctx, user);
        if (kinds.isEmpty()) kinds = List.of(AssetKind.PLACE, AssetKind.SERVICE);
        int count = QueryParams.integer(ctx, "count", 1, 1, 50);
        double walk = distance(ctx, "walk", 800.0);
        var buffer = new ByteArrayOutputStream();
        try (JsonGenerator out = json.getFactory().createGenerator(buffer)) {
            repository.writeNearest(lon, lat, categories(ctx, "category"), kinds, count, walk,
                    categories(ctx, "service_category"), user, CouncilWards.currentId(boundaries), endpoint(ctx), out);
        }
        ctx.header("Cache-Control", "private, no-store");
        ctx.contentType("application/json").result(buffer.toByteArray());
    }

    /** GET /api/assets/coverage?level=ward|neighbourhood&version=&category=&distance= */
    public void coverage(Context ctx) throws IOException {
        access.required(ctx);
        String level = QueryParams.choice(ctx, "level", "ward", List.of("ward", "neighbourhood"));
        BoundarySet wards = BoundaryVersions.resolve(boundaries, BoundaryLevel.WARD, ctx.queryParam("version")).get(0);
        BoundarySet set = level.equals("ward") ? wards : boundaries.neighbourhoodsOf(wards).orElseThrow(() ->
                DomainException.invalid("level", "no neighbourhoods are defined on ward version " + wards.version()));
        double distance = distance(ctx, "distance", 800.0);
        var buffer = new ByteArrayOutputStream();
        try (JsonGenerator out = json.getFactory().createGenerator(buffer)) {
            analysis.writeCoverage(set, categories(ctx, "category"), distance, out);
        }
        ctx.header("Cache-Control", "private, no-store");
        ctx.contentType("application/json").result(buffer.toByteArray());
    }

    /**
     * GET /api/assets/gaps?category=&distance=&method=grid|gistar&cell=&overlap_distance=&from=&to=&incident_category=&source=&area=&version=
     */
    public void gaps(Context ctx) throws IOException {
        User user = access.required(ctx);
        List<String> provision = categories(ctx, "category");
        if (provision.isEmpty()) throw DomainException.invalid("category", "category is required: the provision to look for, e.g. youth-provision");
        double distance = distance(ctx, "distance", 800.0);
        String method = QueryParams.choice(ctx, "method", "grid", List.of("grid", "gistar"));
        int cell = QueryParams.integer(ctx, "cell", 250, 50, 2000);
        double overlap = distance(ctx, "overlap_distance", 400.0);
        IncidentFilter filter = filter(ctx, user);
        // the ward named on each gap: of the ward version asked for, else the current wards (none loaded: no ward)
        String version = ctx.queryParam("version");
        Long wardSetId = version != null ? BoundaryVersions.one(boundaries, BoundaryLevel.WARD, version).id() : CouncilWards.currentId(boundaries);
        var request = new AssetAnalysis.GapRequest(provision, distance, method, cell, overlap, filter, wardSetId);
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

    /** A coordinate in WGS84 degrees from {@code min} to {@code max}; required. */
    private static double coordinate(Context ctx, String name, double min, double max) {
        Double d = QueryParams.number(ctx, name, min, false, max, "a number from " + min + " to " + max);
        if (d == null) throw DomainException.invalid(name, name + " is required (WGS84 degrees)");
        return d;
    }

    /** A distance in metres, more than 0 and at most {@link #MAX_DISTANCE}, or {@code fallback} when absent. */
    private static Double distance(Context ctx, String name, Double fallback) {
        Double d = QueryParams.number(ctx, name, 0, true, MAX_DISTANCE, "a distance in metres, more than 0 and at most " + (int) MAX_DISTANCE);
        return d == null ? fallback : d;
    }

    /** The kinds asked for in {@code kind}; people asked for by a role that may not see them is forbidden. */
    private static List<AssetKind> kinds(Context ctx, User user) {
        return AssetKind.requested(QueryParams.list(ctx, "kind", Set.of("place", "service", "people")), user.role());
    }

    /** A comma list of category codes, each of which must exist (invalid, naming the parameter, otherwise). */
    private List<String> categories(Context ctx, String name) {
        return categories.chosen(ctx.queryParam(name), name);
    }

    /** The request as the people-asset audit records it. */
    private static String endpoint(Context ctx) {
        return PeopleAudit.endpoint(String.valueOf(ctx.method()), ctx.path(), ctx.queryString());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
