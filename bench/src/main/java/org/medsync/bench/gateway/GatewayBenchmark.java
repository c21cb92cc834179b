package org.medsync.bench.gateway;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.WaitForSelectorState;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.medsync.bench.plot.Plot;
import org.medsync.gateway.flow.FlowGateway;
import org.medsync.gateway.h264.H264Encoder;
import org.medsync.rtv.metadata.Dataset;
import org.medsync.rtv.transmitter.TestPatternSource;
import org.medsync.rtv.transmitter.Transmitter;
import org.medsync.rtv.transmitter.TransmitterConfig;
import org.medsync.server.TestServer;
import org.medsync.server.browser.Chromium;
import org.medsync.server.demo.DemoContent;
import org.medsync.st2110.timing.FrameRate;
import org.medsync.st2110.timing.SystemMediaClock;
import org.medsync.st2110.video.VideoFormat;

/**
 * Issue 12's measurements (docs/benchmarks.md "OR gateway"): one 720p50 4:2:2 10-bit test-pattern RTV flow -> the
 * server's gateway (one x264 encode) -> Janus -> 1 and then 8 Chromium viewers on this host. Glass to glass: for
 * every frame a viewer paints, requestVideoFrameCallback's expected display time minus the frame's alignment point,
 * which is its burned-in stamp (the RTV RTP timestamp: TAI in 90 kHz) — one host, one clock. CPU: the gateway's
 * own thread (conversion + encode + send, FlowGateway.Status.cpuNanos) per flow, Janus's process per viewer.
 * Baseline in the same run: the paper's GStreamer pipeline (Debian's gst-launch-1.0, rtpvrawdepay ! videoconvert !
 * x264enc tune=zerolatency) fed by the same kind of transmitter; its CPU with and without the conversion and encode.
 */
public final class GatewayBenchmark {
    /** Frames per second of the flow; 50 unless --fps says otherwise. */
    private static int fps = 50;

    private GatewayBenchmark() {}

    /** One viewer count's numbers. */
    record Run(
            int viewers,
            List<Double> ages,
            double fpsPerViewer,
            double gatewayCpu,
            double janusCpuPerViewer,
            int encoders,
            double encodedFps) {
        double p(double q) {
            List<Double> s = new ArrayList<>(ages);
            s.sort(null);
            return s.isEmpty() ? Double.NaN : s.get((int) Math.min(s.size() - 1, Math.floor(q * s.size())));
        }
    }

