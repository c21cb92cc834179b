package org.medsync.dicom.worklist;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.medsync.testsupport.worklist.ScheduledProcedure;
import org.medsync.testsupport.worklist.WorklistDatabase;

/**
 * The worklist behind these tests, as files for real worklist SCPs: two procedures today (an endoscopy and an
 * ultrasound, one patient with a Latin-1 name) and one tomorrow.
 */
final class WorklistFiles {
    static final String JANE_STUDY_UID = "1.2.826.0.1.3680043.10.1337.1001";
    static final String ANNA_NAME = "MÜLLER^ANNA";

    private WorklistFiles() {}

    /** Writes the three .wl files and an empty lockfile into {@code dir}. */
    static void write(Path dir, LocalDate today) throws IOException, InterruptedException {
        WorklistDatabase.write(
                dir,
                List.of(
                        new WorklistDatabase.Named(
                                "jane",
                                procedure(
                                        "ACC1001",
                                        "DOE^JANE",
                                        "PID1001",
                                        "19700304",
                                        "F",
                                        JANE_STUDY_UID,
                                        "RP1001",
                                        "Cystoscopy with ultrasound guidance",
                                        "ES",
                                        "OR1_ENDO",
                                        ScheduledProcedure.da(today),
                                        "083000",
                                        "HOUSE^GREGORY",
                                        "Flexible cystoscopy",
                                        "SPS1001")),
                        new WorklistDatabase.Named(
                                "anna",
                                procedure(
                                        "ACC1002",
                                        ANNA_NAME,
                                        "PID1002",
                                        "19851120",
                                        "F",
                                        "1.2.826.0.1.3680043.10.1337.1002",
                                        "RP1002",
                                        "Renal ultrasound",
                                        "US",
                                        "OR1_US",
                                        ScheduledProcedure.da(today),
                                        "1015",
                                        "QUINN^MICHAELA",
                                        "Intraoperative ultrasound",
                                        "SPS1002")),
                        new WorklistDatabase.Named(
                                "tomorrow",
                                procedure(
                                        "ACC1003",
                                        "ROE^RICHARD",
                                        "PID1003",
                                        "19600101",
                                        "M",
                                        "1.2.826.0.1.3680043.10.1337.1003",
                                        "RP1003",
                                        "Ureteroscopy",
                                        "ES",
                                        "OR1_ENDO",
                                        ScheduledProcedure.da(today.plusDays(1)),
                                        "090000",
                                        "HOUSE^GREGORY",
                                        "Ureteroscopy",
                                        "SPS1003"))));
    }

    /** Every procedure here is referred by the same physician and scheduled in operating room 1. */
    private static ScheduledProcedure procedure(
            String accession,
            String name,
            String pid,
            String birth,
            String sex,
            String studyUid,
            String rpId,
            String rpDescription,
            String modality,
            String stationAe,
            String date,
            String time,
            String performing,
            String spsDescription,
            String spsId) {
        return new ScheduledProcedure(
                accession,
                "WILSON^JAMES",
                name,
                pid,
                birth,
                sex,
                studyUid,
                rpId,
                rpDescription,
                modality,
                stationAe,
                date,
                time,
                performing,
                spsDescription,
                spsId,
                "OR1",
                "Operating room 1");
    }
}
