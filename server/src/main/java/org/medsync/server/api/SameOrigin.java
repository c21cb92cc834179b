package org.medsync.server.api;

import io.javalin.http.Context;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses state-changing requests and WebSocket upgrades that a page of another origin made the browser send
 * (CSRF, cross-site WebSocket hijacking), on top of the session cookie's SameSite=Strict. A browser names the
 * page's origin in {@code Origin} (or at least in {@code Referer}); that origin must be one of
 * {@code http.origins}, or, when none are configured, the origin the request was sent to (its scheme and Host).
 * A request naming neither is not from a page (a script, the CLI, a test client) and passes: it carries no
 * browser's ambient cookie unless its author put one there.
 */
public final class SameOrigin {
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    private final List<String> allowed;

    /** {@code allowed}: origins such as {@code https://medsync.example.org}; empty: the request's own origin. */
    public SameOrigin(List<String> allowed) {
        this.allowed = allowed.stream().map(SameOrigin::normalize).toList();
    }

    /** For every HTTP request: a state-changing one from another origin's page is refused with 403. */
    public void checkRequest(Context ctx) {
        if (!SAFE.contains(ctx.method().name()) && !allows(ctx)) {
            throw new ApiError(403, "cross-origin", "requests from another site's page are refused");
        }
    }

    /** Whether the request comes from one of our own pages or from no page at all; for WebSocket upgrades too. */
    public boolean allows(Context ctx) {
        return allows(ctx.header("Origin"), ctx.header("Referer"), ctx.scheme() + "://" + ctx.host());
    }

    /** The decision on the two headers as sent (null: absent); {@code self}: where the request was sent to. */
    boolean allows(String origin, String referer, String self) {
        if (origin == null) {
            if (referer == null) {
                return true;
            }
            origin = originOf(referer);
        }
        String o = normalize(origin);
        return allowed.isEmpty() ? o.equals(normalize(self)) : allowed.contains(o);
    }

    /** scheme://host[:port] of a URL; "null" (never allowed) when it has none. */
    private static String originOf(String url) {
        try {
            URI u = URI.create(url);
            if (u.getScheme() == null || u.getRawAuthority() == null) {
                return "null";
            }
            return u.getScheme() + "://" + u.getRawAuthority();
        } catch (IllegalArgumentException e) {
            return "null";
        }
    }

    /** Lower case, without a default port, so that https://Host:443 is https://host. */
    private static String normalize(String origin) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        if (o.endsWith("/")) {
            o = o.substring(0, o.length() - 1);
        }
        if (o.startsWith("https://") && o.endsWith(":443")) {
            return o.substring(0, o.length() - 4);
        }
        if (o.startsWith("http://") && o.endsWith(":80")) {
            return o.substring(0, o.length() - 3);
        }
        return o;
    }
}
