package org.medsync.dicom.worklist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.TimeUnit;

/**
 * Worklist files (*.wl) for real worklist SCPs, written by dcmtk's dump2dcm from dump text generated here:
 * two procedures today (an endoscopy and an ultrasound, one patient with a Latin-1 name) and one tomorrow.
 */
final class WorklistFiles {
    static final String JANE_STUDY_UID = "1.2.826.0.1.3680043.10.1337.1001";
    static final String ANNA_NAME = "MÜLLER^ANNA";

    private WorklistFiles() {}

    static boolean dump2dcmInstalled() {
        return Files.isExecutable(Path.of("/usr/bin/dump2dcm"));
    }

    /** Writes the three .wl files and an empty lockfile into {@code dir}. */
    static void write(Path dir, LocalDate today) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Files.write(dir.resolve("lockfile"), new byte[0]);
        entry(
                dir,
                "jane",
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
                da(today),
                "083000",
                "HOUSE^GREGORY",
                "Flexible cystoscopy",
                "SPS1001",
                "OR1",
                "Operating room 1");
        entry(
                dir,
                "anna",
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
                da(today),
                "1015",
                "QUINN^MICHAELA",
                "Intraoperative ultrasound",
                "SPS1002",
                "OR1",
                "Operating room 1");
        entry(
                dir,
                "tomorrow",
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
                da(today.plusDays(1)),
                "090000",
                "HOUSE^GREGORY",
                "Ureteroscopy",
                "SPS1003",
                "OR1",
                "Operating room 1");
    }

    private static void entry(
            Path dir,
            String file,
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
            String spsId,
            String stationName,
            String location)
            throws IOException, InterruptedException {
        String dump = String.join(
                "\n",
                "(0008,0005) CS [ISO_IR 100]",
                "(0008,0050) SH [" + accession + "]",
                "(0008,0090) PN [WILSON^JAMES]",
                "(0010,0010) PN [" + name + "]",
                "(0010,0020) LO [" + pid + "]",
                "(0010,0030) DA [" + birth + "]",
                "(0010,0040) CS [" + sex + "]",
                "(0020,000d) UI [" + studyUid + "]",
                "(0032,1060) LO [" + rpDescription + "]",
                "(0040,0100) SQ",
                "(fffe,e000) -",
                "(0008,0060) CS [" + modality + "]",
                "(0040,0001) AE [" + stationAe + "]",
                "(0040,0002) DA [" + date + "]",
                "(0040,0003) TM [" + time + "]",
                "(0040,0006) PN [" + performing + "]",
                "(0040,0007) LO [" + spsDescription + "]",
                "(0040,0009) SH [" + spsId + "]",
                "(0040,0010) SH [" + stationName + "]",
                "(0040,0011) SH [" + location + "]",
                "(fffe,e00d) -",
                "(fffe,e0dd) -",
                "(0040,1001) SH [" + rpId + "]",
                "");
        Path text = dir.resolve(file + ".dump");
        // dump2dcm copies the bytes between the brackets: Latin-1 text for ISO_IR 100.
        Files.writeString(text, dump, StandardCharsets.ISO_8859_1);
        Process p = new ProcessBuilder(
                        "/usr/bin/dump2dcm",
                        "-g",
                        text.toString(),
                        dir.resolve(file + ".wl").toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("dump2dcm failed for " + file + ": " + out);
        }
        Files.delete(text);
    }

    static String da(LocalDate d) {
        return String.format("%04d%02d%02d", d.getYear(), d.getMonthValue(), d.getDayOfMonth());
    }
}
