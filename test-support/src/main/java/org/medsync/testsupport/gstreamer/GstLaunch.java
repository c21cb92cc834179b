package org.medsync.testsupport.gstreamer;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A gst-launch-1.0 pipeline in a child process that is always killed on close. */
public final class GstLaunch implements AutoCloseable {

    private final Process process;
    private final Path log;

    private GstLaunch(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static boolean available() {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "gst-launch-1.0"))) {
                return true;
            }
        }
        return false;
    }

    /** Each pipeline token is one argument (no shell); caps strings must not contain spaces. */
    public static GstLaunch start(Path workDir, String... pipeline) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("gst-launch-1.0", "-q"));
        cmd.addAll(List.of(pipeline));
        Path log = workDir.resolve("gst-launch.log");
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new GstLaunch(p, log);
    }

    /** Waits until a UDP socket is bound on this local port (udpsrc is ready), per /proc/net/udp. */
    public void awaitUdpBound(int port, Duration timeout) throws Exception {
        String needle = String.format(Locale.ROOT, ":%04X ", port);
        await(
                () -> {
                    try {
                        return Files.readAllLines(Path.of("/proc/net/udp")).stream()
                                .skip(1)
                                .map(l -> l.trim().split("\\s+")[1] + " ")
                                .anyMatch(a -> a.endsWith(needle));
                    } catch (IOException e) {
                        return false;
                    }
                },
                timeout,
                "udpsrc bound on port " + port);
    }

    public void await(BooleanSupplier condition, Duration timeout, String what) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (!process.isAlive() && !condition.getAsBoolean()) {
                throw new AssertionError(
                        "gst-launch exited (" + process.exitValue() + ") before " + what + ": " + log());
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what + ": " + log());
            }
            Thread.sleep(20);
        }
    }

    public int waitFor(Duration timeout) throws Exception {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("gst-launch still running after " + timeout + ": " + log());
        }
        return process.exitValue();
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** Stops the pipeline; interrupted while waiting for it, kills it and keeps the interrupt for the caller. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            // Interrupted while waiting: kill it outright, and keep the interrupt for the caller.
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
