package org.medsync.rtv.configurator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsync.rtv.control.ControlToken;

class OrConfigTest {
    private static final String MINIMAL = """
            {"worklist": {"host": "10.0.0.5", "port": 104, "calledAe": "RIS"},
             "transmitters": [{"control": "http://10.1.0.11:9001/", "tokenFile": "tokens/tx.token",
                               "destination": {"video": {"address": "239.1.1.1", "port": 5004},
                                               "metadata": {"address": "239.1.1.2", "port": 5006}}}],
             "receivers": [{"control": "http://10.1.0.21:9101", "tokenFile": "tokens/rx.token"}]}
            """;

    @TempDir
    Path dir;

    private ControlToken txToken;

    @BeforeEach
    void tokenFiles() throws Exception {
        txToken = ControlToken.loadOrCreate(dir.resolve("tokens/tx.token")).token();
        ControlToken.loadOrCreate(dir.resolve("tokens/rx.token"));
    }

    @Test
    void minimalFile_getsTheDocumentedDefaults() throws Exception {
        Path f = dir.resolve("or.json");
        try {
            Files.writeString(f, MINIMAL);
            OrConfig or = OrConfig.load(f);
            assertEquals("RIS@10.0.0.5:104", or.worklist().toString());
            assertEquals("MEDSYNC_RTV", or.worklist().callingAeTitle());
            assertEquals(8700, or.listen().getPort());
            TransmitterSetup tx = or.transmitters().getFirst();
            assertEquals("http://10.1.0.11:9001/SDP", tx.sdpUrl().toString(), "trailing slash dropped");
            assertEquals(VideoFormat.DEFAULT, tx.video());
            assertEquals(8, tx.destination().ttl());
            assertEquals(TransmitterSetup.VIDEO_ENDOSCOPIC, tx.sopClassUid());
            assertTrue(tx.token().matches(txToken.bearer()), "token file relative to the OR file");
            ReceiverSetup rx = or.receivers().getFirst();
            assertEquals(Overlay.DEFAULT, rx.overlay());
            assertEquals("side-by-side", rx.layout());
            assertEquals(40, rx.latencyMs());
            assertEquals(null, or.ptp(), "no ptp: free-running devices");
        } finally {
            Files.delete(f);
        }
    }

    @Test
    void ptp_setsEveryDevicesDomainAndSocket() throws Exception {
        OrConfig or = OrConfig.parse(MINIMAL.replace("{\"worklist\"", "{\"ptp\": {}, \"worklist\""), "or", dir);
        assertEquals(new PtpSetup(127, "/var/run/ptp4l"), or.ptp());
        or = OrConfig.parse(
                MINIMAL.replace(
                        "{\"worklist\"", "{\"ptp\": {\"domain\": 0, \"socket\": \"/run/ptp4l-or1\"}, \"worklist\""),
                "or",
                dir);
        assertEquals(
                "{\"domain\":0,\"socket\":\"/run/ptp4l-or1\"}",
                or.ptp().toJson().toString());
    }

    @Test
    void redundantDestinations_areReadAndSentToTheTransmitter() throws Exception {
        String redundant = MINIMAL.replace(
                "\"metadata\": {\"address\": \"239.1.1.2\", \"port\": 5006}}",
                "\"metadata\": {\"address\": \"239.1.1.2\", \"port\": 5006}, \"source\": \"10.1.0.11\","
                        + " \"secondary\": {\"video\": {\"address\": \"239.2.1.1\", \"port\": 5004},"
                        + " \"metadata\": {\"address\": \"239.2.1.2\", \"port\": 5006},"
                        + " \"source\": \"10.2.0.11\", \"interface\": \"eth1\"}}");
        Destination d =
                OrConfig.parse(redundant, "or", dir).transmitters().getFirst().destination();
        assertEquals(
                new Destination.Secondary(
                        new Destination.Endpoint("239.2.1.1", 5004),
                        new Destination.Endpoint("239.2.1.2", 5006),
                        "10.2.0.11",
                        "eth1"),
                d.secondary());
        assertEquals(
                "{\"video\":{\"address\":\"239.1.1.1\",\"port\":5004},\"metadata\":{\"address\":\"239.1.1.2\","
                        + "\"port\":5006},\"ttl\":8,\"source\":\"10.1.0.11\",\"secondary\":{\"video\":{\"address\":"
                        + "\"239.2.1.1\",\"port\":5004},\"metadata\":{\"address\":\"239.2.1.2\",\"port\":5006},"
                        + "\"source\":\"10.2.0.11\",\"interface\":\"eth1\"}}",
                d.toJson().toString(),
                "what PUT /config of the transmitter gets (docs/rtv-control.md destination.secondary)");
        assertEquals(
                null,
                OrConfig.parse(MINIMAL, "or", dir)
                        .transmitters()
                        .getFirst()
                        .destination()
                        .secondary());
        assertEquals(
                "transmitters[0].destination.secondary: the second path needs destinations of its own,"
                        + " 239.1.1.1:5004 is a primary one",
                message(redundant.replace("239.2.1.1", "239.1.1.1")));
        assertEquals(
                "transmitters[0].destination.secondary.video: both paths multicast, or both unicast",
                message(redundant.replace("239.2.1.1", "10.2.1.1")));
        assertEquals(
                "transmitters[0].destination.secondary.source must be a dotted IPv4 address, not \"nic2.local\"",
                message(redundant.replace("10.2.0.11", "nic2.local")));
        assertTrue(message(redundant.replace("\"eth1\"", "\"eth1; rm\""))
                .startsWith("transmitters[0].destination.secondary.interface must be a network interface name"));
        assertTrue(message(MINIMAL.replace("\"port\": 5006}}", "\"port\": 5006}, \"source\": \"10.1.0.11\"}"))
                .startsWith("transmitters[0].destination.source is the primary path's local address"));
        assertTrue(message(redundant.replace(
                        "\"port\": 5004}, \"metadata\": {\"address\": \"239.2.1.2\"",
                        "\"port\": \"5004\"}, \"metadata\": {\"address\": \"239.2.1.2\""))
                .startsWith("transmitters[0].destination.secondary.video.port must be an integer"));
    }

