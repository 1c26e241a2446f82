package aim.web;

import aim.DemoLoader;
import aim.testing.Fresh;
import aim.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Generated bad requests against every operation in the OpenAPI description (odd path parameters, bad
 * query values, wrong or broken bodies, with and without a token), with a fixed seed: none may be
 * answered 5xx, and every 4xx must be an RFC 9457 problem with status and title.
 */
@Tag("postgis")
class ApiFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Fixed, so a failure repeats; -Daim.fuzz.seed=… and -Daim.fuzz.cases=… explore further. */
    private static final long SEED = Long.getLong("aim.fuzz.seed", 20_240_908L);
    private static final int CASES_PER_OPERATION = Integer.getInteger("aim.fuzz.cases", 9);

    /** Values no parameter expects: not numbers, out of range, empty, odd text, injection-looking text. */
    private static final List<String> BAD_VALUES = List.of(
            "NaN", "Infinity", "-Infinity", "1e309", "-1", "0", "99999999999999999999", "-99999999999999999999",
            "1.5", "", " ", "é漢字🙂", "x".repeat(3000), "' OR 1=1 --", "\"", "%", "\\", "1,2,3", "NaN,NaN,NaN,NaN",
            "-200,-100,200,100", "2024-13-45", "9999-12-31", "0000-01-01", "true", "null", "[]", "{}", "\u0000",
            "a\u0000b", "\r\nX-Injected: 1", "../../etc/passwd", "<script>", "ward,ward", "2147483648", "-2147483649",
            "0x10", "1e3", "+5", "٣", "\uFFFF", "%zz");

    /** Values that are plausible for many parameters, so that a bad value meets otherwise valid ones. */
    private static final List<String> PLAUSIBLE_VALUES = List.of("1", "ward", "demo", "grid", "2024-06-01", "true", "100",
            "fly-tipping", "csv", "month", "-1.6,54.5,-1.5,54.6");

    private static final String DEEP = "[".repeat(5000) + "]".repeat(5000);
    private static final String DEEP_OBJECT = "{\"a\":".repeat(3000) + "1" + "}".repeat(3000);

    /** JSON bodies: malformed, truncated, trailing text, wrong types, too deep, odd numbers and strings. */
    private static final List<String> BAD_JSON = List.of(
            "", "{", "{\"a\":", "null", "[]", "123", "\"text\"", "{\"a\":1} x", "{} {}", DEEP, DEEP_OBJECT,
            "{\"username\":123,\"password\":[]}", "{\"category\":{\"x\":1},\"lon\":\"east\",\"lat\":true}",
            "{\"lon\":1e400,\"lat\":-1e400}", "{\"lon\":NaN}", "{\"id\":99999999999999999999999999}",
            "{\"name\":\"\\ud800\"}", "{\"name\":\"a\\u0000b\"}", "{\"status\":\"closed\",\"note\":" + "\"n\"".repeat(2) + "}",
            "{\"kind\":\"place\",\"category\":\"x\",\"name\":\"n\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[\"a\",null]}}",
            "{\"kind\":\"place\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,1]]]}}",
            "{\"neighbourhoods\":[{\"code\":null,\"wards\":[1,2]}]}", "{\"occurredAt\":\"yesterday\",\"accuracyM\":-5}",
            "\uFEFF{}", "{\"a\":\"" + "é".repeat(1000) + "\"}");

    private static final List<String> JSON_TYPES = List.of("application/json", "text/plain", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=zz", "application/json; charset=utf-16", "garbage/;;;", "");

    /** Broken multipart bodies (boundary zz unless the content type says otherwise). */
    private static final List<String[]> BAD_MULTIPART = List.of(
            new String[]{"multipart/form-data; boundary=zz", "--zz\r\n"},
            new String[]{"multipart/form-data", "--zz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\nx\r\n--zz--\r\n"},
            new String[]{"multipart/form-data; boundary=zz", "--zz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\u0000b\"\r\n\r\nx\r\n--zz--\r\n"},
            new String[]{"multipart/form-data; boundary=zz", "--zz\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"p.png\"\r\n\r\n\u0089PNG\r\n"},
            new String[]{"multipart/form-data; boundary=zz", "--zz\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nno file name\r\n--zz--\r\n"},
            new String[]{"multipart/form-data; boundary=zz", "garbage before\r\n--zz--\r\n"},
            new String[]{"multipart/form-data; boundary=", ""},
            new String[]{"multipart/form-data; boundary=zz", "--zz\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"p.jpg\"\r\n\r\n\u00FF\u00D8\u00FF\u00E0garbage\r\n--zz--\r\n"});

    /** File bodies: not CSV, not GeoJSON, not GeoPackage, odd quoting, invalid UTF-8. */
    private static final List<String[]> BAD_FILES = List.of(
            new String[]{"text/csv", "a,b\n\"unterminated,1\n"},
            new String[]{"text/csv", "\u00C3\u0028,\u00FF\n1,2\n"},
            new String[]{"text/csv", "=cmd|' /C calc'!A0,@SUM(1)\n+1,-1\n"},
            new String[]{"application/geo+json", "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[\"x\"]]]}}]}"},
            new String[]{"application/geo+json", "{\"type\":\"FeatureCollection\",\"features\":"},
            new String[]{"application/geopackage+sqlite3", "SQLite format 3\u0000garbage"},
            new String[]{"application/octet-stream", "\u0000\u0001\u0002\u0003"},
            new String[]{"application/json", "{\"services\":[{\"id\":1}]} trailing"});

    @Fresh static TestServer server;
    static JsonNode openApi;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        new DemoLoader(server.dataSource, dir).loadIfMissing();
        try (InputStream in = ApiFuzzTest.class.getResourceAsStream("/openapi.json")) {
            openApi = JSON.readTree(in);
        }
    }

    @Test
    void badRequestsToEveryOperationAreProblemsNever5xx() throws Exception {
        Random random = new Random(SEED);
        List<String> failures = new ArrayList<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        int sent = 0;
        long started = System.nanoTime();
        for (Iterator<Map.Entry<String, JsonNode>> paths = openApi.path("paths").fields(); paths.hasNext(); ) {
            var path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                var op = ops.next();
                String method = op.getKey().toUpperCase();
                if (!List.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) continue;
                List<JsonNode> parameters = parameters(path.getValue(), op.getValue());
                List<String> bodyTypes = new ArrayList<>();
                op.getValue().path("requestBody").path("content").fieldNames().forEachRemaining(bodyTypes::add);
                for (int i = 0; i < CASES_PER_OPERATION; i++) {
                    Case c = generate(random, method, path.getKey(), parameters, bodyTypes);
                    String failure = check(c);
                    sent++;
                    if (failure != null) failures.add(failure);
                    statuses.merge(c.status, 1, Integer::sum);
                }
            }
        }
        System.out.printf("fuzz: %d requests in %.1f s, statuses %s%n", sent, (System.nanoTime() - started) / 1e9, statuses);
        assertTrue(sent >= 300, "a few hundred requests: " + sent);
        assertTrue(failures.isEmpty(), failures.size() + " bad answer(s):\n" + String.join("\n", failures));
    }

    /** One generated request, and the status it got. */
    private static final class Case {
        String method;
        String target;
        String contentType;
        byte[] body;
        boolean authenticated;
        List<String> headers = new ArrayList<>();
        int status;
    }

    private static Case generate(Random random, String method, String template, List<JsonNode> parameters, List<String> bodyTypes) {
        Case c = new Case();
        c.method = method;
        c.authenticated = random.nextInt(100) >= 15;
        String target = template;
        StringBuilder query = new StringBuilder();
        for (JsonNode p : parameters) {
            String name = p.path("name").asText();
            String in = p.path("in").asText();
            // path parameters always get a value (half the time a bad one); others sometimes
            boolean bad = random.nextBoolean();
            String value = bad ? pick(random, BAD_VALUES) : pick(random, PLAUSIBLE_VALUES);
            switch (in) {
                case "path" -> target = target.replace("{" + name + "}", value.isEmpty() ? "%20" : encode(value));
                case "query" -> {
                    if (random.nextInt(3) == 0) {
                        query.append(query.isEmpty() ? "?" : "&").append(encode(name)).append('=').append(encode(value));
                    }
                }
                case "header" -> {
                    if (random.nextInt(3) == 0 && isHeaderSafe(value)) c.headers.addAll(List.of(name, value));
                }
                default -> {
                }
            }
        }
        if (random.nextInt(10) == 0) query.append(query.isEmpty() ? "?" : "&").append("unknown=").append(encode(pick(random, BAD_VALUES)));
        c.target = target + query;
        if (method.equals("POST") && template.equals("/api/reports")) c.headers.addAll(List.of("Idempotency-Key", "fuzz-" + random.nextInt(1000)));
        if (!bodyTypes.isEmpty() || !method.equals("GET") && !method.equals("DELETE")) body(random, c, bodyTypes);
        return c;
    }

    private static void body(Random random, Case c, List<String> bodyTypes) {
        boolean multipart = bodyTypes.stream().anyMatch(t -> t.startsWith("multipart/"));
        boolean files = bodyTypes.stream().anyMatch(t -> !t.equals("application/json") && !t.startsWith("multipart/"));
        int kind = random.nextInt(3);
        if (multipart && kind == 0) {
            String[] m = BAD_MULTIPART.get(random.nextInt(BAD_MULTIPART.size()));
            c.contentType = m[0];
            c.body = m[1].getBytes(StandardCharsets.ISO_8859_1);
        } else if (files && kind == 1) {
            String[] f = BAD_FILES.get(random.nextInt(BAD_FILES.size()));
            c.contentType = f[0];
            c.body = f[1].getBytes(StandardCharsets.ISO_8859_1);
        } else {
            c.contentType = random.nextInt(4) == 0 ? pick(random, JSON_TYPES) : "application/json";
            String json = pick(random, BAD_JSON);
            c.body = random.nextInt(8) == 0
                    ? new byte[]{'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'} // invalid UTF-8
                    : json.getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Sends the case and returns a description of what is wrong with the answer, or null. */
    private static String check(Case c) throws Exception {
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create(server.url(c.target))).timeout(Duration.ofSeconds(30));
        } catch (IllegalArgumentException e) {
            return null; // not a request a client can even make
        }
        b.method(c.method, c.body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(c.body));
        if (c.contentType != null && !c.contentType.isEmpty()) b.header("Content-Type", c.contentType);
        if (c.authenticated) b.header("Authorization", "Bearer " + server.adminToken);
        for (int i = 0; i < c.headers.size(); i += 2) b.header(c.headers.get(i), c.headers.get(i + 1));
        HttpResponse<byte[]> response = server.http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        c.status = response.statusCode();
        String body = new String(response.body(), StandardCharsets.UTF_8);
        String what = c.method + " " + abbreviate(c.target) + (c.body == null ? "" : " [" + c.contentType + "] "
                + abbreviate(new String(c.body, StandardCharsets.ISO_8859_1))) + (c.authenticated ? "" : " (no token)")
                + " → " + c.status + " " + abbreviate(body);
        if (c.status >= 500) return what;
        if (c.status >= 400) {
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (!type.startsWith("application/problem+json")) return what + " (Content-Type " + type + ")";
            try {
                JsonNode problem = JSON.readTree(body);
                if (problem.path("status").asInt() != c.status || problem.path("title").asText().isEmpty()) return what + " (not a problem)";
            } catch (Exception e) {
                return what + " (body is not JSON)";
            }
        }
        return null;
    }

    private static List<JsonNode> parameters(JsonNode pathItem, JsonNode operation) {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode list : List.of(pathItem.path("parameters"), operation.path("parameters"))) {
            for (JsonNode p : list) {
                if (p.has("$ref")) {
                    String[] ref = p.path("$ref").asText().replace("#/", "").split("/");
                    JsonNode resolved = openApi;
                    for (String part : ref) resolved = resolved.path(part);
                    all.add(resolved);
                } else {
                    all.add(p);
                }
            }
        }
        return all;
    }

    private static String pick(Random random, List<String> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static boolean isHeaderSafe(String value) {
        return value.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7F);
    }

    private static String abbreviate(String s) {
        String flat = s.replace("\r", "\\r").replace("\n", "\\n").replace("\u0000", "\\0");
        return flat.length() > 160 ? flat.substring(0, 160) + "…" : flat;
    }
}
