package org.medsync.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsync.library.importer.StudyImporter;
import org.medsync.server.demo.DemoContent;
import org.slf4j.LoggerFactory;

/**
 * What a local user of the server's host, or whoever reads its log, could take: nothing. The data directory is
 * the server's alone, and no password, key, token or cookie is ever logged.
 */
class StoredSecretsTest {
    private static final Path CT_SMALL = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm");
    private static final String TURN_SECRET = "turn-static-auth-secret-4f1e9b";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ListAppender<ILoggingEvent> LOG = new ListAppender<>();
    private static final Logger MEDSYNC = (Logger) LoggerFactory.getLogger("org.medsync");
    private static Level medsyncLevel;
    private static TestServer server;
    private static int databasePort;

    @BeforeAll
    static void start() throws Exception {
        LOG.start();
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(LOG);
        // Our own debug lines too: a secret must not hide at a level that is off by default.
        medsyncLevel = MEDSYNC.getLevel();
        MEDSYNC.setLevel(Level.DEBUG);
        try (ServerSocket s = new ServerSocket(0)) {
            databasePort = s.getLocalPort();
        }
        Properties p = new Properties();
        p.setProperty("db.embedded-port", String.valueOf(databasePort));
        p.setProperty("readout.turn.urls", "turn:127.0.0.1:3478");
        p.setProperty("readout.turn.secret", TURN_SECRET);
        server = TestServer.start(false, p);
    }

    @AfterAll
    static void stop() throws Exception {
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(LOG);
        MEDSYNC.setLevel(medsyncLevel);
        server.close();
    }

    @Test
    void freshServeDataDirectoryIsClosedToOtherLocalUsers() throws Exception {
        var report = server.server()
                .library()
                .importer()
                .importFiles(List.of(new StudyImporter.Candidate(CT_SMALL, "CT_small.dcm")));
        assertEquals(1, report.imported() + report.duplicates());
        Set<PosixFilePermission> groupOrOther = EnumSet.of(
                PosixFilePermission.GROUP_READ,
                PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_EXECUTE,
                PosixFilePermission.OTHERS_READ,
                PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_EXECUTE);
        List<String> open = new ArrayList<>();
        int checked = 0;
        try (var walk = Files.walk(server.dataDir())) {
            for (Path f : walk.toList()) {
                Set<PosixFilePermission> perms = EnumSet.copyOf(Files.getPosixFilePermissions(f));
                perms.retainAll(groupOrOther);
                if (!perms.isEmpty()) {
                    open.add(server.dataDir().relativize(f) + " " + perms);
                }
                checked++;
            }
        }
        assertTrue(
                Files.exists(server.dataDir().resolve("tls/medsync.p12")),
                "the generated TLS keystore is among the files checked");
        assertTrue(
                Files.exists(server.dataDir().resolve("postgres.password")),
                "the database password is among the files checked");
        try (var dcm = Files.walk(server.dataDir().resolve("studies"))) {
            assertTrue(
                    dcm.anyMatch(f -> f.toString().endsWith(".dcm")), "a stored instance is among the files checked");
        }
        assertTrue(open.isEmpty(), "of " + checked + " files and directories, readable by others: " + open);
    }

    @Test
    void dataDirectoryOfAnEarlierVersionIsClosedAtStart(@TempDir Path parent) throws Exception {
        // What earlier versions left: the umask's 0755 directories and 0644 files.
        Path data = Files.createDirectories(parent.resolve("medsync-data"));
        Path studies = Files.createDirectories(data.resolve("studies/1.2.3"));
        Path keystore = Files.createDirectories(data.resolve("tls")).resolve("medsync.p12");
        Files.write(keystore, new byte[] {1});
        for (Path p : List.of(data, data.resolve("studies"), studies, data.resolve("tls"))) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.setPosixFilePermissions(keystore, PosixFilePermissions.fromString("rw-r--r--"));
        MedSyncServer.restrictDataDirectory(data);
        assertEquals(PosixFilePermissions.fromString("rwx------"), Files.getPosixFilePermissions(data));
        assertEquals(
                PosixFilePermissions.fromString("rwx------"), Files.getPosixFilePermissions(data.resolve("studies")));
        assertEquals(PosixFilePermissions.fromString("rwx------"), Files.getPosixFilePermissions(data.resolve("tls")));
        // Below the top level nothing is walked (millions of study files): the closed parent keeps others out.
        assertEquals(PosixFilePermissions.fromString("rwxr-xr-x"), Files.getPosixFilePermissions(studies));
        assertEquals(PosixFilePermissions.fromString("rw-r--r--"), Files.getPosixFilePermissions(keystore));
    }

