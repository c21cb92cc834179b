package org.medsync.rtv.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.medsync.rtv.receiver.FlowDescription;
import org.medsync.rtv.receiver.Receiver;
import org.medsync.rtv.receiver.ReceiverConfig;
import org.medsync.rtv.transmitter.TestPatternSource;
import org.medsync.rtv.transmitter.Transmitter;
import org.medsync.st2110.timing.MediaClock;
import org.medsync.st2110.timing.SystemMediaClock;

/**
 * The premiere's "kill one path" test, with the kernel doing the killing: mid-stream an nftables rule drops every
 * datagram to the primary path's ports on lo (a table of this test's own, matching only its ports, deleted in
 * finally), for 2.5 s, then it is deleted. The secondary path carries the flow alone: every frame arrives complete
 * and bit-exact, nothing is lost, the primary is reported down while the rule is in place and up again after.
 * Needs root (CAP_NET_ADMIN) and nft (scripts/setup --test installs nftables).
 */
@Timeout(120)
class RedundancyNftablesTest {

    @Test
    void primaryPathKilledByNftables_midStream_noFrameLostOrConcealed() throws Exception {
        assumeTrue(
                isRoot(),
                "not root: adding an nftables rule needs CAP_NET_ADMIN (run the tests as root, as the CI does)");
        MediaClock clock = new SystemMediaClock();
        int v1 = Loopback.freeUdpPort();
        int m1 = Loopback.freeUdpPort();
        int v2 = Loopback.freeUdpPort();
        int m2 = Loopback.freeUdpPort();
        String table = "medsync_test_" + ProcessHandle.current().pid() + "_"
                + ThreadLocalRandom.current().nextInt(1_000_000);
        RedundantFlow.Frames frames = new RedundantFlow.Frames(clock);
        try (Transmitter tx = new Transmitter(
                        "Endoscope", f -> new TestPatternSource(RedundantFlow.LABEL, f), clock, "127.0.0.1", "lo");
                Receiver rx = new Receiver("OR display", clock, "lo")) {
            tx.configure(RedundantFlow.config(v1, m1, v2, m2));
            FlowDescription d = FlowDescription.parse(tx.sdp());
            rx.onFlowFrame(frames);
            rx.configure(new ReceiverConfig(List.of(d), ReceiverConfig.SIDE_BY_SIDE, 9, List.of(), 1000));
            tx.start();
            RedundantFlow.await(() -> frames.count() >= 5, 30_000, "5 frames arrived");
            try {
                nft("add table inet " + table);
                nft("add chain inet " + table + " out { type filter hook output priority 0 ; policy accept ; }");
                nft("add rule inet " + table + " out ip daddr 127.0.0.1 udp dport { " + v1 + ", " + m1 + " } drop");
                RedundantFlow.await(
                        () -> RedundantFlow.pathDown(rx, "primary").isPresent(), 5_000, "the primary is reported down");
                Receiver.PathStatus primary =
                        rx.status().flows().getFirst().paths().getFirst();
                assertFalse(primary.up(), primary.toString());
                Thread.sleep(1500);
            } finally {
                nft("delete table inet " + table);
            }
            RedundantFlow.await(
                    () -> RedundantFlow.pathDown(rx, "primary").isEmpty(), 5_000, "the primary is up again");
            int after = frames.count();
            RedundantFlow.await(() -> frames.count() >= after + 5, 30_000, "5 more frames");

            Receiver.FlowStatus st = rx.status().flows().getFirst();
            long missing = frames.missing();
            tx.stop();
            assertEquals(0, st.packetsLost(), "no packet of the merged stream lost: " + st);
            assertEquals(List.of(), frames.problems(), "every frame complete and bit-exact");
            assertEquals(0, st.framesIncomplete(), st.toString());
            assertTrue(st.framesConcealed() <= missing, missing + " never sent: " + st);
            assertTrue(st.paths().get(0).packetsLost() > 100, "the rule dropped the primary's packets: " + st);
        } finally {
            if (tableExists(table)) {
                nft("delete table inet " + table);
            }
        }
    }

    private static boolean isRoot() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) {
                return line.split("\\s+")[2].equals("0"); // effective uid
            }
        }
        return false;
    }

    private static boolean tableExists(String table) throws Exception {
        return run(List.of("nft", "list", "tables")).contains(" " + table);
    }

    private static void nft(String command) throws Exception {
        List<String> argv = new ArrayList<>(List.of("nft"));
        argv.add(command);
        run(argv);
    }

    private static String run(List<String> argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(argv + " failed: " + out);
        }
        return out;
    }
}
