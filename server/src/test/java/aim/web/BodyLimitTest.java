package aim.web;

import aim.testing.Fresh;
import aim.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Request bodies are limited by the bytes actually read: JSON endpoints at 64 KB, imports at the configured
 * AIM_MAX_IMPORT_BYTES (1 MB here), whether the body declares its length or is chunked. Over the limit is a
 * 413 problem naming the field, the server stops reading (the sender is cut off long before it has sent
 * its 100 MB) and keeps answering everyone else.
 */
@Tag("postgis")
class BodyLimitTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long HUNDRED_MB = 100L * 1024 * 1024;
    /**
     * The streams below send at most ~15 MB/s; a refused connection is closed about a second after the 413,
     * so a sender is cut off long before this.
     */
    private static final long CUT_OFF_BYTES = 64L * 1024 * 1024;

    @Fresh("AIM_MAX_IMPORT_BYTES=" + 1024 * 1024) static TestServer server;

    @Test
    void aOneMegabyteJsonLoginIsRefusedWith413() throws Exception {
        String body = "{\"username\":\"" + "a".repeat(1024 * 1024) + "\",\"password\":\"x\"}";
        var response = server.send("POST", "/api/login", HttpRequest.BodyPublishers.ofString(body), "Content-Type", "application/json");
        assertProblem(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body(), 413, "body");
    }

    @Test
    void jsonJustUnderTheLimitIsStillRead() throws Exception {
        String body = "{\"username\":\"" + "a".repeat(60 * 1024) + "\",\"password\":\"x\"}";
        var response = server.send("POST", "/api/login", HttpRequest.BodyPublishers.ofString(body), "Content-Type", "application/json");
        assertEquals(401, response.statusCode(), response.body());
    }

    @Test
    void chunkedHundredMegabyteLoginsAreCutOffWhileOthersAreServed() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Streamed>> streams = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                streams.add(pool.submit(() -> streamChunked("/api/login", "application/json", "{\"username\":\"", HUNDRED_MB, null)));
            }
            // the server answers others while the streams are being refused
            for (int i = 0; i < 5; i++) {
                assertEquals(200, server.get("/api/health").statusCode());
            }
            for (Future<Streamed> f : streams) {
                Streamed s = f.get(60, TimeUnit.SECONDS);
                assertProblem(s.status, s.contentType, s.body, 413, "body");
                assertTrue(s.sent < CUT_OFF_BYTES, "the server cut the sender off after " + s.sent + " bytes");
            }
            assertEquals(200, server.get("/api/health").statusCode());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void chunkedJsonReportsAndUsersAreLimitedToo() throws Exception {
        for (String path : List.of("/api/reports", "/api/users", "/api/assets", "/api/me/tokens")) {
            Streamed s = streamChunked(path, "application/json", "{\"name\":\"", 8L * 1024 * 1024, server.adminToken,
                    "Idempotency-Key", "limit-" + path.hashCode());
            assertProblem(s.status, s.contentType, s.body, 413, "body");
        }
    }

    @Test
    void importsAreLimitedToTheConfiguredSizeChunkedOrNot() throws Exception {
        // raw CSV bodies, chunked: cut off at 1 MB
        for (String path : List.of("/api/incidents/import/police", "/api/populations?level=ward", "/api/assets/import?format=csv")) {
            Streamed s = streamChunked(path, "text/csv", "a,b\n", HUNDRED_MB, server.adminToken);
            assertProblem(s.status, s.contentType, s.body, 413, "file");
            assertTrue(s.sent < CUT_OFF_BYTES, path + ": the server stopped reading after " + s.sent + " bytes");
        }
        // a declared length over the limit is refused before reading
        byte[] csv = new byte[2 * 1024 * 1024];
        Arrays.fill(csv, (byte) 'a');
        var declared = server.send("POST", "/api/incidents/import/police", HttpRequest.BodyPublishers.ofByteArray(csv),
                "Content-Type", "text/csv", "Authorization", "Bearer " + server.adminToken);
        assertProblem(declared.statusCode(), declared.headers().firstValue("Content-Type").orElse(""), declared.body(), 413, "file");
    }

    @Test
    void multipartImportsAreLimitedChunkedOrNot() throws Exception {
        String boundary = "aimlimit";
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.geojson\"\r\n"
                + "Content-Type: application/geo+json\r\n\r\n";
        Streamed s = streamChunked("/api/boundaries/import?level=ward&version=v1", "multipart/form-data; boundary=" + boundary,
                head, HUNDRED_MB, server.adminToken);
        assertProblem(s.status, s.contentType, s.body, 413, "file");
        assertTrue(s.sent < CUT_OFF_BYTES, "the server stopped reading after " + s.sent + " bytes");

        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(new byte[2 * 1024 * 1024]);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        var declared = server.send("POST", "/api/incidents/import/police", HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()),
                "Content-Type", "multipart/form-data; boundary=" + boundary, "Authorization", "Bearer " + server.adminToken);
        assertProblem(declared.statusCode(), declared.headers().firstValue("Content-Type").orElse(""), declared.body(), 413, "file");

        // within the limit, a multipart import still works
        var ok = server.send("POST", "/api/incidents/import/police", HttpRequest.BodyPublishers.ofString(
                        "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"empty.csv\"\r\n\r\n"
                                + "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\r\n"
                                + "\r\n--b--\r\n"),
                "Content-Type", "multipart/form-data; boundary=b", "Authorization", "Bearer " + server.adminToken);
        assertTrue(ok.statusCode() < 500 && ok.statusCode() != 413, ok.statusCode() + " " + ok.body());
    }

    static void assertProblem(int status, String contentType, String body, int expectedStatus, String field) throws IOException {
        assertEquals(expectedStatus, status, body);
        assertTrue(contentType.startsWith("application/problem+json"), contentType);
        JsonNode problem = JSON.readTree(body);
        assertEquals(expectedStatus, problem.path("status").asInt(), body);
        assertEquals(field, problem.path("field").asText(), body);
    }

    record Streamed(int status, String contentType, String body, long sent) {
    }

    /**
     * POSTs {@code prefix} and then filler bytes, chunked, up to {@code total} bytes from a generator (never
     * held in memory), while reading the response as soon as it comes; returns it with the bytes sent.
     */
    static Streamed streamChunked(String path, String contentType, String prefix, long total, String token, String... headers) throws Exception {
        try (Socket socket = new Socket("localhost", server.app.port())) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            StringBuilder auth = new StringBuilder(token == null ? "" : "Authorization: Bearer " + token + "\r\n");
            for (int i = 0; i < headers.length; i += 2) auth.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + contentType + "\r\n" + auth
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            AtomicLong sent = new AtomicLong();
            Thread writer = new Thread(() -> {
                byte[] filler = new byte[32 * 1024];
                Arrays.fill(filler, (byte) 'a');
                try {
                    writeChunk(out, prefix.getBytes(StandardCharsets.UTF_8));
                    while (sent.get() < total) {
                        writeChunk(out, filler);
                        sent.addAndGet(filler.length);
                        Thread.sleep(2);
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    // the server closed the connection: expected once it has answered 413
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            writer.start();
            Response response = readResponse(socket.getInputStream());
            writer.join(60_000);
            return new Streamed(response.status, response.contentType, response.body, sent.get());
        }
    }

    private static void writeChunk(OutputStream out, byte[] data) throws IOException {
        out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(data);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    record Response(int status, String contentType, String body, String contentTypeOptions) {
    }

    /** A minimal HTTP/1.1 response reader: status line, headers, and a Content-Length or chunked body. */
    static Response readResponse(InputStream in) throws IOException {
        String status = line(in);
        int code = Integer.parseInt(status.split(" ")[1]);
        String contentType = "";
        String contentTypeOptions = "";
        long length = -1;
        boolean chunked = false;
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            String name = h.substring(0, h.indexOf(':')).trim().toLowerCase();
            String value = h.substring(h.indexOf(':') + 1).trim();
            if (name.equals("content-type")) contentType = value;
            if (name.equals("x-content-type-options")) contentTypeOptions = value;
            if (name.equals("content-length")) length = Long.parseLong(value);
            if (name.equals("transfer-encoding") && value.contains("chunked")) chunked = true;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            for (int n = Integer.parseInt(line(in).trim(), 16); n > 0; n = Integer.parseInt(line(in).trim(), 16)) {
                body.writeBytes(in.readNBytes(n));
                line(in);
            }
        } else if (length >= 0) {
            body.writeBytes(in.readNBytes((int) length));
        }
        return new Response(code, contentType, body.toString(StandardCharsets.UTF_8), contentTypeOptions);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
            if (c != '\r') b.write(c);
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }
}
