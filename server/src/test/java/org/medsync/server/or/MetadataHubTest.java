package org.medsync.server.or;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.medsync.dicom.Deidentification;
import org.medsync.gateway.flow.FlowGateway;
import org.medsync.library.source.JsonDeidentifier;
import org.medsync.rtv.metadata.DataElement;
import org.medsync.rtv.metadata.Dataset;
import org.medsync.rtv.metadata.Tags;
import org.medsync.rtv.metadata.TaiTimestamp;
import org.medsync.rtv.metadata.Vr;
import org.medsync.server.auth.Role;

class MetadataHubTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Dataset STATIC = Dataset.of(
            DataElement.text(Tags.PATIENT_NAME, Vr.PN, "DOE^JANE"),
            DataElement.text(Tags.PATIENT_ID, Vr.LO, "PID-4711"),
            DataElement.text(Tags.PATIENT_BIRTH_DATE, Vr.DA, "19700101"),
            DataElement.text(Tags.ACCESSION_NUMBER, Vr.SH, "ACC-0815"),
            DataElement.text(Tags.STUDY_DESCRIPTION, Vr.LO, "Laparoscopy"));

    private static final class ListSink implements MetadataHub.Sink {
        final List<String> messages = new CopyOnWriteArrayList<>();
        volatile int closed = -1;

        @Override
        public boolean send(String text) {
            messages.add(text);
            return true;
        }

        @Override
        public void close(int code, String reason) {
            closed = code;
        }

        List<JsonNode> await(int n) throws Exception {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (messages.size() < n && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(messages.size() >= n, messages.toString());
            return messages.stream().map(MetadataHubTest::read).toList();
        }
    }

    private static JsonNode read(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new AssertionError(s, e);
        }
    }

    private static Optional<Dataset> frame(long n) {
        return Optional.of(Dataset.of(DataElement.bytes(
                Tags.FRAME_ORIGIN_TIMESTAMP,
                TaiTimestamp.ofNanos(n * 100_000_000L).toBytes())));
    }

    @Test
    void aLateJoinerGetsTheStaticPartAtOnce_thenEachFrameTaggedWithItsTimestamp_andStudentsNoIdentity()
            throws Exception {
        MetadataHub hub = new MetadataHub();
        hub.deidentifier(new JsonDeidentifier(new Deidentification("hub-test-key")));
        FlowGateway.FrameListener flow = hub.flowStarted("or3/endoscope", "endoscope");
        OrSettings.Or or = new OrSettings.Or(
                "or3",
                "OR 3",
                "",
                List.of(new OrSettings.Flow("endoscope", "x.sdp")),
                Set.of(Role.ATTENDING),
                Set.of());
        flow.sent(9000, Optional.of(STATIC), frame(1)); // before anyone listens

        ListSink attending = new ListSink();
        ListSink student = new ListSink();
        assertTrue(
                hub.subscribe("or3/endoscope", "v1", false, MetadataSocket.hello(or, "endoscope", false), attending));
        assertTrue(hub.subscribe("or3/endoscope", "v2", true, MetadataSocket.hello(or, "endoscope", true), student));
        assertFalse(hub.subscribe("or9/x", "v3", false, MetadataSocket.hello(or, "x", false), new ListSink()));
        List<JsonNode> a = attending.await(2);
        assertEquals("hello", a.get(0).path("type").asText());
        assertEquals("00100010", a.get(0).path("overlay").path(0).path("tag").asText());
        assertEquals("static", a.get(1).path("type").asText(), "the static part at once");
        assertEquals(
                "DOE^JANE",
                a.get(1)
                        .path("dataset")
                        .path("00100010")
                        .path("Value")
                        .path(0)
                        .path("Alphabetic")
                        .asText());

        flow.sent(18000, Optional.of(STATIC), frame(2));
        flow.sent(27000, Optional.of(STATIC), frame(3));
        a = attending.await(4);
        assertEquals(18000, a.get(2).path("rtpTimestamp").asLong());
        assertEquals(27000, a.get(3).path("rtpTimestamp").asLong());
        assertEquals("frame", a.get(3).path("type").asText());
        assertTrue(a.get(3).path("dataset").has("00340007"), a.get(3).toString());
        assertEquals(4, attending.messages.size(), "an unchanged static part is not sent again");

        List<JsonNode> s = student.await(4);
        assertTrue(s.get(0).path("deidentified").asBoolean());
        assertEquals("static", s.get(1).path("type").asText());
        for (String m : student.messages) {
            for (String id : List.of("DOE^JANE", "PID-4711", "19700101", "ACC-0815")) {
                assertFalse(m.contains(id), id + " reached a student: " + m);
            }
        }

        hub.viewingEnded("v2", 1000, "the viewing ended");
        hub.flowStopped("or3/endoscope");
        long deadline = System.nanoTime() + 5_000_000_000L;
        while ((student.closed < 0 || attending.closed < 0) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(1000, student.closed);
        assertEquals(1001, attending.closed, "the flow stopped");
        assertEquals(0, hub.subscribers("or3/endoscope"));
    }

    @Test
    void withoutADeidentifierAStudentGetsNoDataSetAtAll() throws Exception {
        MetadataHub hub = new MetadataHub();
        FlowGateway.FrameListener flow = hub.flowStarted("or3/endoscope", "endoscope");
        flow.sent(9000, Optional.of(STATIC), frame(1));
        OrSettings.Or or = new OrSettings.Or(
                "or3", "OR 3", "", List.of(new OrSettings.Flow("endoscope", "x.sdp")), Set.of(Role.STUDENT), Set.of());
        ListSink student = new ListSink();
        hub.subscribe("or3/endoscope", "v", true, MetadataSocket.hello(or, "endoscope", true), student);
        assertEquals("{}", student.await(2).get(1).path("dataset").toString());
    }
}
