package aim.testing;

import aim.Config;
import aim.accounts.Accounts;
import aim.accounts.Role;
import aim.web.App;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.javalin.Javalin;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

/**
 * The real app on a free port over a fresh test database, with a real HTTP client. A test class takes one
 * as {@code @Fresh static TestServer server} ({@link Fresh}); a test that needs another one for itself
 * makes it in try-with-resources. {@link #close()} stops the app and drops a database from {@link TestDatabase#fresh}.
 */
public final class TestServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    public final HikariDataSource dataSource;
    public final Javalin app;
    public final HttpClient http = HttpClient.newHttpClient();
    public final Accounts accounts;
    /** An API token of the user "admin", created for this server. */
    public final String adminToken;

    public TestServer() {
        this(TestDatabase.fresh());
    }

    public TestServer(HikariDataSource dataSource) {
        this(dataSource, Map.of());
    }

    /** A server over a fresh database whose configuration takes these AIM_* variables. */
    public TestServer(Map<String, String> environment) {
        this(TestDatabase.fresh(), environment);
    }

    public TestServer(HikariDataSource dataSource, Map<String, String> environment) {
        this(dataSource, config(environment));
    }

    /**
     * The app configured by {@code environment} (as AIM_… variables), over a fresh database pooled as
     * that configuration says: e.g. {@code Map.of("AIM_DB_POOL_SIZE", "4")}.
     */
    public static TestServer configured(Map<String, String> environment) {
        Config config = config(environment);
        return new TestServer(TestDatabase.fresh(config.capacity()), config);
    }

    private static Config config(Map<String, String> environment) {
        Map<String, String> env = new java.util.HashMap<>(environment);
        env.putIfAbsent("AIM_TILE_URL", "");
        return Config.fromEnvironment(env);
    }

    private TestServer(HikariDataSource dataSource, Config config) {
        this.dataSource = dataSource;
        // the app may hold one pooled connection per thread at a time: a second one fails the request
        this.app = App.create(config.withPort(0), OneConnectionPerThread.wrap(dataSource)).start(0);
        this.accounts = new Accounts(dataSource);
        this.adminToken = userToken("admin", Role.ADMIN);
    }

    /** Creates a user with the given role (password {@link #PASSWORD}) and returns an API token for it. */
    public String userToken(String username, Role role) {
        accounts.create(username, username, role, PASSWORD);
        return accounts.createApiToken(username, "test");
    }

    public static final String PASSWORD = "correct horse battery";

    /** This server's origin as a browser on one of its pages sends it ({@code Origin} header). */
    public String origin() {
        return "http://localhost:" + app.port();
    }

    /**
     * Signs in with {@link #PASSWORD} and returns the {@code Cookie} header value ({@code aim_session=…}).
     * Writes with it need {@code "Origin", origin()}, as a browser sends.
     */
    public String sessionCookie(String username) throws IOException, InterruptedException {
        var response = send("POST", "/api/login", HttpRequest.BodyPublishers.ofString(
                "{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\"}"), "Content-Type", "application/json");
        if (response.statusCode() != 200) throw new IllegalStateException("log-in of " + username + " failed: " + response.body());
        String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    public String url(String path) {
        return "http://localhost:" + app.port() + path;
    }

    public HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        var b = HttpRequest.newBuilder(URI.create(url(path))).GET();
        if (headers.length > 0) b.headers(headers);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> send(String method, String path, HttpRequest.BodyPublisher body, String... headers)
            throws IOException, InterruptedException {
        var b = HttpRequest.newBuilder(URI.create(url(path))).method(method, body);
        if (headers.length > 0) b.headers(headers);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> postFile(String path, Path file, String contentType, String token)
            throws IOException, InterruptedException {
        return send("POST", path, HttpRequest.BodyPublishers.ofFile(file), "Content-Type", contentType,
                "Authorization", "Bearer " + token);
    }

    public static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    @Override
    public void close() {
        app.stop();
        TestDatabase.close(dataSource);
    }
}
