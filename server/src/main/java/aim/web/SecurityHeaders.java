package aim.web;

import io.javalin.http.Context;

import java.net.URI;

/**
 * The security headers on every response (API, static files, errors), set before anything else runs
 * so that error responses carry them too.
 *
 * <p>The Content-Security-Policy is the one the web map satisfies: scripts and styles only from this
 * origin (no inline or eval'd scripts); inline style <em>attributes</em> are allowed because Leaflet's
 * markers and our legend swatches colour themselves with {@code style="…"}; images from this origin,
 * {@code data:}/{@code blob:} (Leaflet's icons, photo previews) and the configured base-map tile host;
 * connections to this origin and the tile host (the service worker fetches viewed tiles to keep them offline);
 * the service worker from this origin; no framing, no plugins. Every {@code /api} response is
 * {@code Cache-Control: no-store} unless its handler says otherwise (public boundaries do).
 */
final class SecurityHeaders {
    private final String contentSecurityPolicy;

    /**
     * The headers of problems Jetty writes itself (bad URI, 414, 431…), before Javalin runs: a JSON
     * body that nothing may run, sniff or frame.
     */
    static final java.util.Map<String, String> ERROR_HEADERS = java.util.Map.of(
            "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'",
            "X-Content-Type-Options", "nosniff",
            "X-Frame-Options", "DENY",
            "Referrer-Policy", "strict-origin",
            "Cache-Control", "no-store");

    SecurityHeaders(String tileUrl) {
        String tiles = tileSource(tileUrl);
        this.contentSecurityPolicy = String.join("; ",
                "default-src 'self'",
                "script-src 'self'",
                "style-src 'self' 'unsafe-inline'",
                "img-src 'self' data: blob:" + (tiles.isEmpty() ? "" : " " + tiles),
                // the tile host too: the service worker (sw.js, under this policy) fetches the tiles the map shows,
                // to keep the recently viewed ones for use without signal
                "connect-src 'self'" + (tiles.isEmpty() ? "" : " " + tiles),
                "font-src 'self'",
                "worker-src 'self'",
                "manifest-src 'self'",
                "object-src 'none'",
                "base-uri 'none'",
                "form-action 'self'",
                "frame-ancestors 'none'");
    }

    String contentSecurityPolicy() {
        return contentSecurityPolicy;
    }

    /**
     * The API reference (/api/docs, Swagger UI), stricter than the map's: only this origin, no base-map host, no
     * workers or manifest, and no inline styles either (Swagger UI's React sets styles through the DOM, which CSP
     * allows; ApiDocsBrowserTest renders, opens and runs an operation without a violation). Images may be
     * {@code data:} (its CSS draws icons as data: SVG).
     */
    static final String DOCS_POLICY = String.join("; ",
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "connect-src 'self'",
            "font-src 'self'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'");

    private static boolean isDocs(String path) {
        return path.equals("/api/docs") || path.startsWith("/api/docs/");
    }

    void apply(Context ctx) {
        ctx.header("Content-Security-Policy", isDocs(ctx.path()) ? DOCS_POLICY : contentSecurityPolicy);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        // the origin only, never a path or query; not "no-referrer": OpenStreetMap's tile policy requires a Referer
        ctx.header("Referrer-Policy", "strict-origin");
        // the API reference's page and hashed bundles are not API answers: their own Cache-Control (App, HealthController)
        if (ctx.path().startsWith("/api/") && !isDocs(ctx.path())) ctx.header("Cache-Control", "no-store");
    }

    /**
     * The CSP source for a tile URL template such as {@code https://{s}.tile.example.org/{z}/{x}/{y}.png}:
     * its scheme and host, with a placeholder in the first label becoming {@code *.}; "" for no base map.
     * A template whose host cannot be expressed as a CSP source allows any host on its scheme.
     */
    static String tileSource(String tileUrl) {
        if (tileUrl == null || tileUrl.isBlank()) return "";
        String url = tileUrl.trim();
        int schemeEnd = url.indexOf("://");
        if (schemeEnd < 0) return ""; // a relative template: tiles from this origin, already allowed
        String scheme = url.substring(0, schemeEnd).toLowerCase();
        if (!scheme.equals("https") && !scheme.equals("http")) return "";
        int hostEnd = url.length();
        for (char stop : new char[]{'/', '?', '#'}) {
            int i = url.indexOf(stop, schemeEnd + 3);
            if (i >= 0) hostEnd = Math.min(hostEnd, i);
        }
        String authority = url.substring(schemeEnd + 3, hostEnd);
        if (authority.contains("@")) authority = authority.substring(authority.lastIndexOf('@') + 1);
        if (authority.contains("{")) {
            int dot = authority.indexOf('.');
            boolean firstLabelOnly = dot > 0 && authority.indexOf('{') < dot && !authority.substring(dot).contains("{");
            if (!firstLabelOnly) return scheme + ":";
            authority = "*" + authority.substring(dot);
        }
        if (!authority.matches("[A-Za-z0-9.*:\\[\\]-]+")) return scheme + ":";
        try {
            URI.create(scheme + "://" + authority.replace("*", "x"));
        } catch (IllegalArgumentException e) {
            return scheme + ":";
        }
        return scheme + "://" + authority;
    }
}
