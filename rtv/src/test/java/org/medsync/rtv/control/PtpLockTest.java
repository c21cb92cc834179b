package org.medsync.rtv.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsync.ptp.clock.PtpMonitor;
import org.medsync.ptp.management.ClockIdentity;
import org.medsync.rtv.metadata.Dataset;
import org.medsync.rtv.metadata.RtvMeta;
import org.medsync.rtv.time.PtpClock;
import org.medsync.rtv.transmitter.TestPatternSource;
import org.medsync.rtv.transmitter.Transmitter;
import org.medsync.rtv.transmitter.TransmitterConfig;
import org.medsync.st2110.timing.SystemMediaClock;
import org.medsync.st2110.video.VideoFormat;
import org.medsync.testsupport.ptp.PtpLab;

/**
 * A transmitter watching a real ptp4l client whose grandmaster is a real ptp4l in another network
 * namespace (test-support PtpLab): it names the grandmaster linuxptp's pmc names, says so in its SDP,
 * raises ptp-unlocked within 2 s of the grandmaster falling silent and clears it when it is back.
 */
class PtpLockTest {

    private static final int DOMAIN = 127;

    @Test
    void deviceFollowsTheGrandmaster_alertsWithin2sOfLosingIt_andClearsWhenItReturns(@TempDir Path dir)
            throws Exception {
        Optional<String> why = PtpLab.unavailable();
        assumeTrue(why.isEmpty(), () -> why.get());
        TransmitterConfig config = new TransmitterConfig(
                VideoFormat.hd720p50x10(),
                new TransmitterConfig.Endpoint("127.0.0.1", 5004),
                new TransmitterConfig.Endpoint("127.0.0.1", 5006),
                1,
                RtvMeta.VIDEO_ENDOSCOPIC_IMAGE_RTC,
                Dataset.EMPTY);
        try (var lab = PtpLab.start(dir, DOMAIN);
                Transmitter tx = new Transmitter(
                        "Endoscope", f -> new TestPatternSource("E", f), new SystemMediaClock(), "127.0.0.1", "lo")) {
            String gm = grandmasterIdentity(lab);
            tx.configure(config, Optional.of(PtpMonitor.Settings.of(lab.clientSocket(), DOMAIN)));

            await(() -> locked(tx), LOCK_WAIT, "device never locked\n" + lab.logs() + tx.status());
            Map<String, Object> status = TransmitterControl.status(tx.status());
            @SuppressWarnings("unchecked")
            Map<String, Object> ptp = (Map<String, Object>) status.get("ptp");
            assertEquals(gm, ptp.get("grandmaster"), status.toString());
            assertEquals(DOMAIN, ptp.get("domain"));
            assertTrue(Math.abs((Long) ptp.get("offsetNs")) < 1_000_000, ptp.toString());
            assertTrue(
                    tx.sdp()
                            .contains("a=ts-refclk:ptp=IEEE1588-2008:" + gm + ":" + DOMAIN + "\r\n"
                                    + "a=mediaclk:direct=0\r\n"),
                    tx.sdp());

            lab.stopGrandmaster();
            long stopped = System.nanoTime();
            await(() -> tx.status().ptpAlert().isPresent(), Duration.ofSeconds(5), "no alert\n" + tx.status());
            long alertMs = (System.nanoTime() - stopped) / 1_000_000;
            assertTrue(alertMs <= 2000, "alert after " + alertMs + " ms");
            assertTrue(tx.status().alerts().stream().anyMatch(a -> a.code().equals(PtpClock.UNLOCKED)));
            assertTrue(tx.sdp().contains("a=ts-refclk:localmac=00-00-00-00-00-00\r\n"), tx.sdp());
            assertEquals("unlocked", ptpJson(tx).get("state"));

            lab.startGrandmaster();
            await(() -> locked(tx), LOCK_WAIT, "lock did not return\n" + lab.logs() + tx.status());
            assertTrue(tx.status().ptpAlert().isEmpty());
            assertEquals(PtpClock.LOCKED, tx.status().alerts().getLast().code());
            assertTrue(tx.sdp().contains("a=ts-refclk:ptp=IEEE1588-2008:" + gm + ":" + DOMAIN + "\r\n"), tx.sdp());
        }
    }

    private static final Duration LOCK_WAIT = PtpLab.LOCK_WAIT;

    private static boolean locked(Transmitter tx) {
        return tx.status().ptp().map(s -> s.locked()).orElse(false);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> ptpJson(Transmitter tx) {
        return (Map<String, Object>) TransmitterControl.status(tx.status()).get("ptp");
    }

    private static void await(BooleanSupplier condition, Duration max, String failure) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, failure);
            Thread.sleep(50);
        }
    }

    /** pmc's answer from the grandmaster, once its ptp4l has opened its socket (bounded wait). */
    private static String grandmasterIdentity(PtpLab lab) throws Exception {
        long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
        while (true) {
            String out = lab.pmc(lab.grandmasterSocket(), "GET DEFAULT_DATA_SET");
            if (out.contains("clockIdentity")) {
                return ClockIdentity.parse(field(out, "clockIdentity")).eui64();
            }
            assertTrue(System.nanoTime() < deadline, "the grandmaster never answered pmc\n" + lab.logs());
            Thread.sleep(200);
        }
    }

    private static String field(String pmcOutput, String name) {
        for (String line : pmcOutput.split("\n")) {
            String[] kv = line.strip().split("\\s+");
            if (kv.length == 2 && kv[0].equals(name)) {
                return kv[1];
            }
        }
        throw new AssertionError(name + " not in " + pmcOutput);
    }
}
