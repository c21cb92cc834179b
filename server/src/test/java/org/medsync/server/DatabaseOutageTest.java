package org.medsync.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.library.importer.StudyImporter;
import org.medsync.server.browser.Chromium;
import org.medsync.server.browser.ViewerPage;
import org.medsync.server.demo.DemoContent;

/**
 * The embedded PostgreSQL stopped and started again under a running server, as a crash or an administrator
 * would: while it is down every answer says so (503 database-unavailable, health 503), never an empty list;
 * when it is back the server serves again by itself, with everything stored before.
 */
class DatabaseOutageTest {
    static final Path CT_SMALL = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm");
    static final String CT_STUDY = "1.3.6.1.4.1.5962.1.2.1.20040119072730.12322";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;
    private static HttpClient attending;
    /** The postmaster's command line, to start it again exactly as it ran. */
    private static List<String> postmaster;

    private static Process restarted;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(false, new Properties());
        var report = server.server()
                .library()
                .importer()
                .importFiles(List.of(new StudyImporter.Candidate(CT_SMALL, "CT_small.dcm")));
        assertEquals(1, report.imported());
        attending = server.login("attending");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close(); // zonky's pg_ctl stop reaches a restarted postmaster too: it goes by postmaster.pid
        if (restarted != null) {
            restarted.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void worklistDuringDatabaseOutageIsAnErrorNotEmpty() throws Exception {
        assertEquals(1, worklist().size());
        stopPostgres();
        try {
            HttpResponse<String> w = get(attending, "/api/worklist");
            assertEquals(503, w.statusCode(), w.body());
            assertEquals(
                    "database-unavailable",
                    JSON.readTree(w.body()).path("error").asText());
            assertTrue(JSON.readTree(w.body()).path("message").asText().contains("database"), w.body());

            HttpResponse<String> health = get(HttpClient.newHttpClient(), "/health");
            assertEquals(503, health.statusCode());
            assertEquals("down", JSON.readTree(health.body()).path("database").asText());

            for (String path : List.of(
                    "/dicomweb/local/studies",
                    "/dicomweb/local/studies/" + CT_STUDY + "/series",
                    "/api/worklist?source=local")) {
                HttpResponse<String> r = get(attending, path);
                assertEquals(503, r.statusCode(), path + ": " + r.body());
                assertEquals(
                        "database-unavailable",
                        JSON.readTree(r.body()).path("error").asText(),
                        path);
            }
            HttpResponse<String> login = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(server.http().resolve("/api/session"))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(
                                            "{\"username\":\"resident\",\"password\":\"" + DemoContent.PASSWORD
                                                    + "\"}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(503, login.statusCode(), "a login during the outage is not a wrong password: " + login.body());
        } finally {
            startPostgres();
        }
    }

    @Test
    void worklistPageShowsTheDatabaseOutageInsteadOfAnEmptyList() throws Exception {
        assumeTrue(Chromium.installed(), "Chromium is installed by scripts/setup --test");
        try (Chromium chromium = Chromium.launch();
                BrowserContext context = chromium.browser().newContext()) {
            Page page = context.newPage();
            ViewerPage.login(page, server.http(), "attending");
            stopPostgres();
            try {
                page.reload();
                Locator status = page.locator("[data-testid=worklist-status][data-state=error]");
                status.waitFor(new Locator.WaitForOptions().setTimeout(30_000));
                assertTrue(status.textContent().contains("database cannot be reached"), status.textContent());
                assertEquals(0, page.locator("[data-testid=worklist-row]").count());
            } finally {
                startPostgres();
            }
        }
    }

    @Test
    void serverRecoversAfterPostgresRestartWithoutDataLoss() throws Exception {
        HttpResponse<String> created = attending.send(
                HttpRequest.newBuilder(server.http().resolve("/api/readouts"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"title\":\"Before the outage\",\"worklist\":[{\"source\":\"local\",\"studyInstanceUid\":\""
                                        + CT_STUDY + "\"}]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        String readout = JSON.readTree(created.body()).path("id").asText();
        stopPostgres();
        startPostgres();

        // Recovery by itself: the pool drops its dead connections and opens new ones; no restart of MedSync.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (get(HttpClient.newHttpClient(), "/health").statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                fail("the server did not recover within 30 s of PostgreSQL's restart");
            }
            Thread.sleep(250);
        }
        JsonNode list = worklist();
        assertEquals(1, list.size(), list.toString());
        assertEquals(CT_STUDY, list.get(0).path("studyInstanceUid").asText());
        HttpResponse<String> r = get(attending, "/api/readouts/" + readout);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("Before the outage", JSON.readTree(r.body()).path("title").asText());
        assertEquals(
                200,
                get(server.login("resident"), "/dicomweb/local/studies/" + CT_STUDY + "/series")
                        .statusCode());
    }

    private static JsonNode worklist() throws Exception {
        HttpResponse<String> r = get(attending, "/api/worklist");
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static HttpResponse<String> get(HttpClient c, String path) throws Exception {
        return c.send(
                HttpRequest.newBuilder(server.http().resolve(path))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Path pgdata() {
        return server.dataDir().resolve("postgres");
    }

    /** A fast shutdown (SIGINT), as an administrator's pg_ctl stop -m fast: the server's connections are cut. */
    private static void stopPostgres() throws Exception {
        long pid = Long.parseLong(
                Files.readAllLines(pgdata().resolve("postmaster.pid")).get(0).trim());
        ProcessHandle pm = ProcessHandle.of(pid).orElseThrow();
        List<String> command = new ArrayList<>();
        command.add(pm.info().command().orElseThrow());
        command.addAll(List.of(pm.info().arguments().orElseThrow()));
        postmaster = command;
        assertEquals(
                0,
                new ProcessBuilder("kill", "-INT", Long.toString(pid)).start().waitFor());
        pm.onExit().get(30, TimeUnit.SECONDS);
    }

    private static void startPostgres() throws Exception {
        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("unshare", "-U")); // PostgreSQL refuses root; zonky starts it the same way
        }
        command.addAll(postmaster);
        restarted = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(pgdata().resolve("postmaster.pid"))
                || !Files.readString(pgdata().resolve("postmaster.pid")).contains("ready")) {
            if (!restarted.isAlive() || System.nanoTime() > deadline) {
                fail("PostgreSQL did not start again: " + command);
            }
            Thread.sleep(100);
        }
    }
}
