package org.medsync.dicom.worklist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.medsync.dicom.worklist.WorklistException.Reason;
import org.medsync.testsupport.net.LoopbackPorts;
import org.medsync.testsupport.process.PeerProcess;
import org.medsync.testsupport.worklist.WorklistDatabase;

/**
 * C-FIND against Orthanc's ModalityWorklists plugin (a folder of *.wl files; no per-AE folder, no
 * lockfile). DicomCheckCalledAet is on so that a wrong called AE title is rejected as a RIS would.
 */
@Timeout(30)
class OrthancWorklistTest {
    private static final Path PLUGIN = Path.of("/usr/share/orthanc/plugins/libModalityWorklists.so");
    private static final String AE = "ORTHANC_MWL";
    private static final LocalDate TODAY = LocalDate.now();
    private static final WorklistClient CLIENT =
            new WorklistClient(new WorklistClient.Options(Duration.ofSeconds(8), 100));
    private static PeerProcess orthanc;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(
                Files.isExecutable(Path.of("/usr/sbin/Orthanc"))
                        && Files.exists(PLUGIN)
                        && WorklistDatabase.dump2dcmInstalled(),
                "Orthanc and dcmtk are installed by scripts/setup --test");
        Path dir = Files.createTempDirectory("medsync-orthanc-mwl-");
        WorklistFiles.write(dir.resolve("worklists"), TODAY);
        int http = LoopbackPorts.free();
        int dicom = LoopbackPorts.free();
        Files.writeString(dir.resolve("orthanc.json"), """
                {
                  "Name": "MedSyncTestRIS",
                  "StorageDirectory": "%1$s/storage",
                  "IndexDirectory": "%1$s/storage",
                  "HttpPort": %2$d,
                  "DicomPort": %3$d,
                  "DicomAet": "%4$s",
                  "DicomCheckCalledAet": true,
                  "RemoteAccessAllowed": false,
                  "AuthenticationEnabled": false,
                  "DicomAlwaysAllowFindWorklist": true,
                  "Plugins": ["%5$s"],
                  "Worklists": {"Enable": true, "Database": "%1$s/worklists"}
                }
                """.formatted(dir, http, dicom, AE, PLUGIN));
        orthanc = PeerProcess.start(
                List.of("/usr/sbin/Orthanc", dir.resolve("orthanc.json").toString()),
                dir,
                dicom,
                Duration.ofSeconds(20));
    }

    @AfterAll
    static void stop() throws Exception {
        if (orthanc != null) {
            orthanc.close();
        }
    }

    private static RemoteAe ae() {
        return new RemoteAe("127.0.0.1", orthanc.port(), AE);
    }

    @Test
    void today_returnsTheTwoProceduresOfToday() throws Exception {
        List<WorklistItem> items = CLIENT.find(ae(), WorklistQuery.today());
        assertEquals(
                List.of("PID1001", "PID1002"),
                items.stream().map(WorklistItem::patientId).sorted().toList(),
                items.toString());
        WorklistItem jane = items.stream()
                .filter(i -> "PID1001".equals(i.patientId()))
                .findFirst()
                .orElseThrow();
        assertEquals("DOE^JANE", jane.patientName());
        assertEquals("ACC1001", jane.accessionNumber());
        assertEquals(WorklistFiles.JANE_STUDY_UID, jane.studyInstanceUid());
        assertEquals("SPS1001", jane.scheduledProcedureStepId());
        assertEquals("HOUSE^GREGORY", jane.performingPhysician());
        assertEquals(TODAY.atTime(LocalTime.of(8, 30)), jane.scheduledStart());
        assertEquals("ES", jane.modality());
        WorklistItem anna = items.stream()
                .filter(i -> "PID1002".equals(i.patientId()))
                .findFirst()
                .orElseThrow();
        assertEquals(WorklistFiles.ANNA_NAME, anna.patientName());
    }

    @Test
    void modalityAndRange_match() throws Exception {
        assertEquals(
                List.of("PID1002"),
                CLIENT.find(ae(), WorklistQuery.today().withModality("US")).stream()
                        .map(WorklistItem::patientId)
                        .toList());
        assertEquals(
                3,
                CLIENT.find(ae(), new WorklistQuery(TODAY, TODAY.plusDays(1), null, null, null, null, null))
                        .size());
    }

    @Test
    void wrongCalledAe_isRejected() {
        WorklistException e = assertThrows(
                WorklistException.class,
                () -> CLIENT.find(new RemoteAe("127.0.0.1", orthanc.port(), "NOT_ORTHANC"), WorklistQuery.today()));
        assertEquals(Reason.ASSOCIATION_REJECTED, e.reason(), e.toString());
    }
}
