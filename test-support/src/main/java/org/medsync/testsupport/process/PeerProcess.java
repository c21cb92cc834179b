package org.medsync.testsupport.process;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real peer in a child process (dcmtk's wlmscpfs, Orthanc, ...) listening on a loopback port, killed and its
 * folder deleted on close.
 */
public final class PeerProcess implements AutoCloseable {
    private final Process process;
    private final Path dir;
    private final Path log;
    private final int port;

    private PeerProcess(Process process, Path dir, Path log, int port) {
        this.process = process;
        this.dir = dir;
        this.log = log;
        this.port = port;
    }

    /** Starts {@code command} (which must listen on {@code port}) and waits until the port accepts. */
    public static PeerProcess start(List<String> command, Path dir, int port, Duration startup) throws Exception {
        Path log = dir.resolve("peer.log");
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        PeerProcess peer = new PeerProcess(p, dir, log, port);
        long deadline = System.nanoTime() + startup.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                String out = Files.readString(log);
                peer.close();
                throw new IllegalStateException(command.getFirst() + " exited: " + out);
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return peer;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        peer.close();
        throw new IllegalStateException(command.getFirst() + " did not listen on " + port + " within " + startup);
    }

    public int port() {
        return port;
    }

    public String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws IOException {
        process.descendants().forEach(ProcessHandle::destroy);
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
}
