package org.medsync.server.or;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ViewerMessagesTest {
    private static String refused(ThrowingCall c) {
        OrException e = assertThrows(OrException.class, c::call);
        assertEquals(OrException.Reason.BAD_REQUEST, e.reason());
        return e.getMessage();
    }

    private interface ThrowingCall {
        void call() throws OrException;
    }

    @Test
    void watch_takesAnEmptyBodyOrAFlowName() throws Exception {
        assertNull(ViewerMessages.watch(""));
        assertNull(ViewerMessages.watch("{}"));
        assertEquals("endoscope", ViewerMessages.watch("{\"flow\":\"endoscope\"}"));
        assertTrue(refused(() -> ViewerMessages.watch("{\"flow\":\"../x\"}")).contains("flow name"));
        assertTrue(refused(() -> ViewerMessages.watch("{\"flow\":3}")).contains("flow name"));
        assertTrue(refused(() -> ViewerMessages.watch("{\"other\":1}")).contains("unknown field 'other'"));
        assertTrue(refused(() -> ViewerMessages.watch("[1]")).contains("JSON object"));
        assertTrue(refused(() -> ViewerMessages.watch("{")).contains("not JSON"));
    }

    @Test
    void answer_isAnSdpWithoutControlCharacters() throws Exception {
        assertEquals(
                "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\n",
                ViewerMessages.answer("{\"sdp\":\"v=0\\r\\no=- 1 1 IN IP4 0.0.0.0\\r\\n\"}"));
        assertTrue(refused(() -> ViewerMessages.answer("{\"sdp\":\"hello\"}")).contains("v=0"));
        assertTrue(
                refused(() -> ViewerMessages.answer("{\"sdp\":\"v=0\\u0000\"}")).contains("control character at 3"));
        assertTrue(refused(() -> ViewerMessages.answer("{}")).contains("answer's SDP"));
        assertTrue(refused(() -> ViewerMessages.answer("{\"sdp\":\"v=0" + "a".repeat(ViewerMessages.MAX_SDP) + "\"}"))
                .contains("at most"));
    }

    @Test
    void candidates_areCheckedAndRebuilt() throws Exception {
        ViewerMessages.Candidates c = ViewerMessages.candidates("{\"candidates\":[{\"candidate\":"
                + "\"candidate:1 1 udp 2122260223 10.0.0.2 40000 typ host\",\"sdpMid\":\"v\",\"sdpMLineIndex\":0,"
                + "\"usernameFragment\":\"ab\"}],\"completed\":true}");
        assertEquals(1, c.candidates().size());
        assertTrue(c.completed());
        assertEquals(
                List.of("candidate", "sdpMid", "sdpMLineIndex"),
                iterable(c.candidates().getFirst().fieldNames()));
        assertTrue(refused(() -> ViewerMessages.candidates("{\"candidates\":[{\"candidate\":\"a\\nb\"}]}"))
                .contains("printable ASCII"));
        assertTrue(refused(() ->
                        ViewerMessages.candidates("{\"candidates\":[{\"candidate\":\"x\",\"sdpMLineIndex\":99}]}"))
                .contains("0..15"));
        assertTrue(
                refused(() -> ViewerMessages.candidates("{\"candidates\":[{\"candidate\":\"x\",\"sdpMid\":\"a b\"}]}"))
                        .contains("sdpMid"));
        assertTrue(
                refused(() -> ViewerMessages.candidates("{\"candidates\":[1]}")).contains("object"));
        assertTrue(refused(() -> ViewerMessages.candidates("{\"completed\":\"yes\"}"))
                .contains("true or false"));
        StringBuilder many = new StringBuilder("{\"candidates\":[");
        for (int i = 0; i < 65; i++) {
            many.append(i == 0 ? "" : ",").append("{\"candidate\":\"x\"}");
        }
        assertTrue(refused(() -> ViewerMessages.candidates(many + "]}")).contains("at most 64"));
    }

    /** Garbage of every kind is refused as a bad request, never with another exception. */
    @Test
    void randomBytes_areRefusedCleanly() {
        Random r = new Random(12);
        for (int i = 0; i < 5000; i++) {
            byte[] b = new byte[r.nextInt(200)];
            r.nextBytes(b);
            String s = r.nextBoolean()
                    ? new String(b, StandardCharsets.ISO_8859_1)
                    : "{\"candidates\":[{\"candidate\":" + new String(b, StandardCharsets.UTF_8);
            for (ThrowingCall c : List.<ThrowingCall>of(
                    () -> ViewerMessages.watch(s),
                    () -> ViewerMessages.answer(s),
                    () -> ViewerMessages.candidates(s))) {
                try {
                    c.call();
                } catch (OrException e) {
                    assertEquals(OrException.Reason.BAD_REQUEST, e.reason());
                }
            }
        }
    }

    private static List<String> iterable(Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    @Test
    void talkBodies_areASideAndAnOffer_orOnOff() throws Exception {
        ViewerMessages.TalkJoin j = ViewerMessages.talkJoin("{\"side\":\"station\",\"sdp\":\"v=0\\r\\n\"}");
        assertEquals(TalkBack.Side.STATION, j.side());
        assertEquals("v=0\r\n", j.offerSdp());
        assertEquals(
                TalkBack.Side.REMOTE,
                ViewerMessages.talkJoin("{\"side\":\"remote\",\"sdp\":\"v=0\"}").side());
        assertTrue(refused(() -> ViewerMessages.talkJoin("{\"side\":\"or\",\"sdp\":\"v=0\"}"))
                .contains("side must be"));
        assertTrue(
                refused(() -> ViewerMessages.talkJoin("{\"side\":\"remote\"}")).contains("offer's SDP"));
        assertTrue(refused(() -> ViewerMessages.talkJoin("{\"side\":\"remote\",\"sdp\":\"x\"}"))
                .contains("v=0"));
        assertTrue(refused(() -> ViewerMessages.talkJoin("{\"side\":\"remote\",\"sdp\":\"v=0\",\"id\":1}"))
                .contains("unknown field 'id'"));
        assertTrue(ViewerMessages.talking("{\"talking\":true}"));
        assertTrue(!ViewerMessages.talking("{\"talking\":false}"));
        assertTrue(refused(() -> ViewerMessages.talking("{\"talking\":1}")).contains("true or false"));
        assertTrue(refused(() -> ViewerMessages.talking("{}")).contains("true or false"));
        assertTrue(refused(() -> ViewerMessages.talking("nope")).contains("not JSON"));
    }
}
