package org.medsync.rtv.configurator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.medsync.testsupport.process.PeerProcess;
import org.medsync.testsupport.worklist.ScheduledProcedure;
import org.medsync.testsupport.worklist.Wlmscpfs;
import org.medsync.testsupport.worklist.WorklistDatabase;

/**
 * dcmtk's wlmscpfs with two procedures scheduled today, on a free loopback port: the real worklist SCP
 * behind the configurator tests.
 */
final class WorklistPeer implements AutoCloseable {
    static final String AE = "OR1_RIS";
    private final PeerProcess process;
    final int port;

    private WorklistPeer(PeerProcess process) {
        this.process = process;
        this.port = process.port();
    }

    static boolean installed() {
        return Wlmscpfs.installed();
    }

    static WorklistPeer start() throws Exception {
        Path dir = Files.createTempDirectory("medsync-rtvconf-wl-");
        String today = ScheduledProcedure.da(LocalDate.now());
        WorklistDatabase.write(
                dir.resolve(AE),
                List.of(
                        new WorklistDatabase.Named(
                                "jane",
                                endoscopy(
                                        "ACC2001",
                                        "DOE^JANE",
                                        "PID2001",
                                        "19700304",
                                        "F",
                                        "1.2.826.0.1.3680043.10.1337.2001",
                                        "Cystoscopy",
                                        today,
                                        "080000",
                                        "HOUSE^GREGORY",
                                        "SPS2001")),
                        new WorklistDatabase.Named(
                                "john",
                                endoscopy(
                                        "ACC2002",
                                        "SMITH^JOHN",
                                        "PID2002",
                                        "19551231",
                                        "M",
                                        "1.2.826.0.1.3680043.10.1337.2002",
                                        "Nephrectomy",
                                        today,
                                        "113000",
                                        "QUINN^MICHAELA",
                                        "SPS2002"))));
        return new WorklistPeer(Wlmscpfs.start(dir, dir));
    }

    /** An endoscopy on OR1_ENDO, its requested procedure and its step named alike. */
    private static ScheduledProcedure endoscopy(
            String accession,
            String name,
            String pid,
            String birth,
            String sex,
            String studyUid,
            String procedure,
            String date,
            String time,
            String performing,
            String spsId) {
        return new ScheduledProcedure(
                accession,
                null,
                name,
                pid,
                birth,
                sex,
                studyUid,
                "RP" + spsId.substring(3),
                procedure,
                "ES",
                "OR1_ENDO",
                date,
                time,
                performing,
                procedure,
                spsId,
                null,
                null);
    }

    @Override
    public void close() throws IOException {
        process.close();
    }
}
