package org.medsync.server.or;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.medsync.rtv.control.DicomJson;
import org.medsync.rtv.metadata.Dataset;
import org.medsync.rtv.metadata.RtvMeta;
import org.medsync.rtv.transmitter.TestPatternSource;
import org.medsync.rtv.transmitter.Transmitter;
import org.medsync.rtv.transmitter.TransmitterConfig;
import org.medsync.server.janus.JanusSession;
import org.medsync.st2110.timing.FrameRate;
import org.medsync.st2110.timing.MediaClock;
import org.medsync.st2110.video.VideoFormat;

/**
 * Flows configured as {@code test-pattern[:<lines>p<rate>]} (docs/configuration.md "Live ORs"): an RTV test-pattern
 * transmitter in this process, on loopback, started when the flow is first watched and stopped with its gateway, so
 * an OR nobody watches costs nothing — the demo OR (two such flows) on a 2-core demo machine. Every frame carries
 * the transmitter's burned-in stamp (its RTP timestamp, 32 cells at 16,16); every transmitter runs on the same media
 * clock, so frames of the same instant carry equal timestamps in all flows of an OR, as PTP-locked devices in an OR
 * do.
 */
final class TestPatternFlows implements AutoCloseable {
    static final String SCHEME = "test-pattern";
    private static final Pattern SPEC = Pattern.compile("test-pattern(?::(720|1080)p(\\d{1,2}))?");

    private final MediaClock clock;
    private final Map<String, Transmitter> running = new ConcurrentHashMap<>();

    TestPatternFlows(MediaClock clock) {
        this.clock = clock;
    }

    static boolean is(String sdpSetting) {
        return sdpSetting.equals(SCHEME) || sdpSetting.startsWith(SCHEME + ":");
    }

    /**
     * The video format a {@code test-pattern} setting names: 1280x720 or 1920x1080, 4:2:2 10-bit, 1-60 frames per
     * second (default 720p10).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static VideoFormat format(String sdpSetting) {
        Matcher m = SPEC.matcher(sdpSetting);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "'" + sdpSetting + "' is no test pattern: test-pattern or test-pattern:<720|1080>p<rate>");
        }
        int lines = m.group(1) == null ? 720 : Integer.parseInt(m.group(1));
        int rate = m.group(2) == null ? 10 : Integer.parseInt(m.group(2));
        if (rate < 1 || rate > 60) {
            throw new IllegalArgumentException("test pattern rate " + rate + " must be 1..60 frames per second");
        }
        return new VideoFormat(10, lines * 16 / 9, lines, new FrameRate(rate, 1), VideoFormat.Colorimetry.BT709);
    }

    /**
     * The static metadata of a test-pattern flow from its DICOM JSON text (PS3.18 F.2, e.g. a worklist item's
     * {@code toDicomJson()}).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static Dataset metadata(String dicomJson) {
        if (dicomJson == null || dicomJson.isBlank()) {
            return Dataset.of();
        }
        try {
            return DicomJson.toDataset(JanusSession.JSON.readValue(dicomJson, Map.class));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
    }

    /** The running transmitter's SDP for flow {@code key}, starting the transmitter when none runs. */
    String sdp(String key, String label, String setting, String dicomJson) throws IOException {
        try {
            return running.computeIfAbsent(key, k -> start(label, setting, dicomJson))
                    .sdp();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private Transmitter start(String label, String setting, String dicomJson) {
        try {
            Transmitter tx = new Transmitter(
                    label, v -> new TestPatternSource(label.toUpperCase(Locale.ROOT), v), clock, "127.0.0.1", "lo");
            tx.configure(new TransmitterConfig(
                    format(setting),
                    new TransmitterConfig.Endpoint("127.0.0.1", freeUdpPort()),
                    new TransmitterConfig.Endpoint("127.0.0.1", freeUdpPort()),
                    1,
                    RtvMeta.VIDEO_ENDOSCOPIC_IMAGE_RTC,
                    metadata(dicomJson)));
            tx.start();
            return tx;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    void stop(String key) {
        Transmitter tx = running.remove(key);
        if (tx != null) {
            tx.close();
        }
    }

    @Override
    public void close() {
        running.keySet().forEach(this::stop);
    }
}
