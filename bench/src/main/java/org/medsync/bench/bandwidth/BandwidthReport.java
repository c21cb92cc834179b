package org.medsync.bench.bandwidth;

import static org.medsync.bench.bandwidth.Measurement.kbps;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.medsync.bench.lag.LagPlot;

/** Writes bandwidth.csv, the plots, and the summary lines with the targets for the runs of one benchmark. */
final class BandwidthReport {
    static final String CSV_HEADER =
            "participants,topology,side,direction,seconds,driver_connected,wire_Bps,audio_wire_Bps,"
                    + "non_audio_wire_Bps,data_payload_Bps,relay_wire_Bps,packets_per_s,scroll_hz,views_per_s";

    private BandwidthReport() {}

    static List<String> csv(List<Measurement> measured) {
        List<String> rows = new ArrayList<>(List.of(CSV_HEADER));
        for (Measurement m : measured) {
            rows.add(row(m, "driver", "out", m.driverOut()));
            rows.add(row(m, "driver", "in", m.driverIn()));
            rows.add(row(m, "follower", "out", m.followerOut()));
            rows.add(row(m, "follower", "in", m.followerIn()));
        }
        return rows;
    }

    private static String row(Measurement m, String side, String direction, Traffic.Rates r) {
        return String.format(
                Locale.ROOT,
                "%d,%s,%s,%s,%.2f,%d,%.0f,%.0f,%.0f,%.1f,%.0f,%.1f,%.1f,%.1f",
                m.participants(),
                m.topology(),
                side,
                direction,
                r.seconds(),
                m.driverConnections(),
                r.wire(),
                r.audioWire(),
                r.nonAudioWire(),
                r.data(),
                r.relayWire(),
                r.packets(),
                m.scrollHz(),
                m.viewsPerSecond());
    }

    static void write(Path out, List<Measurement> measured, List<String> summary, BandwidthBenchmark.Options o)
            throws IOException {
        Files.write(out.resolve("bandwidth.csv"), csv(measured));
        if (measured.isEmpty()) {
            summary.add("bandwidth: nothing measured");
            return;
        }
        plot(
                out.resolve("driver-upload.png"),
                "Driver upload, 30 Hz scroll input, microphones on",
                measured,
                Measurement::driverOut);
        plot(out.resolve("driver-download.png"), "Driver download", measured, Measurement::driverIn);
        plot(out.resolve("follower-download.png"), "Follower download", measured, Measurement::followerIn);
        plot(out.resolve("follower-upload.png"), "Follower upload", measured, Measurement::followerOut);
        summary.addAll(targets(measured));
        summary.add(String.format(
                Locale.ROOT,
                "bandwidth: window %d s per run; crowd links: %s; kbps = 1000 bit/s; wire = UDP payload + 28 B IPv4/UDP header a packet",
                o.seconds(),
                o.links()));
        for (Measurement m : measured) {
            summary.add("  " + m.brief());
        }
    }

    /** kbps over participants: total and everything but audio, per topology. */
    private static void plot(
            Path png, String title, List<Measurement> measured, Function<Measurement, Traffic.Rates> side)
            throws IOException {
        List<LagPlot.Series> series = new ArrayList<>();
        Color[] colors = {new Color(0xc0392b), new Color(0x3b6ea5), new Color(0x2e8b57)};
        int k = 0;
        for (String topology : List.of("mesh", "relay", "mix")) {
            List<Measurement> ms =
                    measured.stream().filter(m -> m.topology().equals(topology)).toList();
            if (ms.isEmpty()) {
                continue;
            }
            Color c = colors[k++ % colors.length];
            series.add(new LagPlot.Series(
                    topology + ": total",
                    c,
                    false,
                    ms.stream()
                            .map(m -> new double[] {
                                m.participants(), kbps(side.apply(m).wire())
                            })
                            .toList()));
            series.add(new LagPlot.Series(
                    topology + ": all but audio",
                    c,
                    true,
                    ms.stream()
                            .map(m -> new double[] {
                                m.participants(), kbps(side.apply(m).nonAudioWire())
                            })
                            .toList()));
        }
        LagPlot.lines(png, title, "participants", "kbps (log)", series, true);
    }