    public static List<String> run(Path results, List<String> args) throws Exception {
        int seconds = 15;
        List<Integer> counts = List.of(1, 8);
        for (int i = 0; i + 1 < args.size(); i += 2) {
            switch (args.get(i)) {
                case "--seconds" -> seconds = Integer.parseInt(args.get(i + 1));
                case "--fps" -> fps = Integer.parseInt(args.get(i + 1));
                case "--viewers" ->
                    counts = List.of(args.get(i + 1).split(",")).stream()
                            .map(Integer::parseInt)
                            .toList();
                default -> throw new IllegalArgumentException("unknown option " + args.get(i));
            }
        }
        Path dir = Files.createDirectories(results.resolve("gateway"));
        List<String> summary = new ArrayList<>();
        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        summary.add("OR gateway (issue 12), 720p" + fps + " 4:2:2 10-bit test pattern, " + seconds
                + " s per run; load average " + "at start " + load + " (2 cores shared with other work)");
        Properties p = new Properties();
        p.setProperty("ors", "bench");
        p.setProperty("or.bench.name", "Bench OR");
        p.setProperty("or.bench.flows", "endoscope");
        p.setProperty("or.bench.flow.endoscope.sdp", "test-pattern:720p" + fps);
        p.setProperty("or.sfu.interfaces", "lo");
        p.setProperty("or.sfu.ports", "44000-44199");
        p.setProperty("or.sfu.ingest-ports", "44200-44299");
        List<Run> runs = new ArrayList<>();
        try (TestServer server = TestServer.start(false, p);
                Chromium chromium = Chromium.launch()) {
            for (int n : counts) {
                runs.add(measure(server, chromium, n, seconds));
            }
        }
        StringBuilder csv = new StringBuilder(
                "viewers,frames,p50_ms,p95_ms,p99_ms,fps_per_viewer,gateway_cpu_pct,janus_cpu_pct_per_viewer,encoders\n");
        for (Run r : runs) {
            csv.append(String.format(
                    Locale.ROOT,
                    "%d,%d,%.1f,%.1f,%.1f,%.1f,%.1f,%.2f,%d%n",
                    r.viewers,
                    r.ages.size(),
                    r.p(0.5),
                    r.p(0.95),
                    r.p(0.99),
                    r.fpsPerViewer,
                    r.gatewayCpu,
                    r.janusCpuPerViewer,
                    r.encoders));
            summary.add(String.format(
                    Locale.ROOT,
                    "gateway, %d viewer(s): glass to glass p50 %.0f ms, p95 %.0f ms, p99 %.0f ms over %d painted frames"
                            + " (%.1f fps painted per viewer); gateway %.1f frames encoded/s, CPU %.1f %% of a core per"
                            + " flow (%d encoder);"
                            + " Janus %.2f %% of a core per viewer",
                    r.viewers,
                    r.p(0.5),
                    r.p(0.95),
                    r.p(0.99),
                    r.ages.size(),
                    r.fpsPerViewer,
                    r.encodedFps,
                    r.gatewayCpu,
                    r.encoders,
                    r.janusCpuPerViewer));
        }
        if (runs.size() >= 2) {
            summary.add(String.format(
                    Locale.ROOT,
                    "gateway CPU per flow at %d viewers / at %d: %.2f (flat within 15 %%: %s)",
                    runs.getLast().viewers,
                    runs.getFirst().viewers,
                    runs.getLast().gatewayCpu / runs.getFirst().gatewayCpu,
                    Math.abs(runs.getLast().gatewayCpu / runs.getFirst().gatewayCpu - 1) <= 0.15 ? "yes" : "no"));
        }
        double[] gst = gstreamer(seconds);
        summary.add(String.format(
                Locale.ROOT,
                "GStreamer baseline (gst-launch-1.0 udpsrc ! rtpvrawdepay ! videoconvert ! x264enc tune=zerolatency"
                        + " speed-preset=ultrafast threads=1 ! rtph264pay ! udpsink, no webrtcbin): %.1f %% of a core;"
                        + " receive + depay alone (udpsrc ! rtpvrawdepay ! fakesink) %.1f %%; so convert + encode +"
                        + " pay %.1f %% against the gateway's %.1f %% (ratio %.2f)",
                gst[0],
                gst[1],
                gst[0] - gst[1],
                runs.getFirst().gatewayCpu,
                runs.getFirst().gatewayCpu / (gst[0] - gst[1])));
        csv.append(String.format(Locale.ROOT, "gstreamer,,,,,,%.1f,,%n", gst[0] - gst[1]));
        Files.writeString(dir.resolve("gateway.csv"), csv);
        List<String> labels = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (Run r : runs) {
            labels.add(r.viewers + "v p50");
            values.add(r.p(0.5));
            labels.add(r.viewers + "v p95");
            values.add(r.p(0.95));
            labels.add(r.viewers + "v p99");
            values.add(r.p(0.99));
        }
        String foot = "scripts/bench gateway --fps " + fps + ", one host, load average " + load;
        Plot.bars(
                dir.resolve("gateway-glass-to-glass.png"),
                "OR gateway: glass to glass (ms), target p95 < 120",
                foot,
                labels,
                values,
                120);
        List<String> cpuLabels = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        for (Run r : runs) {
            cpuLabels.add("gateway " + r.viewers + "v");
            cpu.add(r.gatewayCpu);
        }
        cpuLabels.add("GStreamer");
        cpu.add(gst[0] - gst[1]);
        for (Run r : runs) {
            cpuLabels.add("Janus/viewer " + r.viewers + "v");
            cpu.add(r.janusCpuPerViewer);
        }
        Plot.bars(
                dir.resolve("gateway-cpu.png"),
                "CPU (% of a core): per flow (convert + encode + send) and per viewer",
                foot,
                cpuLabels,
                cpu,
                Double.NaN);
        Files.write(dir.resolve("summary.txt"), summary);
        return summary;
    }

    private static final String COLLECT = """
            () => {
              const v = document.querySelector('[data-testid=or-video]');
              const c = document.createElement('canvas'); c.width = 272; c.height = 1;
              const g = c.getContext('2d', { willReadFrequently: true });
              window.g2g = [];
              const frame = (now, meta) => {
                g.drawImage(v, 16, 20, 272, 1, 0, 0, 272, 1);
                const d = g.getImageData(0, 0, 272, 1).data;
                const l = (x) => 0.299 * d[x * 4] + 0.587 * d[x * 4 + 1] + 0.114 * d[x * 4 + 2];
                if (l(4) > 180 && l(33 * 8 + 4) < 60) {
                  let s = 0;
                  for (let i = 0; i < 32; i++) s = s * 2 + (l((i + 1) * 8 + 4) > 128 ? 1 : 0);
                  const shown = performance.timeOrigin + meta.expectedDisplayTime;
                  let age = (((shown + 37000) * 90) % 2 ** 32 - s) % 2 ** 32;
                  if (age < 0) age += 2 ** 32;
                  if (age >= 2 ** 31) age -= 2 ** 32;
                  window.g2g.push(age / 90);
                }
                v.requestVideoFrameCallback(frame);
              };
              v.requestVideoFrameCallback(frame);
            }""";

