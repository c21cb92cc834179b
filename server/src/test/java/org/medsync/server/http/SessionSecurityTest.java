package org.medsync.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.CookieManager;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.server.TestServer;
import org.medsync.server.auth.LoginThrottle;
import org.medsync.server.demo.DemoContent;

/**
 * Logins, browser-facing requests and response headers against a real server, as an attacker would try them.
 * Each attacker comes from its own loopback address (127.0.0.x), so that throttling one does not touch another.
 */
class SessionSecurityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(false, new Properties());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static HttpClient from(String address) throws Exception {
        return HttpClient.newBuilder()
                .localAddress(InetAddress.getByName(address))
                .cookieHandler(new CookieManager())
                .build();
    }

    private static HttpResponse<String> login(HttpClient c, String user, String password) throws Exception {
        return c.send(
                HttpRequest.newBuilder(server.http().resolve("/api/session"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                JSON.writeValueAsString(java.util.Map.of("username", user, "password", password))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void passwordGuessingIsThrottledPerAccountAndPerAddress() throws Exception {
        HttpClient guesser = from("127.0.0.2");
        for (int i = 0; i < LoginThrottle.ACCOUNT_FREE + 1; i++) {
            assertEquals(401, login(guesser, "resident", "guess-" + i).statusCode(), "guess " + i);
        }
        // Locked: even the right password is refused, from this address and from any other.
        HttpResponse<String> locked = login(guesser, "resident", DemoContent.PASSWORD);
        assertEquals(429, locked.statusCode(), locked.body());
        assertEquals(
                "too-many-attempts", JSON.readTree(locked.body()).path("error").asText());
        long retry = Long.parseLong(locked.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retry >= 1 && retry <= 1, "Retry-After " + retry);
        assertEquals(
                429, login(from("127.0.0.3"), "resident", DemoContent.PASSWORD).statusCode());

        // After the wait, one more wrong guess locks it for twice as long.
        Thread.sleep(retry * 1000 + 100);
        assertEquals(401, login(guesser, "resident", "guess-again").statusCode());
        HttpResponse<String> longer = login(guesser, "resident", DemoContent.PASSWORD);
        assertEquals(429, longer.statusCode());
        assertEquals("2", longer.headers().firstValue("Retry-After").orElseThrow());

        // A name without an account is throttled exactly alike: the lockout tells nobody which names exist.
        HttpClient prober = from("127.0.0.4");
        for (int i = 0; i < LoginThrottle.ACCOUNT_FREE + 1; i++) {
            assertEquals(401, login(prober, "nobody-here", "guess-" + i).statusCode());
        }
        HttpResponse<String> unknown = login(prober, "nobody-here", "x");
        assertEquals(429, unknown.statusCode());
        assertEquals(
                JSON.readTree(locked.body()).path("error"),
                JSON.readTree(unknown.body()).path("error"));

        // One address spraying a password over many names: each name stays under its own limit, the address does not.
        HttpClient sprayer = from("127.0.0.5");
        for (int i = 0; i < LoginThrottle.ADDRESS_FREE + 1; i++) {
            assertEquals(401, login(sprayer, "user" + i, "Winter2026!").statusCode(), "spray " + i);
        }
        assertEquals(429, login(sprayer, "student", DemoContent.PASSWORD).statusCode());
        // ...while the account itself, from elsewhere, is fine.
        assertEquals(
                200, login(from("127.0.0.6"), "student", DemoContent.PASSWORD).statusCode());
    }

    @Test
    void aNewLoginEndsTheBrowsersPreviousSession() throws Exception {
        CookieManager jar = new CookieManager();
        HttpClient browser = HttpClient.newBuilder().cookieHandler(jar).build();
        assertEquals(200, login(browser, "student", DemoContent.PASSWORD).statusCode());
        String first = jar.getCookieStore().getCookies().getFirst().getValue();
        assertEquals(200, login(browser, "observer", DemoContent.PASSWORD).statusCode());
        // Whoever kept the first token (a shared workstation, a fixated cookie) holds nothing any more.
        HttpResponse<String> stale = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(server.http().resolve("/api/session"))
                                .header("Cookie", "medsync_session=" + first)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(401, stale.statusCode());
    }

    @Test
    void crossOriginPostIsRefused() throws Exception {
        HttpClient admin = server.login("admin");
        String body =
                "{\"username\":\"mallory\",\"displayName\":\"M\",\"role\":\"admin\",\"password\":\"correct-horse-battery\"}";
        // A page on another site makes the logged-in admin's browser post a new admin account (CSRF).
        HttpResponse<String> forged = admin.send(
                HttpRequest.newBuilder(server.http().resolve("/api/admin/users"))
                        .header("Content-Type", "application/json")
                        .header("Origin", "https://evil.example")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, forged.statusCode(), forged.body());
        assertEquals("cross-origin", JSON.readTree(forged.body()).path("error").asText());
        // A browser that sends only a Referer is judged by it; "Origin: null" (sandboxed frames, data: URLs) is
        // foreign.
        assertEquals(
                403,
                admin.send(
                                HttpRequest.newBuilder(server.http().resolve("/api/admin/users"))
                                        .header("Content-Type", "application/json")
                                        .header("Referer", "https://evil.example/page.html")
                                        .POST(HttpRequest.BodyPublishers.ofString(body))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode());
        assertEquals(
                403,
                admin.send(
                                HttpRequest.newBuilder(server.http().resolve("/api/session"))
                                        .header("Origin", "null")
                                        .DELETE()
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode());
        assertFalse(admin.send(
                        HttpRequest.newBuilder(server.http().resolve("/api/admin/users"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body()
                .contains("mallory"));
        // The app's own page is served.
        String self = "http://" + server.http().getAuthority();
        HttpResponse<String> own = admin.send(
                HttpRequest.newBuilder(server.http().resolve("/api/admin/users"))
                        .header("Content-Type", "application/json")
                        .header("Origin", self)
                        .POST(HttpRequest.BodyPublishers.ofString(body.replace("mallory", "carol")))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, own.statusCode(), own.body());
    }

    @Test
    void everyResponseCarriesTheBrowserProtections_hstsOnlyOverTls() throws Exception {
        HttpClient anonymous = HttpClient.newHttpClient();
        for (String path : new String[] {"/", "/health", "/api/worklist", "/no-such-file"}) {
            HttpResponse<String> r = anonymous.send(
                    HttpRequest.newBuilder(server.http().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
            String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
            assertTrue(
                    csp.contains("frame-ancestors 'none'")
                            && csp.contains("script-src 'self' 'wasm-unsafe-eval'")
                            && csp.contains("object-src 'none'"),
                    path + ": " + csp);
            assertEquals(
                    "nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""), path);
            assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(""), path);
            assertTrue(r.headers().firstValue("Strict-Transport-Security").isEmpty(), path + ": HSTS over plain HTTP");
        }
        SSLContext trustAll = SSLContext.getInstance("TLS");
        trustAll.init(
                null,
                new TrustManager[] {
                    new X509TrustManager() {
                        @Override
                        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                        @Override
                        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                        @Override
                        public X509Certificate[] getAcceptedIssuers() {
                            return new X509Certificate[0];
                        }
                    }
                },
                null);
        HttpResponse<String> tls = HttpClient.newBuilder()
                .sslContext(trustAll)
                .build()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        "https://127.0.0.1:" + server.https().getPort() + "/health"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertTrue(
                tls.headers().firstValue("Strict-Transport-Security").orElse("").startsWith("max-age="),
                tls.headers().toString());
    }
}
