package aim.ogc;

import aim.accounts.User;
import aim.boundaries.BoundaryLevel;
import aim.boundaries.BoundaryRepository;
import aim.boundaries.BoundarySet;
import aim.core.Council;
import aim.core.DomainException;
import aim.db.DataVersions;
import aim.db.SqlFragment;
import aim.hotspots.HotspotEngine;
import aim.web.ConditionalGet;
import aim.web.AccessControl;
import aim.web.QueryParams;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * OGC API – Features at {@code /ogc}: the landing page, its OpenAPI 3.0 description, conformance, the
 * collections ({@link OgcCollection}), each one's JSON Schema, its items (paged GeoJSON streamed from
 * PostGIS, in CRS84 or EPSG:27700) and one feature. Public collections (the boundaries) need no sign-in; the
 * others need a session or an API token, and a signed-out caller neither sees them listed nor reads them
 * (401). Links are absolute, on AIM_PUBLIC_ORIGIN when set, else on the request's own scheme and Host.
 */
public final class OgcController {
    static final List<String> CONFORMANCE = List.of(
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
            "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs");
    static final String JSON = "application/json";
    static final String GEOJSON = "application/geo+json";
    static final String OPENAPI = "application/vnd.oai.openapi+json;version=3.0";
    static final String SCHEMA = "application/schema+json";
    static final int DEFAULT_LIMIT = 100;

    private final OgcFeatures features;
    private final BoundaryRepository boundaries;
    private final HotspotEngine hotspots;
    private final DataVersions versions;
    private final AccessControl access;
    private final ObjectMapper json;
    private final Clock clock;
    private final String publicOrigin;
    private final int maxLimit;

    public OgcController(OgcFeatures features, BoundaryRepository boundaries, HotspotEngine hotspots, DataVersions versions,
                         AccessControl access, ObjectMapper json, Clock clock, String publicOrigin, int maxLimit) {
        this.features = features;
        this.boundaries = boundaries;
        this.hotspots = hotspots;
        this.versions = versions;
        this.access = access;
        this.json = json;
        this.clock = clock;
        this.publicOrigin = publicOrigin;
        this.maxLimit = maxLimit;
    }

    /** GET /ogc */
    public void landing(Context ctx) {
        onlyParams(ctx);
        String base = base(ctx);
        ObjectNode body = json.createObjectNode();
        body.put("title", "AIM: OGC API – Features");
        body.put("description", "Boundaries, community assets, incidents, hotspots and problems of the AIM service, "
                + "in CRS84 or British National Grid (EPSG:27700).");
        ArrayNode links = body.putArray("links");
        link(links, base, "self", JSON, "this document");
        link(links, base + "/api", "service-desc", OPENAPI, "the API definition (OpenAPI 3.0)");
        link(links, base + "/conformance", "conformance", JSON, "the conformance classes implemented");
        link(links, base + "/conformance", "http://www.opengis.net/def/rel/ogc/1.0/conformance", JSON, "the conformance classes implemented");
        link(links, base + "/collections", "data", JSON, "the collections");
        link(links, base + "/collections", "http://www.opengis.net/def/rel/ogc/1.0/data", JSON, "the collections");
        ctx.json(body);
    }

