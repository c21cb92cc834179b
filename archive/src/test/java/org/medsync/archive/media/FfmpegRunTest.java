package org.medsync.archive.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FfmpegRunTest {
    @Test
    void progressLinesGiveSecondsWritten() {
        assertEquals(1.5, FfmpegRun.outTime("out_time_us=1500000"));
        assertEquals(-1, FfmpegRun.outTime("out_time_us=N/A"));
        assertEquals(-1, FfmpegRun.outTime("out_time_us=-5"));
        assertEquals(-1, FfmpegRun.outTime("frame=12"));
    }

    @Test
    void reportsProgressAndAFailureCarriesTheEndOfTheLog() throws Exception {
        List<Double> seen = new CopyOnWriteArrayList<>();
        FfmpegRun.run(List.of("-f", "lavfi", "-i", "testsrc2=s=160x90:r=25:d=2", "-f", "null", "-"), 2, seen::add);
        assertTrue(!seen.isEmpty() && seen.getLast() > 0.9, seen.toString());
        IOException e = assertThrows(
                IOException.class,
                () -> FfmpegRun.run(List.of("-i", "/nonexistent/input.mp4", "-f", "null", "-"), 1, f -> {}));
        assertTrue(e.getMessage().startsWith("ffmpeg failed (exit "), e.getMessage());
        assertTrue(e.getMessage().contains("No such file or directory"), e.getMessage());
    }

    @Test
    void anInterruptKillsFfmpeg() throws Exception {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        CompletableFuture<Void> started = new CompletableFuture<>();
        Thread runner = Thread.ofPlatform().start(() -> {
            try {
                // An endless source: only the interrupt ends this run.
                FfmpegRun.run(
                        List.of("-re", "-f", "lavfi", "-i", "testsrc2=s=160x90:r=25", "-f", "null", "-"),
                        60,
                        f -> started.complete(null));
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
        started.get(60, TimeUnit.SECONDS);
        long before = ProcessHandle.current().children().count();
        runner.interrupt();
        assertTrue(outcome.get(30, TimeUnit.SECONDS) instanceof InterruptedException);
        assertTrue(runner.join(Duration.ofSeconds(5)));
        assertTrue(before >= 1);
        assertEquals(
                0,
                ProcessHandle.current()
                        .children()
                        .filter(p -> p.info().command().orElse("").endsWith("ffmpeg"))
                        .count(),
                "ffmpeg is gone");
    }
}
