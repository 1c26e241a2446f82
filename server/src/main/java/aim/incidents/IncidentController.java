package aim.incidents;

import aim.core.DomainException;
import aim.web.AccessControl;
import aim.accounts.User;
import aim.boundaries.BoundaryLevel;
import aim.boundaries.BoundaryRepository;
import aim.boundaries.BoundarySet;
import aim.boundaries.BoundaryVersions;
import aim.web.QueryParams;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The incident list (streamed GeoJSON, cursor paging), one incident, and the taxonomy. */
public final class IncidentController {
    private final IncidentRepository repository;
    private final BoundaryRepository boundaries;
    private final AccessControl access;
    private final ObjectMapper json;
    private final TaxonomyRepository taxonomies;
    private final int maxPageSize;

    public IncidentController(IncidentRepository repository, BoundaryRepository boundaries, AccessControl access,
                              ObjectMapper json, TaxonomyRepository taxonomies, int maxPageSize) {
        this.repository = repository;
        this.boundaries = boundaries;
        this.access = access;
        this.json = json;
        this.taxonomies = taxonomies;
        this.maxPageSize = maxPageSize;
    }

    /** GET /api/incidents?bbox=&from=&to=&category=&source=&status=&ward=&neighbourhood=&version=&order=&limit=&cursor=&after= */
    public void list(Context ctx) throws IOException {
        User user = access.required(ctx);
        Taxonomy taxonomy = taxonomies.load();
        Set<String> codes = taxonomy.categories().stream().map(Taxonomy.Category::code).collect(Collectors.toSet());
        LocalDate from = QueryParams.date(ctx, "from");
        LocalDate to = QueryParams.date(ctx, "to");
        if (from != null && to != null && to.isBefore(from)) throw DomainException.invalid("to", "to (" + to + ") is before from (" + from + ")");
        int limit = QueryParams.limit(ctx, 1000, maxPageSize);
        String order = QueryParams.choice(ctx, "order", "oldest", List.of("oldest", "newest"));
        long after = QueryParams.atLeast(ctx, "after", 0, 0);
        long cursor = ctx.queryParam("cursor") == null ? 0 : IncidentCursor.decode(ctx.queryParam("cursor"));

        String version = ctx.queryParam("version");
        BoundarySet wards = BoundaryVersions.one(boundaries, BoundaryLevel.WARD, version);
        String ward = ctx.queryParam("ward");
        String neighbourhood = ctx.queryParam("neighbourhood");
        Long neighbourhoodSet = null;
        if (ward != null && !boundaries.hasArea(wards, ward)) {
            throw DomainException.invalid("ward", "no ward '" + ward + "' in ward version " + wards.version());
        }
        if (neighbourhood != null) {
            BoundarySet set = boundaries.neighbourhoodsOf(wards).orElseThrow(() -> DomainException.invalid("neighbourhood",
                    "no neighbourhoods are defined on ward version " + wards.version()));
            if (!boundaries.hasArea(set, neighbourhood)) {
                throw DomainException.invalid("neighbourhood", "no neighbourhood '" + neighbourhood + "' in version " + set.version());
            }
            neighbourhoodSet = set.id();
        }
        double[] bbox = QueryParams.bbox(ctx, "bbox");
        var filter = new IncidentFilter(from, to, QueryParams.list(ctx, "category", codes),
                QueryParams.list(ctx, "source", Set.copyOf(Taxonomy.SOURCES)), null, user);
        var query = new IncidentQuery(bbox, filter,
                QueryParams.list(ctx, "status", Set.copyOf(Taxonomy.STATUSES)), ward, neighbourhood, version, cursor,
                order.equals("newest"), after, limit);
        ctx.contentType("application/geo+json");
        ctx.header("Cache-Control", "private, no-store");
        try (JsonGenerator out = json.getFactory().createGenerator(ctx.outputStream())) {
            repository.writePage(query, wards.id(), neighbourhoodSet, out);
        }
    }

    /** GET /api/incidents/{id} */
    public void one(Context ctx) throws IOException {
        User user = access.required(ctx);
        long id = ctx.pathParamAsClass("id", Long.class).get();
        BoundarySet wards = BoundaryVersions.one(boundaries, BoundaryLevel.WARD, ctx.queryParam("version"));
        var buffer = new ByteArrayOutputStream();
        boolean found;
        try (JsonGenerator out = json.getFactory().createGenerator(buffer)) {
            found = repository.writeOne(id, user, wards.id(), out);
        }
        if (!found) throw DomainException.notFound("id", "no incident " + id + " with a location");
        ctx.header("Cache-Control", "private, no-store");
        ctx.contentType("application/geo+json").result(buffer.toByteArray());
    }

    /** GET /api/incidents/categories: the taxonomy and the fly-tipping vocabularies (public). */
    public void categories(Context ctx) {
        Taxonomy taxonomy = taxonomies.load();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("categories", taxonomy.categories().stream().map(c -> Map.of(
                "code", c.code(), "label", c.label(), "group", c.group(), "sensitive", c.sensitive())).toList());
        body.put("flyTipping", Map.of("sizes", Taxonomy.FLY_SIZES, "wasteTypes", Taxonomy.FLY_WASTE_TYPES,
                "landTypes", Taxonomy.FLY_LAND_TYPES));
        body.put("sources", Taxonomy.SOURCES);
        body.put("statuses", Taxonomy.STATUSES);
        ctx.json(body);
    }
}
