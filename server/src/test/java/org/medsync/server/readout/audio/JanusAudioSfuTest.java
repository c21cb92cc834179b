package org.medsync.server.readout.audio;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.medsync.conference.protocol.AudioLeg;
import org.medsync.conference.protocol.ServerMessage;
import org.medsync.conference.protocol.SignalKind;
import org.medsync.conference.signaling.AudioSfu;
import org.medsync.server.janus.EmbeddedJanus;
import org.medsync.server.janus.JanusSession;

/**
 * The Janus client and room lifecycle against Debian's real Janus, started by {@link JanusAudioSfu} itself: a room
 * exists on Janus while open and is gone after close, a publish offer gets Janus's answer, Janus's refusals come
 * back as refusals, a Janus that dies fails its rooms and the next room starts a new one, and closing the SFU stops
 * the process.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class JanusAudioSfuTest {
    /** A browser-like audio-only publish offer (Chromium's shape): Janus answers it without any media flowing. */
    static final String OFFER = String.join(
            "\r\n",
            "v=0",
            "o=- 4611731400430051336 2 IN IP4 127.0.0.1",
            "s=-",
            "t=0 0",
            "a=group:BUNDLE 0",
            "a=msid-semantic: WMS s",
            "m=audio 9 UDP/TLS/RTP/SAVPF 111",
            "c=IN IP4 0.0.0.0",
            "a=rtcp:9 IN IP4 0.0.0.0",
            "a=ice-ufrag:Ab1c",
            "a=ice-pwd:0123456789abcdefghijklmn",
            "a=ice-options:trickle",
            "a=fingerprint:sha-256 6B:8B:5D:EA:59:04:20:23:29:C8:87:1C:CC:87:32:BE:DD:8C:66:A5:8E:50:55:EA:8C:D3:B6:5C:09:5E:D6:BC",
            "a=setup:actpass",
            "a=mid:0",
            "a=sendonly",
            "a=msid:s t",
            "a=rtcp-mux",
            "a=rtpmap:111 opus/48000/2",
            "a=fmtp:111 minptime=10;useinbandfec=1",
            "");

    private JanusAudioSfu sfu;

    private record Sent(int peer, ServerMessage.Audio message) {}

    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

    private final AudioSfu.Events recorder = new AudioSfu.Events() {
        @Override
        public void send(int peer, ServerMessage.Audio message) {
            events.add(new Sent(peer, message));
        }

        @Override
        public void refused(int peer, String detail) {
            events.add("refused " + peer + ": " + detail);
        }

        @Override
        public void failed(String reason) {
            events.add("failed: " + reason);
        }
    };

    @BeforeEach
    void start() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/janus")), "Janus is installed by scripts/setup");
        Properties p = new Properties();
        p.setProperty("readout.audio-sfu.interfaces", "lo");
        p.setProperty("readout.audio-sfu.ports", "42200-42299");
        sfu = new JanusAudioSfu(AudioSfuSettings.from(p));
    }

    @AfterEach
    void stop() {
        if (sfu != null) {
            sfu.close();
        }
        ProcessHandle.current()
                .descendants()
                .filter(h -> h.info().command().map(c -> c.endsWith("/janus")).orElse(false))
                .forEach(ProcessHandle::destroyForcibly);
    }

    private Object next() throws InterruptedException {
        Object e = events.poll(30, TimeUnit.SECONDS);
        assertNotNull(e, "the SFU reported nothing within 30 s");
        return e;
    }

    /** Asks Janus (with a session of our own) whether the room exists. */
    private boolean exists(long room) throws Exception {
        JanusAudioSfu.Endpoint e = sfu.endpoint();
        try (JanusSession s =
                JanusSession.create(HttpClient.newHttpClient(), e.api(), e.apiSecret(), Duration.ofSeconds(10))) {
            JsonNode r = s.attach("janus.plugin.videoroom", ev -> {})
                    .message(
                            JanusSession.JSON
                                    .createObjectNode()
                                    .put("request", "exists")
                                    .put("room", room),
                            null);
            return r.path("exists").asBoolean();
        }
    }

    @Test
    void roomLifecycle_publishAnswered_refusalsReported_processStopped() throws Exception {
        assertEquals(-1, sfu.embeddedPid(), "Janus starts on first use");
        AudioSfu.Room room = sfu.open("r1", recorder);
        long id = JanusAudioSfu.roomId(room);
        room.join(1);
        room.join(2);
        room.publish(1, OFFER);
        Sent answer = (Sent) next();
        assertEquals(1, answer.peer());
        assertEquals(AudioLeg.PUBLISH, answer.message().leg());
        assertEquals(SignalKind.ANSWER, answer.message().kind());
        assertTrue(
                answer.message().payload().startsWith("v=0")
                        && answer.message().payload().contains("opus/48000/2"),
                answer.message().payload());
        assertTrue(answer.message().payload().contains("a=recvonly"), "Janus receives the feed");
        long pid = sfu.embeddedPid();
        assertTrue(pid > 0);
        assertTrue(exists(id), "the room exists on Janus while the readout is in relay mode");

        // Janus's own refusals come back per participant, the room goes on.
        room.subscribed(2, "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n");
        assertEquals("refused 2: subscribe: no subscribe offer is pending", next());
        room.publish(2, "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n");
        String refusal = (String) next();
        assertTrue(refusal.startsWith("refused 2: publish: joinandconfigure: "), refusal);
        assertThrows(IllegalArgumentException.class, () -> room.candidate(1, AudioLeg.PUBLISH, "{\"candidate\": 1}"));
        assertThrows(IllegalArgumentException.class, () -> room.candidate(1, AudioLeg.PUBLISH, "not json"));
        room.candidate(
                1,
                AudioLeg.PUBLISH,
                "{\"candidate\":\"candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}");
        room.publish(1, OFFER); // a new offer replaces the feed
        assertEquals(SignalKind.ANSWER, ((Sent) next()).message().kind());

        room.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (exists(id) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertFalse(exists(id), "closing the room destroys it on Janus");
        assertTrue(events.isEmpty(), "nothing failed: " + events);

        ProcessHandle janus =
                ProcessHandle.of(pid).orElseThrow().children().findFirst().orElseThrow();
        sfu.close();
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the watchdog stops with the SFU");
        assertFalse(janus.isAlive(), "Janus stops with the SFU");
        sfu = null;
    }

    @Test
    void watchdog_stopsJanus_whenItsParentIsKilled() throws Exception {
        // The outer shell stands in for a server JVM killed with SIGKILL, "sleep 300" for Janus.
        Process parent = new ProcessBuilder(
                        "/bin/sh", "-c", "/bin/sh -c \"$1\" sleep 300 & wait", "parent", EmbeddedJanus.WATCHDOG)
                .start();
        ProcessHandle child = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (child == null && System.nanoTime() < deadline) {
            child = parent.descendants()
                    .filter(h -> h.info().command().orElse("").endsWith("/sleep"))
                    .findFirst()
                    .orElse(null);
            Thread.sleep(50);
        }
        assertNotNull(child, "the watchdog started its program");
        parent.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        try {
            child.onExit().get(15, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            child.destroyForcibly();
            fail("the program outlived its server by 15 s");
        }
    }

    @Test
    void janusDying_failsItsRooms_nextRoomStartsAnew() throws Exception {
        AudioSfu.Room room = sfu.open("r2", recorder);
        room.publish(1, OFFER);
        assertInstanceOf(Sent.class, next());
        long pid = sfu.embeddedPid();
        ProcessHandle janus =
                ProcessHandle.of(pid).orElseThrow().children().findFirst().orElseThrow();
        assertTrue(janus.info().command().orElse("").endsWith("/janus"), "Janus runs under its watchdog shell");
        janus.destroyForcibly();
        assertTrue(((String) next()).startsWith("failed: "), "the room reports the loss");
        AudioSfu.Room again = sfu.open("r3", recorder);
        again.publish(1, OFFER);
        assertInstanceOf(Sent.class, next());
        assertNotEquals(pid, sfu.embeddedPid(), "a new Janus serves the new room");
    }
}
