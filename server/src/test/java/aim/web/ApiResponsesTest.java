package aim.web;

import aim.DemoLoader;
import aim.accounts.Role;
import aim.testing.Fresh;
import aim.testing.TestServer;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.OpenApi30;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real responses match the API description: for every operation in {@code openapi.json}, one valid request
 * from {@link #SAMPLES} (signed in as a role that may use it, over the demo borough) is sent to a real
 * server, and its status must be documented for the operation, its content type must be one documented
 * for that status, and a JSON body must validate against that status's schema (networknt
 * json-schema-validator, OpenAPI 3.0 dialect, {@code $ref}s resolved in the same document).
 *
 * <p>Every /api route of {@code aim.web.Routes} must be in the spec and every operation of the spec a route
 * ({@link #everyApiRouteIsInTheSpecAndEveryOperationIsARoute()}). Every operation of the spec must be in
 * {@link #SAMPLES} or in {@link #EXCLUDED} with a reason: a route added to the spec without either fails
 * {@link #everyOperationHasASampleOrAReasonNotTo()} naming it, and a sample for an operation the spec no longer
 * has fails too. The samples run in order: a write's answer can
 * name an id ({@code capture}) that later samples use as {@code {name}} in their target or body.
 */
@Tag("postgis")
class ApiResponsesTest {
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    /** Where the spec "lives" for the validator: only a name, never fetched ($refs resolve within the text). */
    private static final String SPEC_URI = "https://aim.invalid/openapi.json";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    /**
     * One request: the operation ("METHOD /path/{template}" as in the spec), who sends it, the concrete
     * target and JSON body ({@code {name}} filled from {@link #values}), the status expected, extra headers,
     * and which value of the answer to keep for later samples ({@code name=/json/pointer}).
     */
    record Sample(String operation, Role role, String target, String body, int status, List<String> headers, String capture) {
        Sample(String operation, Role role, String target, String body, int status) {
            this(operation, role, target, body, status, List.of(), null);
        }

        Sample header(String name, String value) {
            var h = new ArrayList<>(headers);
            h.add(name);
            h.add(value);
            return new Sample(operation, role, target, body, status, List.copyOf(h), capture);
        }

        Sample capture(String nameEqualsPointer) {
            return new Sample(operation, role, target, body, status, headers, nameEqualsPointer);
        }
    }

    private static Sample get(String operation, Role role, String target) {
        return new Sample("GET " + operation, role, target, null, 200);
    }

    private static Sample write(String method, String operation, Role role, String target, String body, int status) {
        return new Sample(method + " " + operation, role, target, body, status);
    }

    private static final Role ADMIN = Role.ADMIN, ANALYST = Role.ANALYST, WARDEN = Role.WARDEN, PLANNER = Role.PLANNER,
            VIEWER = Role.VIEWER;

    /** The table: one valid request per operation, in the order they run. */
    static final List<Sample> SAMPLES = List.of(
            get("/api/health", null, "/api/health"),
            get("/api/config", null, "/api/config"),
            get("/api/openapi.json", null, "/api/openapi.json"),
            get("/api/boundaries", null, "/api/boundaries?level=ward"),
            get("/api/boundaries/versions", null, "/api/boundaries/versions?level=ward"),
            get("/api/boundaries/{level}/{code}", null, "/api/boundaries/ward/{ward}"),

            write("POST", "/api/login", null, "/api/login",
                    "{\"username\":\"viewer\",\"password\":\"" + TestServer.PASSWORD + "\"}", 200),
            write("POST", "/api/logout", VIEWER, "/api/logout", null, 204),
            get("/api/me", VIEWER, "/api/me"),
            write("POST", "/api/me/tokens", VIEWER, "/api/me/tokens", "{\"name\":\"laptop\"}", 201).capture("myToken=/id"),
            get("/api/me/tokens", VIEWER, "/api/me/tokens"),
            write("DELETE", "/api/me/tokens/{id}", VIEWER, "/api/me/tokens/{myToken}", null, 204),
            get("/api/users", ADMIN, "/api/users"),
            write("POST", "/api/users", ADMIN, "/api/users",
                    "{\"username\":\"sam\",\"displayName\":\"Sam\",\"role\":\"viewer\",\"password\":\"" + TestServer.PASSWORD + "\"}", 201),
            get("/api/users/{username}/tokens", ADMIN, "/api/users/other/tokens").capture("otherToken=/0/id"),
            write("DELETE", "/api/users/{username}/tokens/{id}", ADMIN, "/api/users/other/tokens/{otherToken}", null, 204),

            get("/api/incidents", ANALYST, "/api/incidents?ward={ward}&limit=5"),
            get("/api/incidents/categories", null, "/api/incidents/categories"),
            get("/api/incidents/{id}", ANALYST, "/api/incidents/{incident}"),

            write("POST", "/api/reports", WARDEN, "/api/reports",
                    "{\"category\":\"fly-tipping\",\"lon\":{lon},\"lat\":{lat},\"accuracyM\":8,\"description\":\"Bags by the gate\","
                            + "\"flyTipping\":{\"size\":\"car-boot\",\"wasteType\":\"household\"}}", 201)
                    .header("Idempotency-Key", "api-responses-1").capture("report=/id"),
            get("/api/reports/mine", WARDEN, "/api/reports/mine"),
            get("/api/reports/{id}", WARDEN, "/api/reports/{report}"),
            write("PATCH", "/api/reports/{id}", WARDEN, "/api/reports/{report}", "{\"description\":\"Six bags by the gate\"}", 200),
            write("PATCH", "/api/reports/{id}/status", ANALYST, "/api/reports/{report}/status",
                    "{\"status\":\"assigned\",\"assignedTo\":\"crew 2\"}", 200),
            get("/api/reports/{id}/history", ANALYST, "/api/reports/{report}/history"),

            get("/api/assets", PLANNER, "/api/assets?limit=5"),
            write("POST", "/api/assets", PLANNER, "/api/assets",
                    "{\"kind\":\"place\",\"category\":\"{assetCategory}\",\"name\":\"Sample hall\","
                            + "\"geometry\":{\"type\":\"Point\",\"coordinates\":[{lon},{lat}]}}", 201).capture("asset=/id"),
            get("/api/assets/{id}", PLANNER, "/api/assets/{asset}"),
            write("PUT", "/api/assets/{id}", PLANNER, "/api/assets/{asset}",
                    "{\"kind\":\"place\",\"category\":\"{assetCategory}\",\"name\":\"Sample hall (renamed)\","
                            + "\"geometry\":{\"type\":\"Point\",\"coordinates\":[{lon},{lat}]}}", 200),
            write("DELETE", "/api/assets/{id}", PLANNER, "/api/assets/{asset}", null, 204),
            get("/api/assets/categories", null, "/api/assets/categories"),
            write("POST", "/api/assets/categories", ADMIN, "/api/assets/categories",
                    "{\"code\":\"sample-category\",\"label\":\"Sample category\"}", 201),
            get("/api/assets/export", PLANNER, "/api/assets/export"),
            get("/api/assets/search", PLANNER, "/api/assets/search?q=hall"),
            get("/api/assets/nearest", PLANNER, "/api/assets/nearest?lon={lon}&lat={lat}"),
            get("/api/assets/coverage", PLANNER, "/api/assets/coverage"),
            get("/api/assets/gaps", PLANNER, "/api/assets/gaps?category={assetCategory}"),

            get("/api/areas/stats", ANALYST, "/api/areas/stats?level=ward&from={from}&to={to}"),
            get("/api/areas/{level}/{code}/series", ANALYST, "/api/areas/ward/{ward}/series"),
            get("/api/hotspots", ANALYST, "/api/hotspots?from={from}&to={to}"),
            get("/api/hotspots/emerging", ANALYST, "/api/hotspots/emerging"),
            get("/api/hotspots/accuracy", ANALYST, "/api/hotspots/accuracy?from={from}&to={to}"),

            get("/api/organisations", VIEWER, "/api/organisations"),
            write("POST", "/api/organisations", ADMIN, "/api/organisations",
                    "{\"code\":\"sample-org\",\"name\":\"Sample organisation\",\"kind\":\"voluntary\"}", 201).capture("organisation=/id"),
            write("PATCH", "/api/organisations/{id}", ADMIN, "/api/organisations/{organisation}", "{\"name\":\"Sample org\"}", 200),
            get("/api/problems", VIEWER, "/api/problems"),
            write("POST", "/api/problems", ANALYST, "/api/problems",
                    "{\"title\":\"Sample problem\",\"categories\":[\"anti-social-behaviour\"],\"area\":\"ward:{ward}\","
                            + "\"owner\":\"nap:{neighbourhood}\",\"objective\":\"Fewer reports\"}", 201).capture("problem=/id"),
            get("/api/problems/{id}", VIEWER, "/api/problems/{problem}"),
            write("PATCH", "/api/problems/{id}", ANALYST, "/api/problems/{problem}", "{\"stage\":\"scanning\"}", 200),
            write("POST", "/api/problems/{id}/actions", ANALYST, "/api/problems/{problem}/actions",
                    "{\"title\":\"Sample action\",\"organisation\":\"wardens\",\"due\":\"{later}\"}", 201).capture("action=/id"),
            write("POST", "/api/problems/{id}/escalations", ANALYST, "/api/problems/{problem}/escalations",
                    "{\"reason\":\"Needs the housing provider\"}", 201).capture("escalation=/id"),
            get("/api/actions", ANALYST, "/api/actions"),
            write("PATCH", "/api/actions/{id}", ANALYST, "/api/actions/{action}", "{\"status\":\"in-progress\"}", 200),
            write("PATCH", "/api/escalations/{id}", ANALYST, "/api/escalations/{escalation}", "{\"decision\":\"accepted\"}", 200),

            write("POST", "/api/meetings", ANALYST, "/api/meetings",
                    "{\"heldOn\":\"{to}\",\"title\":\"Sample meeting\"}", 201).capture("meeting=/id"),
            get("/api/meetings", VIEWER, "/api/meetings"),
            get("/api/meetings/{id}", VIEWER, "/api/meetings/{meeting}"),
            write("PATCH", "/api/meetings/{id}", ANALYST, "/api/meetings/{meeting}",
                    "{\"heldOn\":\"{to}\",\"title\":\"Sample meeting (moved)\"}", 200),
            write("POST", "/api/meetings/{id}/decisions", ANALYST, "/api/meetings/{meeting}/decisions",
                    "{\"text\":\"Carry on\",\"problemId\":{problem}}", 201),
            get("/api/meetings/{id}/briefing", VIEWER, "/api/meetings/{meeting}/briefing"),

            get("/api/indicators", VIEWER, "/api/indicators?level=ward"),
            get("/api/indicators/definitions", VIEWER, "/api/indicators/definitions").capture("indicator=/indicators/0/code"),
            get("/api/indicators/{code}/targets", VIEWER, "/api/indicators/{indicator}/targets"),
            write("PUT", "/api/indicators/{code}/targets", ANALYST, "/api/indicators/{indicator}/targets",
                    "{\"targets\":[{\"area\":\"borough\",\"target\":10,\"measure\":\"value\"}]}", 200),
            get("/api/evaluation", ANALYST, "/api/evaluation?area=ward:{ward}&after_from={from}&after_to={to}"),
            get("/api/evaluation/controls", ANALYST, "/api/evaluation/controls?area=ward:{ward}&after_from={from}&after_to={to}"),

            get("/api/places", VIEWER, "/api/places?q={ward}"),
            get("/api/public/areas", null, "/api/public/areas?level=ward&from={fromMonth}&to={toMonth}"),
            get("/api/public/hotspots", null, "/api/public/hotspots?cell=500&from={fromMonth}&to={toMonth}"),

            get("/tiles/{layer}.json", null, "/tiles/wards.json"),
            get("/tiles/{layer}/{z}/{x}/{y}.mvt", ANALYST, "/tiles/incidents/12/{tileX}/{tileY}.mvt"),

            get("/ogc", null, "/ogc"),
            get("/ogc/api", null, "/ogc/api"),
            get("/ogc/conformance", null, "/ogc/conformance"),
            get("/ogc/collections", ANALYST, "/ogc/collections"),
            get("/ogc/collections/{collectionId}", null, "/ogc/collections/wards"),
            get("/ogc/collections/{collectionId}/schema", null, "/ogc/collections/wards/schema"),
            get("/ogc/collections/{collectionId}/items", ANALYST, "/ogc/collections/incidents/items?limit=3").capture("feature=/features/0/id"),
            get("/ogc/collections/{collectionId}/items/{featureId}", ANALYST, "/ogc/collections/incidents/items/{feature}"));

    /** Operations not sampled here, each with the reason and where they are tested instead. */
    static final Map<String, String> EXCLUDED = Map.ofEntries(
            Map.entry("POST /api/boundaries/import", "file upload (GeoJSON/GeoPackage/multipart): BoundaryApiTest"),
            Map.entry("PUT /api/boundaries/neighbourhoods/{version}", "redefines the demo neighbourhoods the other samples read: boundaries tests"),
            Map.entry("POST /api/populations", "CSV upload: boundaries tests"),
            Map.entry("POST /api/populations/apportion", "needs an LSOA set with populations, which the demo borough has not: boundaries tests"),
            Map.entry("POST /api/incidents/import/police", "CSV upload: incidents import tests"),
            Map.entry("POST /api/incidents/import/council", "CSV upload: incidents import tests"),
            Map.entry("POST /api/reports/{id}/photos", "multipart image upload: reports tests"),
            Map.entry("GET /api/reports/{id}/photos/{photoId}", "binary image, needs an uploaded photo: reports tests"),
            Map.entry("POST /api/assets/import", "file upload (CSV/Open Referral/multipart): assets tests"),
            Map.entry("POST /api/indicators/import", "CSV upload: indicators tests"));

    @Fresh static TestServer server;
    static JsonNode spec;
    static SchemaRegistry schemas;
    static final Map<Role, String> tokens = new HashMap<>();
    /** Values for {name} in targets and bodies: from the demo data, then from the samples' answers. */
    static final Map<String, String> values = new HashMap<>();

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        long started = System.nanoTime();
        new DemoLoader(server.dataSource, dir).loadEverythingIfMissing();
        System.out.printf("api responses: demo data loaded in %.1f s%n", (System.nanoTime() - started) / 1e9);
        String text = OpenApiSpecTest.specText();
        spec = JSON.readTree(text);
        schemas = SchemaRegistry.withDialect(OpenApi30.getInstance(), b -> b.schemas(Map.of(SPEC_URI, text)));
        tokens.put(Role.ADMIN, server.adminToken);
        for (Role role : List.of(ANALYST, WARDEN, PLANNER, VIEWER)) tokens.put(role, server.userToken(role.id(), role));
        server.userToken("other", Role.VIEWER); // a token for the admin's samples to list and revoke
        try (var c = server.dataSource.getConnection(); var st = c.createStatement()) {
            ResultSet r = st.executeQuery("""
                    SELECT b.code, ST_X(p) AS lon, ST_Y(p) AS lat,
                           (SELECT min(id) FROM incident) AS incident,
                           (SELECT min(code) FROM asset_category WHERE parent IS NOT NULL) AS asset_category,
                           to_char(date_trunc('month', now()) - interval '12 months', 'YYYY-MM-DD') AS "from",
                           to_char(date_trunc('month', now()) - interval '1 day', 'YYYY-MM-DD') AS "to",
                           to_char(now() + interval '30 days', 'YYYY-MM-DD') AS later,
                           (SELECT min(n.code) FROM boundary n JOIN boundary_set ns ON ns.id = n.set_id
                            WHERE ns.level = 'neighbourhood' AND ns.version = 'demo') AS neighbourhood
                    FROM boundary b JOIN boundary_set s ON s.id = b.set_id,
                         LATERAL ST_Transform(ST_PointOnSurface(b.geom), 4326) p
                    WHERE s.level = 'ward' AND s.version = 'demo' ORDER BY b.code LIMIT 1""");
            r.next();
            values.put("ward", r.getString("code"));
            values.put("lon", String.format("%.6f", r.getDouble("lon")));
            values.put("lat", String.format("%.6f", r.getDouble("lat")));
            values.put("incident", r.getString("incident"));
            values.put("assetCategory", r.getString("asset_category"));
            values.put("from", r.getString("from"));
            values.put("to", r.getString("to"));
            // the z12 tile holding the ward's point (Web Mercator XYZ), for the tile samples
            double lon = r.getDouble("lon"), lat = Math.toRadians(r.getDouble("lat")), n = 1 << 12;
            values.put("tileX", String.valueOf((int) Math.floor((lon + 180) / 360 * n)));
            values.put("tileY", String.valueOf((int) Math.floor((1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2 * n)));
            values.put("fromMonth", r.getString("from").substring(0, 7));
            values.put("toMonth", r.getString("to").substring(0, 7));
            values.put("later", r.getString("later"));
            values.put("neighbourhood", r.getString("neighbourhood"));
        }
    }

    /** "GET /api/incidents" … for every operation in the spec, in its order. */
    static List<String> specOperations() {
        List<String> operations = new ArrayList<>();
        for (var path : spec.path("paths").properties()) {
            for (var op : path.getValue().properties()) {
                if (METHODS.contains(op.getKey())) operations.add(op.getKey().toUpperCase() + " " + path.getKey());
            }
        }
        return operations;
    }

    @Test
    void everyOperationHasASampleOrAReasonNotTo() {
        Set<String> sampled = new LinkedHashSet<>();
        SAMPLES.forEach(s -> sampled.add(s.operation()));
        List<String> operations = specOperations();
        List<String> missing = operations.stream().filter(o -> !sampled.contains(o) && !EXCLUDED.containsKey(o)).toList();
        List<String> stale = new ArrayList<>();
        for (String o : sampled) if (!operations.contains(o)) stale.add(o + " (in SAMPLES)");
        for (String o : EXCLUDED.keySet()) if (!operations.contains(o)) stale.add(o + " (in EXCLUDED)");
        for (String o : EXCLUDED.keySet()) if (sampled.contains(o)) stale.add(o + " (both sampled and EXCLUDED)");
        assertTrue(missing.isEmpty(), "operations of openapi.json without a sample request: add one to ApiResponsesTest.SAMPLES"
                + " (or to EXCLUDED with the reason):\n  " + String.join("\n  ", missing));
        assertTrue(stale.isEmpty(), "entries of ApiResponsesTest for operations openapi.json does not have:\n  "
                + String.join("\n  ", stale));
    }

    /** Routes under /api, /ogc and /tiles that are not API operations, so not in the spec: the reference page itself. */
    static final Set<String> NOT_OPERATIONS = Set.of("GET /api/docs");

    /** Routes whose path the spec writes otherwise: Javalin matches "{layer}.json" as one segment, the controller wants the suffix. */
    static final Map<String, String> DOCUMENTED_AS = Map.of("GET /tiles/{layer}", "GET /tiles/{layer}.json");

    @Test
    void everyApiRouteIsInTheSpecAndEveryOperationIsARoute() {
        Set<String> routes = new LinkedHashSet<>();
        for (var endpoint : server.app.unsafeConfig().pvt.internalRouter.allHttpHandlers()) {
            String method = endpoint.getEndpoint().getMethod().name();
            String path = endpoint.getEndpoint().getPath();
            boolean api = path.startsWith("/api/") || path.equals("/ogc") || path.startsWith("/ogc/") || path.startsWith("/tiles/");
            if (api && METHODS.contains(method.toLowerCase()) && !method.equals("HEAD") && !method.equals("OPTIONS")) {
                routes.add(DOCUMENTED_AS.getOrDefault(method + " " + path, method + " " + path));
            }
        }
        List<String> operations = specOperations();
        List<String> undocumented = routes.stream().filter(r -> !operations.contains(r) && !NOT_OPERATIONS.contains(r)).toList();
        List<String> unserved = operations.stream().filter(o -> !routes.contains(o)).toList();
        assertTrue(undocumented.isEmpty(), "routes of aim.web.Routes missing from openapi.json (add them, with their responses):\n  "
                + String.join("\n  ", undocumented));
        assertTrue(unserved.isEmpty(), "operations of openapi.json that no route serves:\n  " + String.join("\n  ", unserved));
    }

    @Test
    void everySampleIsAnsweredAsTheSpecSays() throws Exception {
        List<String> failures = new ArrayList<>();
        long started = System.nanoTime();
        for (Sample sample : SAMPLES) {
            String failure;
            long sent = System.nanoTime();
            try {
                failure = check(sample);
            } catch (RuntimeException e) {
                failure = e.toString();
            }
            double seconds = (System.nanoTime() - sent) / 1e9;
            if (seconds > 1) System.out.printf("api responses: %s took %.1f s%n", sample.operation(), seconds);
            if (failure != null) failures.add(sample.operation() + " (" + sample.target() + "): " + failure);
        }
        System.out.printf("api responses: %d samples in %.1f s%n", SAMPLES.size(), (System.nanoTime() - started) / 1e9);
        assertTrue(failures.isEmpty(), failures.size() + " response(s) disagree with openapi.json:\n"
                + String.join("\n", failures));
    }

    @Test
    void theValidatorRefusesABodyThatDoesNotMatch() {
        // a check that could never fail proves nothing: a health answer with a number for its status, and a
        // missing required member in a $ref'd schema, must both be caught
        String pointer = responsePointer("GET /api/health", "200") + "/content/application~1json/schema";
        Schema schema = schemas.getSchema(SchemaLocation.of(SPEC_URI + "#" + pointer));
        assertTrue(schema.validate(JSON.createObjectNode().put("status", "ok")).isEmpty(), "a right health body passes");
        assertTrue(!schema.validate(JSON.createObjectNode().put("status", 5)).isEmpty(), "a number for the status is refused");
        assertTrue(!schema.validate(JSON.createObjectNode().put("database", "PostgreSQL")).isEmpty(), "a missing status is refused");
        // and through two $refs: an incident collection whose feature has a text id
        String incidents = responsePointer("GET /api/incidents", "200") + "/content/application~1geo+json/schema";
        var collection = JSON.createObjectNode().put("type", "FeatureCollection");
        collection.putArray("features").addObject().put("type", "Feature").put("id", "one");
        assertTrue(!schemas.getSchema(SchemaLocation.of(SPEC_URI + "#" + incidents)).validate(collection).isEmpty(),
                "a text id is refused");
    }

    /** Sends the sample and returns what disagrees with the spec, or null. */
    private static String check(Sample sample) throws Exception {
        String target = fill(sample.target());
        var request = HttpRequest.newBuilder(URI.create(server.url(target)))
                .method(sample.operation().substring(0, sample.operation().indexOf(' ')),
                        sample.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(fill(sample.body())));
        if (sample.body() != null) request.header("Content-Type", "application/json");
        if (sample.role() != null) request.header("Authorization", "Bearer " + tokens.get(sample.role()));
        for (int i = 0; i < sample.headers().size(); i += 2) request.header(sample.headers().get(i), sample.headers().get(i + 1));
        HttpResponse<String> response = server.http.send(request.build(), HttpResponse.BodyHandlers.ofString());

        int status = response.statusCode();
        if (status != sample.status()) {
            return "status " + status + ", expected " + sample.status() + ": " + abbreviated(response.body());
        }
        String responsePointer = responsePointer(sample.operation(), String.valueOf(status));
        if (responsePointer == null) responsePointer = responsePointer(sample.operation(), "default");
        if (responsePointer == null) return "status " + status + " is not documented";
        JsonNode documented = spec.at(responsePointer);

        String contentType = response.headers().firstValue("Content-Type").orElse("");
        String mediaType = contentType.split(";")[0].trim().toLowerCase();
        JsonNode content = documented.path("content");
        // a media type documented with its parameters (e.g. OGC's "application/vnd.oai.openapi+json;version=3.0")
        String withParameters = contentType.replace(" ", "").toLowerCase();
        if (!content.has(mediaType) && content.has(withParameters)) mediaType = withParameters;
        if (content.isMissingNode() || content.isEmpty()) {
            return response.body().isEmpty() ? null : "a body (" + contentType + ") where the spec documents none: " + abbreviated(response.body());
        }
        if (!content.has(mediaType)) {
            return "content type '" + contentType + "', documented: " + content.properties().stream().map(Map.Entry::getKey).toList();
        }
        JsonNode schemaNode = content.path(mediaType).path("schema");
        boolean json = mediaType.equals("application/json") || mediaType.endsWith("+json");
        JsonNode body = json ? JSON.readTree(response.body()) : null;
        if (json && !schemaNode.isMissingNode()) {
            // the schema where it is in the spec, so that its "#/components/…" resolve in the same document
            String pointer = responsePointer + "/content/" + escaped(mediaType) + "/schema";
            Schema schema = schemas.getSchema(SchemaLocation.of(SPEC_URI + "#" + pointer.replace("{", "%7B").replace("}", "%7D")));
            var errors = schema.validate(body);
            if (!errors.isEmpty()) {
                List<String> lines = errors.stream().limit(8).map(Object::toString).toList();
                return "body does not match the schema (" + errors.size() + " error(s)):\n    " + String.join("\n    ", lines);
            }
        }
        if (sample.capture() != null) {
            String[] nameAndPointer = sample.capture().split("=", 2);
            JsonNode value = body == null ? null : body.at(nameAndPointer[1]);
            if (value == null || value.isMissingNode() || value.isNull()) return "no " + nameAndPointer[1] + " to keep as " + nameAndPointer[0] + " in " + abbreviated(response.body());
            values.put(nameAndPointer[0], value.asText());
        }
        return null;
    }

    /** The JSON pointer of the operation's response for this status in the spec (or of the one it refers to), or null. */
    private static String responsePointer(String operation, String status) {
        int space = operation.indexOf(' ');
        String pointer = "/paths/" + escaped(operation.substring(space + 1)) + "/" + operation.substring(0, space).toLowerCase()
                + "/responses/" + status;
        while (spec.at(pointer).has("$ref")) pointer = spec.at(pointer).get("$ref").asText().substring(1);
        return spec.at(pointer).isMissingNode() ? null : pointer;
    }

    /** A JSON pointer token (RFC 6901): "~" as "~0", "/" as "~1". */
    private static String escaped(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\w+)}");

    private static String fill(String text) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) throw new IllegalStateException("no value for {" + m.group(1) + "} yet in " + text);
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }

    private static String abbreviated(String body) {
        return body.length() > 400 ? body.substring(0, 400) + "…" : body;
    }
}
