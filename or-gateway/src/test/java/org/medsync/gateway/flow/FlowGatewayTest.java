package org.medsync.gateway.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.medsync.gateway.h264.EncoderSettings;
import org.medsync.gateway.h264.H264Packetizer;
import org.medsync.gateway.h264.TestDecoder;
import org.medsync.gateway.h264.TimestampSei;
import org.medsync.rtp.RtpPacket;
import org.medsync.rtv.metadata.DataElement;
import org.medsync.rtv.metadata.Dataset;
import org.medsync.rtv.metadata.Tags;
import org.medsync.rtv.metadata.Vr;
import org.medsync.rtv.transmitter.TestPatternSource;
import org.medsync.rtv.transmitter.Transmitter;
import org.medsync.rtv.transmitter.TransmitterConfig;
import org.medsync.st2110.timing.FrameRate;
import org.medsync.st2110.timing.SystemMediaClock;
import org.medsync.st2110.video.VideoFormat;

/**
 * A real test-pattern transmitter on loopback -> the gateway -> H.264 RTP on a socket of the test, depacketized and
 * decoded by FFmpeg's decoder: the picture's burned-in stamp (the RTV frame's RTP timestamp) equals the H.264
 * packets' RTP timestamp.
 */
class FlowGatewayTest {
    /** 720 lines: the transmitter paces only 720- and 1080-line formats. 10 fps keeps the 2-core build host calm. */
    static final VideoFormat F = new VideoFormat(10, 1280, 720, new FrameRate(10, 1), VideoFormat.Colorimetry.BT709);

    static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static Transmitter transmitter() throws IOException {
        Transmitter tx = new Transmitter(
                "Endoscope", v -> new TestPatternSource("ENDOSCOPE", v), new SystemMediaClock(), "127.0.0.1", "lo");
        tx.configure(new TransmitterConfig(
                F,
                new TransmitterConfig.Endpoint("127.0.0.1", freeUdpPort()),
                new TransmitterConfig.Endpoint("127.0.0.1", freeUdpPort()),
                1,
                "1.2.840.10008.10.1",
                Dataset.of(DataElement.text(Tags.STATION_NAME, Vr.SH, "OR-3-ENDO"))));
        tx.start();
        return tx;
    }

