package aim.web;

import aim.Config;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlet.ServletContextHandler;

import java.io.IOException;
import java.sql.SQLTransientConnectionException;
import java.util.EnumSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Admission control for the API ({@code /api/*}, and the OGC API {@code /ogc} and vector tiles {@code /tiles/*},
 * which query the database like it): at most {@code maxConcurrentRequests} requests are
 * served at once. A request beyond that waits, first come first served, up to {@code queueMillis} for
 * a slot; if none frees it is answered at once with 503, {@code Retry-After} and a problem body, so an
 * overloaded server refuses work quickly instead of letting every request stall. Static files (the web
 * map) are not counted. The slot is held for the whole request, including a streamed response.
 */
public final class RequestAdmission implements Filter {
    /** Seconds a refused client is asked to wait before trying again. */
    static final int RETRY_AFTER_SECONDS = 1;
    private static final ObjectMapper JSON = aim.core.Json.mapper();

    private final Semaphore slots;
    private final int maxConcurrent;
    private final long queueMillis;

    RequestAdmission(int maxConcurrent, long queueMillis) {
        this.slots = new Semaphore(maxConcurrent, true);
        this.maxConcurrent = maxConcurrent;
        this.queueMillis = queueMillis;
    }

    /** Puts the limit of {@code capacity} in front of the API of the app's servlet context. */
    static void install(ServletContextHandler handler, Config.Capacity capacity) {
        var admission = new RequestAdmission(capacity.maxConcurrentRequests(), capacity.queueMillis());
        var holder = new FilterHolder(admission); // one filter, so one count of slots, for every path below
        for (String path : new String[]{"/api/*", "/ogc/*", "/tiles/*"}) {
            handler.addFilter(holder, path, EnumSet.of(DispatcherType.REQUEST));
        }
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        boolean admitted;
        try {
            admitted = slots.tryAcquire(queueMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            admitted = false;
        }
        if (!admitted) {
            refuse((HttpServletResponse) response, "the server is busy: " + maxConcurrent
                    + " requests are in progress and no slot freed within " + queueMillis + " ms; retry after "
                    + RETRY_AFTER_SECONDS + " s");
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            slots.release();
        }
    }

    /** Whether {@code e} (or a cause) is a wait for a pooled database connection that timed out. */
    static boolean poolExhausted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) return true;
        }
        return false;
    }

    /** The 503 problem, written here because no Javalin context exists yet (with the headers Jetty's own errors get). */
    private static void refuse(HttpServletResponse response, String detail) throws IOException {
        response.setStatus(503);
        SecurityHeaders.ERROR_HEADERS.forEach(response::setHeader);
        response.setHeader("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
        response.setContentType(Problems.CONTENT_TYPE);
        response.getOutputStream().write(JSON.writeValueAsBytes(
                Problems.body(503, Problems.titleFor(503), detail, null, java.util.List.of())));
    }
}
