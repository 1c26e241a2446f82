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

/** The real app on a free port over a fresh test database, with a real HTTP client. */
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

    /** A server configured by these environment variables (besides no base map). */
    public TestServer(HikariDataSource dataSource, Map<String, String> environment) {
        this.dataSource = dataSource;
        Map<String, String> env = new java.util.HashMap<>(environment);
        env.putIfAbsent("AIM_TILE_URL", "");
        Config config = Config.fromEnvironment(env).withPort(0);
        this.app = App.create(config, dataSource).start(0);
        this.accounts = new Accounts(dataSource);
        this.adminToken = userToken("admin", Role.ADMIN);
    }

    /** Creates a user with the given role (password {@link #PASSWORD}) and returns an API token for it. */
    public String userToken(String username, Role role) {
        accounts.create(username, username, role, PASSWORD);
        return accounts.createApiToken(username, "test");
    }

    public static final String PASSWORD = "correct horse battery";

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
        dataSource.close();
    }
}