    /** The two bandwidth targets, with the values they were checked on. */
    static List<String> targets(List<Measurement> measured) {
        List<String> lines = new ArrayList<>();
        // View state per follower: the payload the follower's data channels received, and on the wire the relay
        // link (data only) or, on the mesh, everything but audio at 2 participants (one link: the driver's). The
        // driver renders each slice before it sends its VIEW, so on this loaded machine it sends fewer than 30 a
        // second: the numbers are also given per VIEW, scaled to 30.
        for (Measurement m : measured) {
            boolean relay = !m.topology().equals("mesh");
            if (!relay && m.participants() != 2) {
                continue; // on a bigger mesh the follower's non-audio bytes include every crowd link's RTCP and SCTP
            }
            double wire = relay ? m.followerIn().relayWire() : m.followerIn().nonAudioWire();
            double at30 = wire / Math.max(1e-9, m.viewsPerSecond()) * 30;
            lines.add(String.format(
                    Locale.ROOT,
                    "bandwidth target view state per follower < 8 kbps: %s, %d participants: payload %.2f kbps"
                            + " (%.2f scaled to 30 VIEWs/s), on the wire (%s) %.2f kbps at %.1f VIEWs/s, %.1f kbps scaled to 30 VIEWs/s"
                            + " (all of it counted as VIEW traffic: an upper bound): %s",
                    m.topology(),
                    m.participants(),
                    kbps(m.followerIn().data()),
                    kbps(m.followerIn().data() / Math.max(1e-9, m.viewsPerSecond()) * 30),
                    relay ? "the relay link" : "all but audio, one link",
                    kbps(wire),
                    m.viewsPerSecond(),
                    kbps(at30),
                    kbps(at30) < 8 ? "met" : "NOT met"));
        }
        Optional<Measurement> mesh2 = find(measured, "mesh", true);
        Optional<Measurement> meshMax = find(measured, "mesh", false);
        Optional<Measurement> relay2 = find(measured, "relay", true);
        Optional<Measurement> relayMax = find(measured, "relay", false);
        ratio(lines, "mesh", mesh2, meshMax);
        ratio(lines, "relay", relay2, relayMax);
        ratio(lines, "hybrid (readout.mesh.max 4: mesh at 2, relay at the largest)", mesh2, relayMax);
        for (String t : List.of("relay", "mix")) {
            lecture(lines, t, find(measured, t, true), measured);
        }
        return lines;
    }

    /**
     * Issue 17's lecture targets for one path, at every size against its smallest: a participant's download (the
     * follower's and the driver's) at most 2x, and the driver still sending at least 25 VIEWs a second.
     */
    static void lecture(List<String> lines, String topology, Optional<Measurement> small, List<Measurement> measured) {
        if (small.isEmpty()) {
            return;
        }
        Measurement a = small.get();
        for (Measurement b : measured) {
            if (!b.topology().equals(topology) || b == a) {
                continue;
            }
            double follower = b.followerIn().wire() / a.followerIn().wire();
            double driver = b.driverIn().wire() / a.driverIn().wire();
            lines.add(String.format(
                    Locale.ROOT,
                    "bandwidth target (issue 17) %s, %d vs %d participants: follower download %.1f -> %.1f kbps = %.2fx,"
                            + " driver download %.1f -> %.1f kbps = %.2fx (<= 2x: %s); driver %.1f VIEWs/s (>= 25: %s);"
                            + " load average %.1f / %.1f",
                    topology,
                    b.participants(),
                    a.participants(),
                    kbps(a.followerIn().wire()),
                    kbps(b.followerIn().wire()),
                    follower,
                    kbps(a.driverIn().wire()),
                    kbps(b.driverIn().wire()),
                    driver,
                    follower <= 2 && driver <= 2 ? "met" : "NOT met",
                    b.viewsPerSecond(),
                    b.viewsPerSecond() >= 25 ? "met" : "NOT met",
                    a.load(),
                    b.load()));
        }
    }

    private static Optional<Measurement> find(List<Measurement> measured, String topology, boolean smallest) {
        return measured.stream()
                .filter(m -> m.topology().equals(topology))
                .reduce((a, b) ->
                        (smallest ? b.participants() < a.participants() : b.participants() > a.participants()) ? b : a);
    }

    private static void ratio(
            List<String> lines, String label, Optional<Measurement> small, Optional<Measurement> large) {
        if (small.isEmpty()
                || large.isEmpty()
                || small.get().participants() == large.get().participants()) {
            return;
        }
        Traffic.Rates a = small.get().driverOut();
        Traffic.Rates b = large.get().driverOut();
        double total = b.wire() / a.wire();
        double data = b.nonAudioWire() / a.nonAudioWire();
        lines.add(String.format(
                Locale.ROOT,
                "bandwidth target driver upload at %d <= 2x at %d, %s: total %.1f -> %.1f kbps = %.1fx (%s);"
                        + " all but audio %.1f -> %.1f kbps = %.1fx (%s); audio %.1f -> %.1f kbps",
                large.get().participants(),
                small.get().participants(),
                label,
                kbps(a.wire()),
                kbps(b.wire()),
                total,
                total <= 2 ? "met" : "NOT met",
                kbps(a.nonAudioWire()),
                kbps(b.nonAudioWire()),
                data,
                data <= 2 ? "met" : "NOT met",
                kbps(a.audioWire()),
                kbps(b.audioWire())));
    }
}
