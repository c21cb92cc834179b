package org.medsync.dicom.worklist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import javax.json.Json;
import javax.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.medsync.dicom.worklist.WorklistException.Reason;
import org.medsync.testsupport.process.PeerProcess;
import org.medsync.testsupport.worklist.Wlmscpfs;

/**
 * C-FIND against dcmtk's wlmscpfs, the reference worklist SCP. Its database is a folder per called AE
 * title holding *.wl files and a "lockfile"; -csk returns the files' Specific Character Set (the default
 * -cs0 drops it, and a Latin-1 name would then decode as the default repertoire).
 */
@Timeout(30)
class WlmscpfsWorklistTest {
    private static final String AE = "OR_WORKLIST";
    private static final LocalDate TODAY = LocalDate.now();
    private static PeerProcess wlmscpfs;
    private static final WorklistClient CLIENT =
            new WorklistClient(new WorklistClient.Options(Duration.ofSeconds(8), 100));

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Wlmscpfs.installed(), "dcmtk is installed by scripts/setup --test");
        Path dir = Files.createTempDirectory("medsync-wlmscpfs-");
        WorklistFiles.write(dir.resolve("db").resolve(AE), TODAY);
        wlmscpfs = Wlmscpfs.start(dir, dir.resolve("db"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (wlmscpfs != null) {
            wlmscpfs.close();
        }
    }

    private static RemoteAe ae() {
        return new RemoteAe("127.0.0.1", wlmscpfs.port(), AE, "MEDSYNC_TEST");
    }

    @Test
    void today_returnsTheTwoProceduresOfToday_withEveryAttribute() throws Exception {
        List<WorklistItem> items = CLIENT.find(ae(), WorklistQuery.today());
        assertEquals(2, items.size(), items.toString());
        WorklistItem jane = items.stream()
                .filter(i -> "PID1001".equals(i.patientId()))
                .findFirst()
                .orElseThrow();
        assertEquals(
                new WorklistItem(
                        "DOE^JANE",
                        "PID1001",
                        LocalDate.of(1970, 3, 4),
                        "F",
                        "ACC1001",
                        WorklistFiles.JANE_STUDY_UID,
                        "RP1001",
                        "Cystoscopy with ultrasound guidance",
                        "WILSON^JAMES",
                        "SPS1001",
                        "Flexible cystoscopy",
                        LocalDateTime.of(TODAY, java.time.LocalTime.of(8, 30)),
                        "ES",
                        "OR1_ENDO",
                        "OR1",
                        "Operating room 1",
                        "HOUSE^GREGORY"),
                jane);
        WorklistItem anna = items.stream()
                .filter(i -> "PID1002".equals(i.patientId()))
                .findFirst()
                .orElseThrow();
        assertEquals(WorklistFiles.ANNA_NAME, anna.patientName(), "ISO_IR 100 decoded");
        assertEquals(LocalDateTime.of(TODAY, java.time.LocalTime.of(10, 15)), anna.scheduledStart(), "TM HHMM");
    }

    @Test
    void dateRange_includesTomorrow() throws Exception {
        List<WorklistItem> items =
                CLIENT.find(ae(), new WorklistQuery(TODAY, TODAY.plusDays(1), null, null, null, null, null));
        assertEquals(3, items.size());
        assertEquals(3, CLIENT.find(ae(), WorklistQuery.any()).size());
        assertEquals(0, CLIENT.find(ae(), WorklistQuery.on(TODAY.minusDays(1))).size());
    }

    @Test
    void matchingKeys_narrowTheList() throws Exception {
        List<WorklistItem> us = CLIENT.find(ae(), WorklistQuery.today().withModality("US"));
        assertEquals(
                List.of("PID1002"), us.stream().map(WorklistItem::patientId).toList());
        List<WorklistItem> endo = CLIENT.find(ae(), WorklistQuery.any().withStationAeTitle("OR1_ENDO"));
        assertEquals(2, endo.size());
        List<WorklistItem> doe = CLIENT.find(ae(), WorklistQuery.any().withPatientName("DOE*"));
        assertEquals(
                List.of("DOE^JANE"), doe.stream().map(WorklistItem::patientName).toList());
        assertEquals(
                List.of("ACC1003"),
                CLIENT.find(ae(), WorklistQuery.any().withAccessionNumber("ACC1003")).stream()
                        .map(WorklistItem::accessionNumber)
                        .toList());
    }

    @Test
    void item_asDicomJson_carriesPatientStudyAndProcedure() throws Exception {
        WorklistItem anna = CLIENT.find(ae(), WorklistQuery.today().withPatientId("PID1002"))
                .getFirst();
        JsonObject json =
                Json.createReader(new StringReader(anna.toDicomJson())).readObject();
        assertEquals(
                WorklistFiles.ANNA_NAME,
                json.getJsonObject("00100010")
                        .getJsonArray("Value")
                        .getJsonObject(0)
                        .getString("Alphabetic"));
        assertEquals("PN", json.getJsonObject("00100010").getString("vr"));
        assertEquals(
                "PID1002", json.getJsonObject("00100020").getJsonArray("Value").getString(0));
        assertEquals(
                "19851120", json.getJsonObject("00100030").getJsonArray("Value").getString(0));
        assertEquals(
                "ACC1002", json.getJsonObject("00080050").getJsonArray("Value").getString(0));
        assertEquals(
                "QUINN^MICHAELA",
                json.getJsonObject("00081050")
                        .getJsonArray("Value")
                        .getJsonObject(0)
                        .getString("Alphabetic"));
        assertEquals(
                "SPS1002", json.getJsonObject("00400009").getJsonArray("Value").getString(0));
        JsonObject request =
                json.getJsonObject("00400275").getJsonArray("Value").getJsonObject(0);
        assertEquals(
                "RP1002",
                request.getJsonObject("00401001").getJsonArray("Value").getString(0));
        assertEquals(
                "Renal ultrasound",
                request.getJsonObject("00321060").getJsonArray("Value").getString(0));
        assertNull(json.get("00200010"), "nothing we were not given");
    }

    @Test
    void wrongCalledAe_isRejected() {
        long t0 = System.nanoTime();
        WorklistException e = assertThrows(
                WorklistException.class,
                () -> CLIENT.find(new RemoteAe("127.0.0.1", wlmscpfs.port(), "NO_SUCH_AE"), WorklistQuery.today()));
        assertEquals(Reason.ASSOCIATION_REJECTED, e.reason(), e.toString());
        assertTrue(e.getMessage().contains("NO_SUCH_AE"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
    }
}
