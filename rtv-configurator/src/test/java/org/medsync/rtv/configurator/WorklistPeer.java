package org.medsync.rtv.configurator;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * dcmtk's wlmscpfs with two procedures scheduled today, on a free loopback port: the real worklist SCP
 * behind the configurator tests. Database layout: {@code <dir>/<called AE>/*.wl + lockfile}.
 */
final class WorklistPeer implements AutoCloseable {
    static final String AE = "OR1_RIS";
    private final Process process;
    private final Path dir;
    final int port;

    private WorklistPeer(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    static boolean installed() {
        return Files.isExecutable(Path.of("/usr/bin/wlmscpfs")) && Files.isExecutable(Path.of("/usr/bin/dump2dcm"));
    }

    static WorklistPeer start() throws Exception {
        Path dir = Files.createTempDirectory("medsync-rtvconf-wl-");
        Path db = dir.resolve(AE);
        Files.createDirectories(db);
        Files.write(db.resolve("lockfile"), new byte[0]);
        String today = LocalDate.now().toString().replace("-", "");
        entry(
                db,
                "jane",
                "ACC2001",
                "DOE^JANE",
                "PID2001",
                "19700304",
                "F",
                "1.2.826.0.1.3680043.10.1337.2001",
                "Cystoscopy",
                "ES",
                today,
                "080000",
                "HOUSE^GREGORY",
                "SPS2001");
        entry(
                db,
                "john",
                "ACC2002",
                "SMITH^JOHN",
                "PID2002",
                "19551231",
                "M",
                "1.2.826.0.1.3680043.10.1337.2002",
                "Nephrectomy",
                "ES",
                today,
                "113000",
                "QUINN^MICHAELA",
                "SPS2002");
        int port = freePort();
        Process p = new ProcessBuilder(
                        "/usr/bin/wlmscpfs",
                        "--single-process",
                        "--keep-char-set",
                        "--data-files-path",
                        dir.toString(),
                        Integer.toString(port))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("wlmscpfs.log").toFile())
                .start();
        WorklistPeer peer = new WorklistPeer(p, dir, port);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline && p.isAlive()) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return peer;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        String log = Files.readString(dir.resolve("wlmscpfs.log"));
        peer.close();
        throw new IllegalStateException("wlmscpfs did not start: " + log);
    }

    private static void entry(
            Path db,
            String file,
            String accession,
            String name,
            String pid,
            String birth,
            String sex,
            String studyUid,
            String procedure,
            String modality,
            String date,
            String time,
            String performing,
            String spsId)
            throws IOException, InterruptedException {
        String dump = String.join(
                "\n",
                "(0008,0005) CS [ISO_IR 100]",
                "(0008,0050) SH [" + accession + "]",
                "(0010,0010) PN [" + name + "]",
                "(0010,0020) LO [" + pid + "]",
                "(0010,0030) DA [" + birth + "]",
                "(0010,0040) CS [" + sex + "]",
                "(0020,000d) UI [" + studyUid + "]",
                "(0032,1060) LO [" + procedure + "]",
                "(0040,0100) SQ",
                "(fffe,e000) -",
                "(0008,0060) CS [" + modality + "]",
                "(0040,0001) AE [OR1_ENDO]",
                "(0040,0002) DA [" + date + "]",
                "(0040,0003) TM [" + time + "]",
                "(0040,0006) PN [" + performing + "]",
                "(0040,0007) LO [" + procedure + "]",
                "(0040,0009) SH [" + spsId + "]",
                "(fffe,e00d) -",
                "(fffe,e0dd) -",
                "(0040,1001) SH [RP" + spsId.substring(3) + "]",
                "");
        Path text = db.resolve(file + ".dump");
        Files.writeString(text, dump, StandardCharsets.ISO_8859_1);
        Process p = new ProcessBuilder(
                        "/usr/bin/dump2dcm",
                        "-g",
                        text.toString(),
                        db.resolve(file + ".wl").toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("dump2dcm: " + out);
        }
        Files.delete(text);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    List<String> names() {
        return List.of("DOE^JANE", "SMITH^JOHN");
    }
}
