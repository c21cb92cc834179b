package org.medsync.bench.readout;

import com.microsoft.playwright.Page;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.medsync.bench.plot.Plot;

/**
 * Bytes per second each follower receives for view state while the driver scrolls at 30 Hz, microphones
 * muted (no RTP; RTCP goes on). Two counts per receiver, from RTCPeerConnection.getStats() of every
 * connection the page has: the 'view' data channel's bytesReceived (VIEW payload: the MessagePack bytes) and
 * the transport's bytesReceived (UDP payload: DTLS records carrying SCTP, and SRTCP; not STUN) plus 28 bytes
 * of IPv4 and UDP header per packet received. From the transport count the same count over an idle period
 * of equal length is subtracted, taken with the floor released, so no VIEW at all: what it removes is RTCP,
 * SCTP heartbeats and the like.
 */
final class ViewStateBytes {
    private static final int SECONDS = 10;
    private static final double HZ = 30;
    private static final int IPV4_UDP_HEADERS = 28;

    /** [view payload bytes, view messages, transport bytes, transport packets, now in ms]. */
    private static final String RECEIVED = """
            async () => {
              let viewBytes = 0, viewMessages = 0, bytes = 0, packets = 0;
              for (const pc of window.__benchPcs) {
                if (pc.connectionState === 'closed') continue;
                (await pc.getStats()).forEach((s) => {
                  if (s.type === 'data-channel' && s.label === 'view') { viewBytes += s.bytesReceived ?? 0; viewMessages += s.messagesReceived ?? 0; }
                  if (s.type === 'transport') { bytes += s.bytesReceived ?? 0; packets += s.packetsReceived ?? 0; }
                });
              }
              return [viewBytes, viewMessages, bytes, packets, performance.timeOrigin + performance.now()];
            }""";

    private ViewStateBytes() {}

    static List<String> run(Readout r, Path out) throws Exception {
        Page driver = r.driver();
        List<Page> followers = r.followers();
        for (Page p : r.all()) {
            p.click("[data-testid=mute-toggle]");
            Pages.waitFor(
                    p,
                    "() => document.querySelector('[data-testid=mute-toggle]').getAttribute('aria-pressed') === 'true'",
                    null);
        }
        driver.click("[data-testid=floor-release]");
        Pages.waitForDriver(r.all(), 0);
        Thread.sleep(2000);
        List<double[]> idleStart = received(followers);
        Thread.sleep(SECONDS * 1000L);
        List<double[]> idleEnd = received(followers);

        driver.click("[data-testid=floor-request]");
        Pages.waitForDriver(r.all(), Pages.peerId(driver));
        Thread.sleep(1500);
        driver.evaluate("() => document.activeElement?.blur()");
        int seqStart = Pages.attribute(driver, "data-sync-seq");
        List<double[]> scrollStart = received(followers);
        double[] scrolled = Stats.numbers(driver.evaluate(Pages.SCROLL, Map.of("seconds", SECONDS, "hz", HZ)));
        List<double[]> scrollEnd = received(followers);
        int views = Pages.attribute(driver, "data-sync-seq") - seqStart;
        for (Page p : r.all()) {
            p.click("[data-testid=mute-toggle]");
        }

        double rate = scrolled[0] / (scrolled[1] / 1000);
        List<String> notes = new ArrayList<>();
        notes.add(String.format(
                Locale.ROOT,
                "readout bytes: the driver scrolled %.0f slices in %.1f s (%.1f Hz) and sent %d VIEWs",
                scrolled[0],
                scrolled[1] / 1000,
                rate,
                views));
        List<String> csv = new ArrayList<>(
                List.of("receiver,period,seconds,view_payload_bytes,view_messages,transport_bytes,transport_packets"));
        List<Double> payloadKbps = new ArrayList<>();
        List<Double> wireKbps = new ArrayList<>();
        List<Double> wireAt30 = new ArrayList<>();
        for (int k = 0; k < followers.size(); k++) {
            double[] idle = minus(idleEnd.get(k), idleStart.get(k));
            double[] scroll = minus(scrollEnd.get(k), scrollStart.get(k));
            csv.add(row(k + 1, "idle", idle));
            csv.add(row(k + 1, "scroll", scroll));
            double ts = scroll[4] / 1000;
            double ti = idle[4] / 1000;
            double payload = scroll[0] / ts;
            double udp = scroll[2] / ts - idle[2] / ti;
            double wire = (scroll[2] + IPV4_UDP_HEADERS * scroll[3]) / ts - (idle[2] + IPV4_UDP_HEADERS * idle[3]) / ti;
            double messages = scroll[1] / ts;
            payloadKbps.add(payload * 8 / 1000);
            wireKbps.add(wire * 8 / 1000);
            wireAt30.add(wire / messages * HZ * 8 / 1000);
            notes.add(String.format(
                    Locale.ROOT,
                    "  receiver %d: VIEW payload %.0f B/s = %.2f kbps (%.1f VIEWs/s of %.1f B); UDP payload %.0f B/s,"
                            + " with IPv4+UDP headers %.0f B/s = %.2f kbps (%.0f B a VIEW), idle subtracted (idle: %.0f B/s in %.1f packets/s)",
                    k + 1,
                    payload,
                    payload * 8 / 1000,
                    messages,
                    scroll[0] / scroll[1],
                    udp,
                    wire,
                    wire * 8 / 1000,
                    wire / messages,
                    idle[2] / ti,
                    idle[3] / ti));
        }
        notes.add(String.format(
                Locale.ROOT,
                "  per receiver: VIEW payload %.2f kbps, on the wire %.2f kbps at %.1f VIEWs/s, %.2f kbps scaled to 30/s"
                        + " (target < 8; the paper: about 22)",
                Stats.mean(payloadKbps),
                Stats.mean(wireKbps),
                views / (scrolled[1] / 1000),
                Stats.mean(wireAt30)));
        Files.write(out.resolve("bytes.csv"), csv);
        List<String> labels = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (int k = 0; k < followers.size(); k++) {
            labels.addAll(List.of("r" + (k + 1) + " VIEW payload", "r" + (k + 1) + " on the wire"));
            values.addAll(List.of(payloadKbps.get(k), wireKbps.get(k)));
        }
        Plot.bars(
                out.resolve("bytes.png"),
                String.format(
                        Locale.ROOT, "View state per receiver, driver scrolling at %.0f Hz (kbps), target 8", rate),
                labels,
                values,
                8);
        return notes;
    }

    private static List<double[]> received(List<Page> pages) {
        return pages.stream().map(p -> Stats.numbers(p.evaluate(RECEIVED))).toList();
    }

    private static double[] minus(double[] end, double[] start) {
        double[] d = new double[end.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = end[i] - start[i];
        }
        return d;
    }

    private static String row(int receiver, String period, double[] d) {
        return String.format(
                Locale.ROOT, "%d,%s,%.2f,%.0f,%.0f,%.0f,%.0f", receiver, period, d[4] / 1000, d[0], d[1], d[2], d[3]);
    }
}
