package aim.web;

import aim.core.DomainException;
import io.javalin.http.Context;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Defence against cross-site request forgery: a write (any method but GET, HEAD and OPTIONS) that is
 * not signed with an API token must come from AIM's own pages. The browser tells where a request
 * comes from, and no web page can forge these headers:
 * <ol>
 *   <li>{@code Sec-Fetch-Site}, when present, must be {@code same-origin} or {@code none} (typed or
 *       bookmarked by the user);</li>
 *   <li>otherwise {@code Origin}, when present, must be this server's origin: its host and port equal
 *       the request's {@code Host} header, or it equals the configured public origin (AIM_PUBLIC_ORIGIN,
 *       for a proxy that rewrites Host);</li>
 *   <li>a request with neither header is refused when it carries the session cookie (every current
 *       browser sends {@code Origin} on such requests; scripts use API tokens), and passes otherwise
 *       (e.g. {@code curl} logging in, which has no session to abuse).</li>
 * </ol>
 * This covers {@code POST /api/login} too, so a foreign page cannot sign a victim into its own account.
 * A request with {@code Authorization: Bearer} passes: a foreign page cannot set that header (AIM
 * answers no CORS preflight), and such a request ignores the cookie.
 */
public final class SameOriginWrites {
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final String publicOrigin;

    /** @param publicOrigin {@code scheme://host[:port]} browsers use to reach AIM, or null to trust the Host header */
    public SameOriginWrites(String publicOrigin) {
        this.publicOrigin = publicOrigin;
    }

    /** Throws a 403 problem for a write that a browser sent from another site. */
    public void check(Context ctx) {
        if (SAFE_METHODS.contains(ctx.method().name())) return;
        if (AccessControl.bearerToken(ctx) != null) return;
        String fetchSite = ctx.header("Sec-Fetch-Site");
        if (fetchSite != null) {
            String site = fetchSite.strip().toLowerCase(Locale.ROOT);
            if (site.equals("same-origin") || site.equals("none")) return;
            throw refused("Sec-Fetch-Site", "the browser says this request comes from another site (" + site + ")");
        }
        String origin = ctx.header("Origin");
        if (origin != null) {
            if (isOwnOrigin(origin.strip(), ctx.header("Host"))) return;
            throw refused("Origin", "requests from another origin may not change anything here");
        }
        String session = ctx.cookie(AccessControl.COOKIE);
        if (session != null && !session.isBlank()) {
            throw refused("Origin", "a write signed by the session cookie must carry an Origin header; "
                    + "scripts should use an API token (Authorization: Bearer)");
        }
    }

    private boolean isOwnOrigin(String origin, String host) {
        if (publicOrigin != null && publicOrigin.equalsIgnoreCase(origin)) return true;
        if (host == null || host.isBlank()) return false;
        try {
            URI uri = new URI(origin);
            String scheme = uri.getScheme();
            if (uri.getRawAuthority() == null || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) return false;
            return uri.getRawAuthority().equalsIgnoreCase(host.strip()) && (uri.getRawPath() == null || uri.getRawPath().isEmpty());
        } catch (java.net.URISyntaxException e) {
            return false; // including the opaque origin "null"
        }
    }

    private static DomainException refused(String header, String detail) {
        return DomainException.forbidden(header, "cross-site request refused: " + detail);
    }
}