    @Test
    @Timeout(60)
    void everyAccessUnitCarriesItsRtvFramesTimestamp_andDecodesToThatFrame() throws Exception {
        try (DatagramSocket rtp = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                Transmitter tx = transmitter();
                FlowGateway g = FlowGateway.start(
                        "or3-endoscope",
                        tx.sdp(),
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), rtp.getLocalPort()),
                        // a generous playout latency: a loaded build host renders the test pattern late
                        new FlowGateway.Settings(new EncoderSettings(2000, 1, "ultrafast", 1), 400, "lo"),
                        new SystemMediaClock())) {
            rtp.setReceiveBufferSize(4 << 20);
            rtp.setSoTimeout(3000);
            Map<Long, String> stations = new ConcurrentHashMap<>();
            Map<Long, Boolean> ownOrigin = new ConcurrentHashMap<>();
            g.onFrame((ts, statics, frame) -> {
                stations.put(ts, statics.map(m -> m.string(Tags.STATION_NAME)).orElse(""));
                // the frame's own part: its Frame Origin Timestamp, and not the static station name
                ownOrigin.put(
                        ts,
                        frame.map(m -> m.contains(Tags.FRAME_ORIGIN_TIMESTAMP) && !m.contains(Tags.STATION_NAME))
                                .orElse(false));
            });
            assertTrue(g.fmtp().contains("packetization-mode=1"), g.fmtp());
            assertTrue(g.fmtp().startsWith("profile-level-id=42e01f"), "720p10 is level 3.1: " + g.fmtp());

            // access units by timestamp, in arrival order; at least 40 frames (4 s)
            Map<Long, List<RtpPacket>> units = new LinkedHashMap<>();
            long deadline = System.nanoTime() + 20_000_000_000L;
            int sequence = -1;
            int gaps = 0;
            byte[] buf = new byte[2048];
            boolean askedKeyframe = false;
            long keyframeAskedAfter = -1;
            while (units.size() < 40 && System.nanoTime() < deadline) {
                DatagramPacket d = new DatagramPacket(buf, buf.length);
                try {
                    rtp.receive(d);
                } catch (SocketTimeoutException e) {
                    break;
                }
                assertTrue(d.getLength() <= 12 + FlowGateway.MAX_PAYLOAD, "packet of " + d.getLength());
                byte[] copy = new byte[d.getLength()];
                System.arraycopy(buf, 0, copy, 0, d.getLength());
                RtpPacket p = RtpPacket.parse(ByteBuffer.wrap(copy));
                assertEquals(FlowGateway.PAYLOAD_TYPE, p.payloadType());
                if (sequence >= 0 && p.sequenceNumber() != ((sequence + 1) & 0xFFFF)) {
                    gaps++;
                }
                sequence = p.sequenceNumber();
                units.computeIfAbsent(p.timestamp(), t -> new ArrayList<>()).add(p);
                if (units.size() == 20 && !askedKeyframe) {
                    askedKeyframe = true;
                    keyframeAskedAfter = p.timestamp();
                    g.requestKeyframe();
                }
            }
            assertEquals(0, gaps, "RTP sequence gaps on loopback");
            assertTrue(units.size() >= 40, "access units received: " + units.size());
            FlowGateway.Status atEnd = g.status();

            Set<Integer> types = new TreeSet<>();
            int matched = 0;
            int decoded = 0;
            long firstKeyframeAfterRequest = -1;
            boolean afterRequest = false;
            List<String> mismatches = new ArrayList<>();
            try (TestDecoder decoder = new TestDecoder()) {
                boolean first = true;
                for (Map.Entry<Long, List<RtpPacket>> u : units.entrySet()) {
                    List<RtpPacket> packets = u.getValue();
                    if (!packets.getLast().marker()) {
                        continue; // the last one may be cut off by the loop's end
                    }
                    List<ByteBuffer> nals = depacketize(packets, types);
                    boolean idr = nals.stream().anyMatch(n -> (n.get(0) & 0x1F) == 5);
                    long key = u.getKey();
                    assertEquals(
                            1,
                            nals.stream()
                                    .filter(n -> TimestampSei.read(n).equals(OptionalLong.of(key)))
                                    .count(),
                            "every access unit carries its RTV timestamp in our SEI, whatever an SFU does to the"
                                    + " header");
                    if (first) {
                        assertTrue(
                                nals.stream().anyMatch(n -> (n.get(0) & 0x1F) == 7)
                                        && nals.stream().anyMatch(n -> (n.get(0) & 0x1F) == 8)
                                        && idr,
                                "the stream starts with SPS, PPS and an IDR picture");
                        first = false;
                    }
                    if (afterRequest && idr && firstKeyframeAfterRequest < 0) {
                        firstKeyframeAfterRequest = u.getKey();
                    }
                    if (u.getKey() == keyframeAskedAfter) {
                        afterRequest = true;
                    }
                    for (TestDecoder.Luma l : decoder.decode(nals, u.getKey())) {
                        decoded++;
                        long stamp = TestDecoder.stamp(l);
                        if (stamp == u.getKey()) {
                            matched++;
                        } else {
                            assertTrue(stamp < u.getKey(), "a frame newer than its timestamp: " + stamp);
                            mismatches.add(u.getKey() + "->" + stamp);
                        }
                    }
                }
            }
            assertTrue(
                    types.stream()
                            .allMatch(t ->
                                    Set.of(1, 5, 6, 7, 8, H264Packetizer.FU_A).contains(t)),
                    "NAL types " + types);
            // The metadata consumer hears of every access unit sent, with the same timestamp and that frame's metadata.
            long described = units.keySet().stream()
                    .skip(5)
                    .filter(t -> "OR-3-ENDO".equals(stations.get(t)))
                    .count();
            assertEquals(units.size() - 5, described, "frames whose metadata reached the listener");
            long withOwnPart = units.keySet().stream()
                    .skip(5)
                    .filter(t -> ownOrigin.getOrDefault(t, false))
                    .count();
            // a concealed frame may lack its own part (its grain was late too): never another frame's
            assertTrue(
                    withOwnPart >= units.size() - 5 - atEnd.framesConcealed(),
                    "each frame's own part holds its origin timestamp and not the static part: " + withOwnPart + " of "
                            + (units.size() - 5) + ", concealed " + atEnd.framesConcealed());
            assertTrue(types.contains(H264Packetizer.FU_A), "keyframes larger than a packet travel in FU-A");
            assertTrue(decoded >= 35, "decoded " + decoded);
            // concealed (repeated) RTV frames carry an older stamp: allow a few on a loaded host
            // Only a frame the receiver concealed (late on a loaded host: its last good frame, or black before the
            // first) may show another stamp, and then never a newer one.
            assertTrue(mismatches.size() <= atEnd.framesConcealed(), mismatches + " but concealed " + atEnd);
            assertTrue(matched >= 10, matched + " of " + decoded + " matched; " + mismatches);
            long period = 90_000 / 10;
            assertTrue(
                    firstKeyframeAfterRequest > 0 && firstKeyframeAfterRequest - keyframeAskedAfter <= 3 * period,
                    "keyframe within 3 frames of the request: asked after " + keyframeAskedAfter + ", got "
                            + firstKeyframeAfterRequest);
            FlowGateway.Status s = g.status();
            assertNull(s.error());
            assertTrue(s.framesEncoded() >= 40);
            assertTrue(s.cpuNanos() > 0);
        }
    }

    /** RFC 6184 mode 1 receive side: single NAL packets as they are, FU-A fragments joined. */
    private static List<ByteBuffer> depacketize(List<RtpPacket> packets, Set<Integer> types) {
        List<ByteBuffer> nals = new ArrayList<>();
        ByteArrayOutputStream fu = null;
        for (RtpPacket p : packets) {
            ByteBuffer b = p.payload();
            byte[] payload = new byte[b.remaining()];
            b.get(payload);
            int type = payload[0] & 0x1F;
            if (type == H264Packetizer.FU_A) {
                types.add(type);
                boolean start = (payload[1] & 0x80) != 0;
                boolean end = (payload[1] & 0x40) != 0;
                if (start) {
                    fu = new ByteArrayOutputStream();
                    fu.write((payload[0] & 0xE0) | (payload[1] & 0x1F));
                }
                fu.write(payload, 2, payload.length - 2);
                if (end) {
                    byte[] nal = fu.toByteArray();
                    types.add(nal[0] & 0x1F);
                    nals.add(ByteBuffer.wrap(nal));
                }
            } else {
                types.add(type);
                nals.add(ByteBuffer.wrap(payload));
            }
        }
        return nals;
    }
}