    private static Run measure(TestServer server, Chromium chromium, int n, int seconds) throws Exception {
        List<BrowserContext> contexts = new ArrayList<>();
        List<Page> pages = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                BrowserContext c =
                        chromium.browser().newContext(new Browser.NewContextOptions().setViewportSize(1280, 800));
                contexts.add(c);
                Page page = c.newPage();
                page.navigate(server.http() + "/#/login");
                page.fill("input[name=username]", "attending");
                page.fill("input[name=password]", DemoContent.PASSWORD);
                page.click("button[type=submit]");
                page.waitForSelector("[data-testid=current-user]");
                page.navigate(server.http() + "/#/or/bench");
                page.waitForSelector(
                        "[data-testid=or-video][data-state=playing]",
                        new Page.WaitForSelectorOptions()
                                .setState(WaitForSelectorState.ATTACHED)
                                .setTimeout(120_000));
                pages.add(page);
            }
            for (Page page : pages) {
                page.evaluate(COLLECT);
            }
            Thread.sleep(3000);
            for (Page page : pages) {
                page.evaluate("() => { window.g2g = []; }");
            }
            FlowGateway.Status a = server.server().ors().gatewayStatus("bench", "endoscope");
            long janus = janusPid(server);
            long janusA = cpuTicks(janus);
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            FlowGateway.Status b = server.server().ors().gatewayStatus("bench", "endoscope");
            long janusB = cpuTicks(janus);
            double wall = (System.nanoTime() - t0) / 1e9;
            List<Double> ages = new ArrayList<>();
            for (Page page : pages) {
                @SuppressWarnings("unchecked")
                List<Number> got = (List<Number>) page.evaluate("() => window.g2g");
                got.forEach(x -> ages.add(x.doubleValue()));
            }
            double gatewayCpu = (b.cpuNanos() - a.cpuNanos()) / 1e7 / wall;
            // clock ticks are 1/100 s: ticks / s = % of a core
            double janusCpu = (janusB - janusA) / wall / n;
            return new Run(
                    n,
                    ages,
                    ages.size() / wall / n,
                    gatewayCpu,
                    janusCpu,
                    H264Encoder.openEncoders(),
                    (b.framesEncoded() - a.framesEncoded()) / wall);
        } finally {
            contexts.forEach(BrowserContext::close);
            for (int i = 0;
                    i < 100 && server.server().ors().viewerCounts().getOrDefault("bench/endoscope", 0) > 0;
                    i++) {
                Thread.sleep(200);
            }
        }
    }

    private static long janusPid(TestServer server) {
        return ProcessHandle.of(server.server().ors().janusPid())
                .orElseThrow()
                .children()
                .filter(c -> c.info().command().orElse("").endsWith("janus"))
                .findFirst()
                .orElseThrow()
                .pid();
    }

    /** utime + stime of a process, in clock ticks (1/100 s). */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** [full pipeline, receive + depay only] CPU in % of a core, each over {@code seconds}. */
    private static double[] gstreamer(int seconds) throws Exception {
        int port;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        int meta;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            meta = s.getLocalPort();
        }
        String caps = "application/x-rtp,media=video,clock-rate=90000,encoding-name=RAW,sampling=YCbCr-4:2:2,"
                + "depth=(string)10,width=(string)1280,height=(string)720,colorimetry=BT709,payload=96";
        String src =
                "udpsrc address=127.0.0.1 port=" + port + " buffer-size=33554432 caps=\"" + caps + "\" ! rtpvrawdepay";
        try (Transmitter tx = new Transmitter(
                "Baseline", v -> new TestPatternSource("BASELINE", v), new SystemMediaClock(), "127.0.0.1", "lo")) {
            tx.configure(new TransmitterConfig(
                    new VideoFormat(10, 1280, 720, new FrameRate(fps, 1), VideoFormat.Colorimetry.BT709),
                    new TransmitterConfig.Endpoint("127.0.0.1", port),
                    new TransmitterConfig.Endpoint("127.0.0.1", meta),
                    1,
                    "1.2.840.10008.10.1",
                    Dataset.of()));
            tx.start();
            double full = gstCpu(
                    src + " ! videoconvert ! video/x-raw,format=I420 ! x264enc tune=zerolatency speed-preset=ultrafast"
                            + " bitrate=2500 threads=1 key-int-max=50 ! rtph264pay config-interval=-1 ! udpsink"
                            + " host=127.0.0.1 port=9",
                    seconds);
            double receive = gstCpu(src + " ! fakesink", seconds);
            return new double[] {full, receive};
        }
    }

    private static double gstCpu(String pipeline, int seconds) throws Exception {
        Process gst = new ProcessBuilder("bash", "-c", "exec gst-launch-1.0 -q " + pipeline)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            Thread.sleep(3000);
            if (!gst.isAlive()) {
                throw new IOException("gst-launch-1.0 exited (" + gst.exitValue() + "): " + pipeline);
            }
            long a = cpuTicks(gst.pid());
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            long b = cpuTicks(gst.pid());
            return (b - a) / ((System.nanoTime() - t0) / 1e9);
        } finally {
            gst.destroy();
            gst.waitFor(5, TimeUnit.SECONDS);
            gst.destroyForcibly();
        }
    }
}