    @Test
    void mistakes_areNamedByField() {
        assertEquals("worklist.calledAe is required", message(MINIMAL.replace("\"calledAe\": \"RIS\"", "\"x\": 1")));
        assertTrue(message(MINIMAL.replace("\"RIS\"", "\"A_CALLED_AE_TOO_LONG\""))
                .startsWith("worklist: called AE title"));
        assertEquals(
                "transmitters[0].destination.video.address must be an IPv4 or IPv6 literal, not \"endo.local\"",
                message(MINIMAL.replace("239.1.1.1", "endo.local")));
        assertTrue(message(MINIMAL.replace("\"port\": 5006", "\"port\": 5004").replace("239.1.1.2", "239.1.1.1"))
                .contains("need different ports"));
        assertTrue(message(MINIMAL.replace("http://10.1.0.21:9101", "ftp://x"))
                .startsWith("receivers[0].control must be an http:// URL"));
        assertTrue(message(MINIMAL.replace(
                        "\"control\": \"http://10.1.0.21:9101\"",
                        "\"control\": \"http://10.1.0.21:9101\", \"overlay\": {\"zone\": 10}"))
                .startsWith("receivers[0].overlay.zone must be 1..9"));
        assertTrue(message(MINIMAL.replace(
                        "\"control\": \"http://10.1.0.21:9101\"",
                        "\"control\": \"http://10.1.0.21:9101\", \"overlay\": {\"attributes\": [\"PatientName\"]}"))
                .startsWith("receivers[0].overlay.attributes[0] must be a tag of 8 hex digits"));
        assertTrue(message(MINIMAL.replace(
                        "\"control\": \"http://10.1.0.11:9001/\",",
                        "\"control\": \"http://10.1.0.11:9001/\", \"video\": {\"rate\": \"fifty\"},"))
                .startsWith("transmitters[0].video.rate"));
        assertEquals(
                "transmitters[0].video.rate must be a string",
                message(MINIMAL.replace(
                        "\"control\": \"http://10.1.0.11:9001/\",",
                        "\"control\": \"http://10.1.0.11:9001/\", \"video\": {\"rate\": 50},")),
                "a rate given as a number is refused, not coerced");
        assertTrue(message(MINIMAL.replace(
                        "\"control\": \"http://10.1.0.11:9001/\",",
                        "\"control\": \"http://10.1.0.11:9001/\", \"video\": {\"width\": \"1280\"},"))
                .startsWith("transmitters[0].video.width must be an integer"));
        assertTrue(message(MINIMAL.replace(
                        "\"control\": \"http://10.1.0.11:9001/\",",
                        "\"control\": \"http://10.1.0.11:9001/\", \"sopClassUid\": \"1.2.3\","))
                .startsWith("transmitters[0].sopClassUid"));
        assertTrue(message("{\"worklist\": ").contains("not valid JSON"));
        assertEquals(
                "ptp.domain must be 0..127, not 128",
                message(MINIMAL.replace("{\"worklist\"", "{\"ptp\": {\"domain\": 128}, \"worklist\"")));
        assertTrue(message(MINIMAL.replace("{\"worklist\"", "{\"ptp\": {\"socket\": \"run/ptp4l\"}, \"worklist\""))
                .startsWith("ptp.socket must be an absolute path"));
    }

    @Test
    void dicomJsonCheck_acceptsPs318Objects_andNamesTheProblem() throws Exception {
        Configurator.checkDicomJson(
                Input.parse(
                        "{\"00209164\":{\"vr\":\"FD\",\"Value\":[1.5]},"
                                + "\"00209113\":{\"vr\":\"SQ\",\"Value\":[{}]}}",
                        "t"),
                "dynamic");
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> Configurator.checkDicomJson(Input.parse("{\"00209164\":{\"Value\":[1]}}", "t"), "dynamic"));
        assertEquals("dynamic: attribute 00209164 needs an object with a two-letter \"vr\"", e.getMessage());
        assertThrows(ConfigException.class, () -> Configurator.checkDicomJson(Input.parse("{}", "t"), "dynamic"));
        assertThrows(ConfigException.class, () -> Configurator.checkDicomJson(Input.parse("[1]", "t"), "dynamic"));
    }

    @Test
    void deviceWithoutAUsableTokenFile_isNamed() throws Exception {
        assertEquals(
                "transmitters[0].tokenFile is required",
                message(MINIMAL.replace("\"tokenFile\": \"tokens/tx.token\",", "")));
        assertTrue(message(MINIMAL.replace("tokens/rx.token", "tokens/none.token"))
                .startsWith("receivers[0].tokenFile: "));
        Files.setPosixFilePermissions(dir.resolve("tokens/rx.token"), PosixFilePermissions.fromString("rw-r--r--"));
        assertTrue(message(MINIMAL).contains("only its owner may read it"), message(MINIMAL));
    }

    private String message(String json) {
        return assertThrows(ConfigException.class, () -> OrConfig.parse(json, "or.json", dir))
                .getMessage();
    }
}
