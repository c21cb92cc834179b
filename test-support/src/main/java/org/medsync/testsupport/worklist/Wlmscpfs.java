package org.medsync.testsupport.worklist;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.medsync.testsupport.net.LoopbackPorts;
import org.medsync.testsupport.process.PeerProcess;

/** dcmtk's wlmscpfs, the reference worklist SCP, on a free loopback port. */
public final class Wlmscpfs {
    private static final Path WLMSCPFS = Path.of("/usr/bin/wlmscpfs");

    private Wlmscpfs() {}

    /** wlmscpfs and the dump2dcm that writes its files (scripts/setup --test installs both). */
    public static boolean installed() {
        return Files.isExecutable(WLMSCPFS) && WorklistDatabase.dump2dcmInstalled();
    }

    /**
     * Serves {@code dataFiles}, which holds a folder per called AE title, each a {@link WorklistDatabase};
     * {@code dir} (its log, and deleted on close) must contain {@code dataFiles} or be it.
     */
    public static PeerProcess start(Path dir, Path dataFiles) throws Exception {
        int port = LoopbackPorts.free();
        return PeerProcess.start(
                List.of(
                        WLMSCPFS.toString(),
                        "--single-process",
                        "--keep-char-set",
                        "--data-files-path",
                        dataFiles.toString(),
                        Integer.toString(port)),
                dir,
                port,
                Duration.ofSeconds(10));
    }
}