    /** GET /ogc/api: the OpenAPI 3.0 definition of /ogc, with this server's URL and the largest limit. */
    public void api(Context ctx) throws IOException {
        onlyParams(ctx);
        String text;
        try (InputStream in = OgcController.class.getResourceAsStream("/ogc/openapi.json")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        ObjectNode doc = (ObjectNode) json.readTree(text.replace("\"__MAX_LIMIT__\"", Integer.toString(maxLimit)));
        doc.putArray("servers").addObject().put("url", base(ctx));
        ctx.contentType(OPENAPI).result(json.writeValueAsBytes(doc));
    }

    /** GET /ogc/conformance */
    public void conformance(Context ctx) {
        onlyParams(ctx);
        ObjectNode body = json.createObjectNode();
        ArrayNode list = body.putArray("conformsTo");
        CONFORMANCE.forEach(list::add);
        ctx.json(body);
    }

    /** GET /ogc/collections: the collections the caller may read. */
    public void collections(Context ctx) {
        onlyParams(ctx);
        boolean signedIn = access.current(ctx).isPresent();
        String base = base(ctx);
        ObjectNode body = json.createObjectNode();
        ArrayNode links = body.putArray("links");
        link(links, base + "/collections", "self", JSON, "the collections");
        ArrayNode list = body.putArray("collections");
        double[] extent = extent();
        for (OgcCollection c : OgcCollection.values()) {
            if (!c.signedIn() || signedIn) list.add(describe(c, base, extent));
        }
        ArrayNode crs = body.putArray("crs");
        OgcCrs.uris().forEach(crs::add);
        privateIfSignedIn(ctx, signedIn);
        ctx.json(body);
    }

    /** GET /ogc/collections/{collectionId} */
    public void collection(Context ctx) {
        OgcCollection c = collection(ctx, Set.of());
        privateIfSignedIn(ctx, c.signedIn());
        ctx.json(describe(c, base(ctx), extent()));
    }

    /** GET /ogc/collections/{collectionId}/schema: a JSON Schema of its features' properties. */
    public void schema(Context ctx) {
        OgcCollection c = collection(ctx, Set.of());
        String url = base(ctx) + "/collections/" + c.id() + "/schema";
        ObjectNode body = json.createObjectNode();
        body.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        body.put("$id", url);
        body.put("title", c.title());
        body.put("description", c.description());
        body.put("type", "object");
        ObjectNode properties = body.putObject("properties");
        properties.putObject("id").put("x-ogc-role", "id").put("type", c.numericIds() ? "integer" : "string")
                .put("description", "the feature id (also the items/{featureId} path)");
        properties.putObject("geometry").put("x-ogc-role", "primary-geometry").put("format", geometryFormat(c));
        for (var field : c.fields().entrySet()) {
            ObjectNode p = properties.putObject(field.getKey());
            switch (field.getValue()) {
                case "date", "date-time" -> p.put("type", "string").put("format", field.getValue());
                default -> p.put("type", field.getValue());
            }
            if (c.queryables().contains(field.getKey())) p.put("description", "queryable: ?" + field.getKey() + "=value (equality)");
        }
        privateIfSignedIn(ctx, c.signedIn());
        ctx.contentType(SCHEMA).result(body.toPrettyString());
    }

    /** GET /ogc/collections/{collectionId}/items?limit=&offset=&bbox=&bbox-crs=&crs=&datetime=&version=&{queryable}= */
    public void items(Context ctx) throws IOException {
        OgcCollection collection = collection(ctx, Set.of("limit", "offset", "bbox", "bbox-crs", "crs", "datetime"));
        int limit = Math.min(QueryParams.integer(ctx, "limit", DEFAULT_LIMIT, 1, Integer.MAX_VALUE), maxLimit);
        long offset = QueryParams.atLeast(ctx, "offset", 0, 0);
        Long after = ctx.queryParam("after") == null ? null : QueryParams.atLeast(ctx, "after", 0, 0);
        OgcCrs crs = OgcCrs.parse(ctx.queryParam("crs"), "crs");
        OgcCrs bboxCrs = OgcCrs.parse(ctx.queryParam("bbox-crs"), "bbox-crs");
        OgcBbox bbox = OgcBbox.parse(ctx.queryParam("bbox"), bboxCrs);
        if (bbox == null && ctx.queryParam("bbox-crs") != null) throw DomainException.invalid("bbox-crs", "bbox-crs goes with a bbox");
        OgcDatetime datetime = OgcDatetime.parse(ctx.queryParam("datetime"));
        Map<String, String> filters = new LinkedHashMap<>();
        for (String name : collection.queryables()) {
            String value = ctx.queryParam(name);
            if (value != null) filters.put(name, value);
        }
        User user = caller(ctx);
        String etag = etag(ctx, collection, user);
        if (notModified(ctx, etag)) return;
        SqlFragment box = bbox == null ? SqlFragment.EMPTY : bbox.stored();
        var query = new OgcFeatures.Query(source(ctx, collection, user, box == null ? SqlFragment.EMPTY : box), box, datetime, filters,
                crs, limit, offset, after);
        long matched = features.count(query);
        String base = base(ctx);
        String self = base + "/collections/" + collection.id() + "/items";
        ctx.contentType(GEOJSON);
        ctx.header("Content-Crs", "<" + crs.uri() + ">");
        String stamp = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        try (JsonGenerator out = json.getFactory().createGenerator(ctx.outputStream())) {
            features.write(query, out, (o, page) -> {
                o.writeStringField("timeStamp", stamp);
                o.writeNumberField("numberMatched", matched);
            }, (o, page) -> {
                o.writeNumberField("numberReturned", page.returned());
                o.writeArrayFieldStart("links");
                writeLink(o, self + query(ctx, Map.of()), "self", GEOJSON, "this page");
                writeLink(o, base + "/collections/" + collection.id(), "collection", JSON, "the collection");
                if (page.more()) {
                    Map<String, String> next = new LinkedHashMap<>();
                    next.put("offset", Long.toString(offset + page.returned()));
                    // keyset paging for whole-number ids: the next page starts after the last id, however deep
                    if (collection.numericIds()) next.put("after", page.lastId());
                    next.put("limit", Integer.toString(limit));
                    writeLink(o, self + query(ctx, next), "next", GEOJSON, "the next page");
                }
                if (offset > 0) {
                    Map<String, String> prev = new LinkedHashMap<>();
                    prev.put("offset", Long.toString(Math.max(0, offset - limit)));
                    prev.put("after", null);
                    prev.put("limit", Integer.toString(limit));
                    writeLink(o, self + query(ctx, prev), "prev", GEOJSON, "the previous page");
                }
                o.writeEndArray();
            });
        }
    }

    /** GET /ogc/collections/{collectionId}/items/{featureId}?crs= */
    public void item(Context ctx) throws IOException {
        OgcCollection collection = collection(ctx, Set.of("crs"));
        OgcCrs crs = OgcCrs.parse(ctx.queryParam("crs"), "crs");
        User user = caller(ctx);
        String id = ctx.pathParam("featureId");
        String etag = etag(ctx, collection, user);
        if (notModified(ctx, etag)) return;
        var buffer = new ByteArrayOutputStream();
        boolean found;
        try (JsonGenerator out = json.getFactory().createGenerator(buffer)) {
            found = features.writeOne(source(ctx, collection, user, SqlFragment.EMPTY), id, crs, out);
        }
        if (!found) throw DomainException.notFound("featureId", "no feature '" + id + "' in " + collection.id());
        ObjectNode feature = (ObjectNode) json.readTree(buffer.toByteArray());
        String base = base(ctx);
        ArrayNode links = feature.putArray("links");
        link(links, base + "/collections/" + collection.id() + "/items/" + id + query(ctx, Map.of()), "self", GEOJSON, "this feature");
        link(links, base + "/collections/" + collection.id(), "collection", JSON, "the collection");
        ctx.header("Content-Crs", "<" + crs.uri() + ">");
        ctx.contentType(GEOJSON).result(json.writeValueAsBytes(feature));
    }

    // ---- helpers

    /**
     * The collection of the path (404 when unknown; 401 for a signed-in one when signed out), after checking the
     * query names only {@code f}, {@code allowed} and, for boundaries, {@code version}.
     */
    private OgcCollection collection(Context ctx, Set<String> allowed) {
        String id = ctx.pathParam("collectionId");
        OgcCollection c = OgcCollection.byId(id).orElseThrow(() -> DomainException.notFound("collectionId",
                "no collection '" + id + "'; see /ogc/collections"));
        if (c.signedIn() && access.current(ctx).isEmpty()) signIn(ctx, c);
        Set<String> names = new LinkedHashSet<>(allowed);
        if (c.boundaries()) names.add("version");
        if (allowed.contains("limit")) {
            // items: the collection's queryables, and keyset paging for whole-number ids
            names.addAll(c.queryables());
            if (c.numericIds()) names.add("after");
        }
        onlyParams(ctx, names);
        return c;
    }

    /** The signed-in caller, or null (a public collection read signed out). */
    private User caller(Context ctx) {
        return access.current(ctx).orElse(null);
    }

    private static void signIn(Context ctx, OgcCollection c) {
        ctx.header("WWW-Authenticate", "Bearer");
        throw DomainException.unauthenticated("Authorization", "the " + c.id() + " collection needs a signed-in caller "
                + "(session cookie or Authorization: Bearer API token)");
    }

    /** The row source of a collection for this caller. */
    private OgcFeatures.Source source(Context ctx, OgcCollection c, User user, SqlFragment box) {
        return switch (c) {
            case WARDS -> boundarySets(ctx, c, BoundaryLevel.WARD);
            case NEIGHBOURHOODS -> boundarySets(ctx, c, BoundaryLevel.NEIGHBOURHOOD);
            case ZONES -> boundarySets(ctx, c, BoundaryLevel.ZONE);
            case LSOA -> boundarySets(ctx, c, BoundaryLevel.LSOA);
            case ASSETS -> OgcFeatures.assets();
            case INCIDENTS -> OgcFeatures.incidents(user, box);
            case PROBLEMS -> OgcFeatures.problems(user);
            case HOTSPOTS -> OgcFeatures.hotspots(HotspotGrid.compute(hotspots, boundaries, user, today(), json));
        };
    }

    /** The named version of a level, else its current sets (none: no features). */
    private OgcFeatures.Source boundarySets(Context ctx, OgcCollection c, BoundaryLevel level) {
        String version = ctx.queryParam("version");
        List<BoundarySet> sets = version == null ? boundaries.current(level)
                : List.of(boundaries.find(level, version.strip()).orElseThrow(() -> DomainException.invalid("version",
                "no " + level.id() + " version '" + version + "'; known versions: " + String.join(", ", boundaries.versionNames(level)))));
        return OgcFeatures.boundaries(c, sets.stream().map(BoundarySet::id).toList());
    }

    private LocalDate today() {
        return LocalDate.now(clock.withZone(Council.UK));
    }

    /** The borough's box in CRS84 (of the current wards), or null when none are loaded. */
    private double[] extent() {
        return features.extent(boundaries.current(BoundaryLevel.WARD).stream().map(BoundarySet::id).toList());
    }

    private ObjectNode describe(OgcCollection c, String base, double[] extent) {
        ObjectNode node = json.createObjectNode();
        node.put("id", c.id());
        node.put("title", c.title());
        node.put("description", c.description());
        node.put("itemType", "feature");
        ArrayNode links = node.putArray("links");
        String url = base + "/collections/" + c.id();
        link(links, url, "self", JSON, c.title());
        link(links, url + "/items", "items", GEOJSON, c.title() + " (GeoJSON)");
        link(links, url + "/schema", "describedby", SCHEMA, "the JSON Schema of its features");
        link(links, url + "/schema", "http://www.opengis.net/def/rel/ogc/1.0/schema", SCHEMA, "the JSON Schema of its features");
        ArrayNode crs = node.putArray("crs");
        OgcCrs.uris().forEach(crs::add);
        node.put("storageCrs", OgcCrs.BNG.uri());
        if (extent != null) {
            ObjectNode spatial = node.putObject("extent").putObject("spatial");
            ArrayNode box = spatial.putArray("bbox").addArray();
            for (double d : extent) box.add(d);
            spatial.put("crs", OgcCrs.CRS84.uri());
        }
        return node;
    }

    private static String geometryFormat(OgcCollection c) {
        return switch (c) {
            case INCIDENTS -> "geometry-point";
            case ASSETS -> "geometry-any";
            default -> "geometry-polygon-or-multipolygon";
        };
    }

    /** Refuses a query parameter not in {@code allowed} (nor {@code f}) with a 400 naming it; {@code f} must be json. */
    private static void onlyParams(Context ctx, Set<String> allowed) {
        for (String name : ctx.queryParamMap().keySet()) {
            if (!name.equals("f") && !allowed.contains(name)) {
                throw DomainException.invalid(name, "unknown parameter '" + name + "'"
                        + (allowed.isEmpty() ? "" : ": expected f, " + String.join(", ", allowed)));
            }
        }
        QueryParams.choice(ctx, "f", "json", List.of("json"));
    }

    private static void onlyParams(Context ctx) {
        onlyParams(ctx, Set.of());
    }

    /** The origin and path of /ogc as the client reached it: AIM_PUBLIC_ORIGIN, else this request's scheme and Host. */
    private String base(Context ctx) {
        if (publicOrigin != null) return publicOrigin + "/ogc";
        String host = ctx.host();
        if (host == null || host.isBlank()) host = ctx.req().getServerName() + ":" + ctx.port();
        return ctx.scheme() + "://" + host + "/ogc";
    }

    /** This request's query with {@code changes} (a null value drops the parameter), as {@code ?a=b&…} (or ""). */
    private static String query(Context ctx, Map<String, String> changes) {
        Map<String, String> params = new LinkedHashMap<>();
        ctx.queryParamMap().forEach((k, v) -> {
            if (!v.isEmpty()) params.put(k, v.get(0));
        });
        changes.forEach((k, v) -> {
            if (v == null) params.remove(k);
            else params.put(k, v);
        });
        if (params.isEmpty()) return "";
        StringBuilder q = new StringBuilder();
        params.forEach((k, v) -> q.append(q.isEmpty() ? '?' : '&').append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return q.toString();
    }

    private static void link(ArrayNode links, String href, String rel, String type, String title) {
        links.addObject().put("href", href).put("rel", rel).put("type", type).put("title", title);
    }

    private static void writeLink(JsonGenerator o, String href, String rel, String type, String title) throws IOException {
        o.writeStartObject();
        o.writeStringField("href", href);
        o.writeStringField("rel", rel);
        o.writeStringField("type", type);
        o.writeStringField("title", title);
        o.writeEndObject();
    }

    /** Metadata that depends on who asks is kept only in the caller's own cache; all of it is revalidated. */
    private static void privateIfSignedIn(Context ctx, boolean signedIn) {
        ctx.header("Cache-Control", signedIn ? "private, no-cache" : "no-cache");
    }

    /**
     * The ETag of a features answer: the data versions the collection depends on (and for hotspots the
     * quarter), the caller (id, role, organisation: redaction and action visibility depend on them), the
     * origin (the links), the path and the query.
     */
    private String etag(Context ctx, OgcCollection c, User user) {
        StringBuilder key = new StringBuilder(versions.tag(c.dataKinds()));
        if (c == OgcCollection.HOTSPOTS) key.append('|').append(HotspotGrid.quarter(today()).label());
        if (user != null) key.append('|').append(user.id()).append(':').append(user.role().id()).append(':').append(user.organisationId());
        key.append('|').append(base(ctx)).append('|').append(ctx.path()).append('|').append(ctx.queryString());
        return ConditionalGet.etag(key.toString());
    }

    /** Sets the ETag and Cache-Control; true (having answered 304) when If-None-Match names it. */
    private static boolean notModified(Context ctx, String etag) {
        OgcCollection c = OgcCollection.byId(ctx.pathParam("collectionId")).orElseThrow();
        ctx.header("Cache-Control", !c.signedIn() ? "no-cache" : c == OgcCollection.INCIDENTS || c == OgcCollection.PROBLEMS
                ? "private, no-store" : "private, no-cache");
        return ConditionalGet.notModified(ctx, etag);
    }
}