    @Test
    void noSecretReachesTheLogDuringStartLoginInviteAndReadout() throws Exception {
        CookieManager cookies = new CookieManager();
        HttpClient attending = HttpClient.newBuilder().cookieHandler(cookies).build();
        assertEquals(
                200,
                post(
                                attending,
                                "/api/session",
                                "{\"username\":\"attending\",\"password\":\"" + DemoContent.PASSWORD + "\"}")
                        .statusCode());
        post(
                HttpClient.newHttpClient(),
                "/api/session",
                "{\"username\":\"attending\",\"password\":\"a-mistyped-Passw0rd\"}");
        HttpResponse<String> created = post(
                attending,
                "/api/readouts",
                "{\"title\":\"Morning\",\"worklist\":[{\"source\":\"local\",\"studyInstanceUid\":\"1.2.3\"}]}");
        assertEquals(201, created.statusCode(), created.body());
        String readout = JSON.readTree(created.body()).path("id").asText();
        HttpResponse<String> invited =
                post(attending, "/api/readouts/" + readout + "/invites", "{\"role\":\"student\",\"minutes\":30}");
        assertEquals(201, invited.statusCode(), invited.body());
        String token = JSON.readTree(invited.body()).path("token").asText();
        CookieManager guestCookies = new CookieManager();
        HttpClient guest = HttpClient.newBuilder().cookieHandler(guestCookies).build();
        assertEquals(
                200,
                post(guest, "/api/readouts/join", "{\"token\":\"" + token + "\",\"name\":\"Visitor\"}")
                        .statusCode());
        post(
                HttpClient.newHttpClient(),
                "/api/readouts/join",
                "{\"token\":\"" + token.substring(0, token.length() - 2) + "xx\"}");
        assertEquals(
                200,
                attending
                        .send(
                                HttpRequest.newBuilder(server.http().resolve("/api/readouts/" + readout))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode());
        // The signaling socket hands out the TURN credentials derived from the secret.
        WebSocket ws = attending
                .newWebSocketBuilder()
                .buildAsync(
                        URI.create("ws://" + server.http().getAuthority() + "/ws/readouts/" + readout),
                        new WebSocket.Listener() {})
                .join();
        Thread.sleep(300);
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();

        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("demo password", DemoContent.PASSWORD);
        secrets.put("mistyped password", "a-mistyped-Passw0rd");
        secrets.put("invite token", token);
        secrets.put("TURN secret", TURN_SECRET);
        String dbPassword =
                Files.readString(server.dataDir().resolve("postgres.password")).trim();
        secrets.put("database password", dbPassword);
        for (HttpCookie c : cookies.getCookieStore().getCookies()) {
            secrets.put("session cookie", c.getValue());
        }
        for (HttpCookie c : guestCookies.getCookieStore().getCookies()) {
            secrets.put("guest session cookie", c.getValue());
        }
        Properties login = new Properties();
        login.setProperty("user", "postgres");
        login.setProperty("password", dbPassword);
        try (Connection c = DriverManager.getConnection(
                        "jdbc:postgresql://127.0.0.1:" + databasePort + "/postgres", login);
                Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("select name, value from installation_setting")) {
                while (r.next()) {
                    secrets.put(r.getString(1), r.getString(2));
                }
            }
            try (ResultSet r = s.executeQuery("select password_hash from account limit 1")) {
                assertTrue(r.next());
                secrets.put("a password hash", r.getString(1));
            }
        }
        assertTrue(
                secrets.containsKey("readout.invite-key")
                        && secrets.containsKey("deidentify.salt")
                        && secrets.containsKey("tls.keystore-password")
                        && secrets.containsKey("session cookie"),
                secrets.keySet().toString());

        List<String> log = LOG.list.stream()
                .map(e -> e.getFormattedMessage()
                        + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy())))
                .toList();
        assertTrue(
                log.stream().anyMatch(l -> l.startsWith("Invite ") && l.contains(" to readout ")),
                "the log of the invite was captured");
        for (var secret : secrets.entrySet()) {
            assertFalse(secret.getValue().length() < 8, secret.getKey() + " is too short to be searched for");
            for (String line : log) {
                assertFalse(line.contains(secret.getValue()), "the " + secret.getKey() + " is in the log: " + line);
            }
        }
    }

    @Test
    void settingsNeverPrintTheirSecrets() {
        Properties p = new Properties();
        p.setProperty("db.url", "jdbc:postgresql://db.internal:5432/medsync");
        p.setProperty("db.password", "db-secret-81f2");
        p.setProperty("tls.keystore-password", "keystore-secret-0c5d");
        p.setProperty("sources", "pacs");
        p.setProperty("source.pacs.url", "http://pacs.internal/dicom-web");
        p.setProperty("source.pacs.user", "medsync");
        p.setProperty("source.pacs.password", "pacs-secret-77aa");
        p.setProperty("readout.turn.urls", "turn:turn.internal:3478");
        p.setProperty("readout.turn.secret", "turn-secret-1b9e");
        p.setProperty("readout.audio-sfu.url", "http://janus.internal:8088/janus");
        p.setProperty("readout.audio-sfu.secret", "janus-secret-3d40");
        p.setProperty("cluster.redis-url", "redis://:redis-secret-5e21@redis.internal:6379/0");
        String printed = org.medsync.server.config.ServerConfig.from(p).toString();
        assertTrue(
                printed.contains("db.internal")
                        && printed.contains("pacs.internal")
                        && printed.contains("redis.internal"),
                printed);
        for (String secret : List.of(
                "db-secret-81f2",
                "keystore-secret-0c5d",
                "pacs-secret-77aa",
                "turn-secret-1b9e",
                "janus-secret-3d40",
                "redis-secret-5e21")) {
            assertFalse(printed.contains(secret), secret + " printed: " + printed);
        }
    }

    private static HttpResponse<String> post(HttpClient c, String path, String json) throws Exception {
        return c.send(
                HttpRequest.newBuilder(server.http().resolve(path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
