package org.medsync.bench.bandwidth;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrafficTest {
    private static List<Object> snapshot(double... v) {
        List<Object> l = new ArrayList<>();
        for (double d : v) {
            l.add(d);
        }
        return l;
    }

    @Test
    void ratesAddTheIpAndUdpHeadersPerPacketAndSplitAudioFromTheRest() {
        Traffic a = Traffic.parse(snapshot(1000, 2000, 10, 20, 100, 200, 500, 600, 5, 6, 0, 0, 0, 0, 3, 0, 10_000));
        Traffic b = Traffic.parse(snapshot(3000, 2000, 30, 20, 300, 200, 1500, 600, 15, 6, 0, 0, 0, 0, 3, 0, 12_000));
        Traffic.Rates out = a.sentUntil(b);
        assertEquals(2, out.seconds(), 1e-9);
        assertEquals((2000 + 28 * 20) / 2.0, out.wire(), 1e-9);
        assertEquals(1000, out.transport(), 1e-9);
        assertEquals(100, out.data(), 1e-9);
        assertEquals((1000 + 28 * 10) / 2.0, out.audioWire(), 1e-9);
        assertEquals(out.wire() - out.audioWire(), out.nonAudioWire(), 1e-9);
        assertEquals(10, out.packets(), 1e-9);
        Traffic.Rates in = a.receivedUntil(b);
        assertEquals(0, in.wire(), 1e-9);
        assertEquals(0, in.nonAudioWire(), 1e-9);
    }

    @Test
    void relayColumnsCountOnlyTheRelayLink() {
        Traffic a = Traffic.parse(snapshot(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 100, 0, 1, 1, 1, 0));
        Traffic b = Traffic.parse(snapshot(0, 1000, 0, 10, 0, 0, 0, 0, 0, 0, 0, 700, 0, 6, 1, 1, 1000));
        assertEquals(600 + 28 * 5, a.receivedUntil(b).relayWire(), 1e-9);
    }

    @Test
    void refusesMalformedSnapshots() {
        assertThrows(IllegalArgumentException.class, () -> Traffic.parse(null));
        assertThrows(IllegalArgumentException.class, () -> Traffic.parse(snapshot(1, 2, 3)));
        List<Object> withText = snapshot(new double[17]);
        withText.set(4, "12");
        assertThrows(IllegalArgumentException.class, () -> Traffic.parse(withText));
        assertThrows(
                IllegalArgumentException.class,
                () -> Traffic.parse(snapshot(0, 0, 0, 0, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)));
        assertThrows(
                IllegalArgumentException.class,
                () -> Traffic.parse(snapshot(0, 0, 0, 0, Double.NaN, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)));
        assertThrows(IllegalArgumentException.class, () -> Traffic.parse(Collections.nCopies(18, 0.0)));
    }

    @Test
    void aWindowWithoutTimeOrWithShrinkingCountersIsRefused() {
        Traffic a = Traffic.parse(snapshot(100, 100, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 5));
        assertThrows(IllegalArgumentException.class, () -> a.sentUntil(a));
        Traffic closed = Traffic.parse(snapshot(50, 100, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10));
        assertThrows(IllegalStateException.class, () -> a.sentUntil(closed));
    }

    @Test
    void optionsParseTheGridAndRefuseNonsense() {
        BandwidthBenchmark.Options o = BandwidthBenchmark.Options.parse(
                List.of("--participants", "2, 8,32", "--topologies", "relay", "--seconds", "5"));
        assertEquals(List.of(2, 8, 32), o.participants());
        assertEquals(List.of(BandwidthBenchmark.Topology.RELAY), o.topologies());
        assertEquals(5, o.seconds());
        assertEquals(
                List.of(2, 4, 8, 16, 32),
                BandwidthBenchmark.Options.parse(List.of()).participants());
        assertThrows(
                IllegalArgumentException.class,
                () -> BandwidthBenchmark.Options.parse(List.of("--participants", "1,4")));
        assertThrows(
                IllegalArgumentException.class,
                () -> BandwidthBenchmark.Options.parse(List.of("--topologies", "star")));
        assertThrows(IllegalArgumentException.class, () -> BandwidthBenchmark.Options.parse(List.of("--links")));
        assertThrows(IllegalArgumentException.class, () -> BandwidthBenchmark.Options.parse(List.of("--size", "3")));
    }

    @Test
    void targetsCompareTheDriversUploadAtTheLargestGroupWithTheSmallest() {
        Traffic.Rates idle = new Traffic.Rates(0, 0, 0, 0, 0, 0, 10);
        Measurement m2 = new Measurement(
                2,
                "mesh",
                30,
                31,
                1,
                new Traffic.Rates(1000, 900, 300, 600, 0, 60, 10),
                idle,
                idle,
                new Traffic.Rates(1000, 900, 300, 600, 0, 60, 10),
                0.5);
        Measurement m32 = new Measurement(
                32, "mesh", 30, 31, 31, new Traffic.Rates(31_000, 0, 9300, 18_600, 0, 0, 10), idle, idle, idle, 0.5);
        List<String> lines = BandwidthReport.targets(List.of(m2, m32));
        assertTrue(
                lines.stream().anyMatch(l -> l.contains("mesh: total 8.0 -> 248.0 kbps = 31.0x (NOT met)")),
                lines.toString());
        assertTrue(
                lines.stream()
                        .anyMatch(
                                l -> l.contains(
                                        "mesh, 2 participants: payload 2.40 kbps (2.32 scaled to 30 VIEWs/s), on the wire (all but audio, one link) 3.20 kbps at 31.0 VIEWs/s, 3.1 kbps scaled")),
                lines.toString());
    }
}
