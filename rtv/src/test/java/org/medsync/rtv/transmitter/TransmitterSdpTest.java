package org.medsync.rtv.transmitter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.medsync.rtv.metadata.Dataset;
import org.medsync.rtv.metadata.NmosHeader;
import org.medsync.rtv.metadata.RtvMeta;
import org.medsync.rtv.receiver.FlowDescription;
import org.medsync.sdp.SessionDescription;
import org.medsync.sdp.TsRefClk;
import org.medsync.st2110.video.VideoFormat;

class TransmitterSdpTest {

    @Test
    void multicastSdp_isWhatTheWireDocShows_andTheReceiverReadsItBack() {
        TransmitterConfig c = new TransmitterConfig(
                VideoFormat.hd1080p50x10(),
                new TransmitterConfig.Endpoint("239.100.9.10", 5004),
                new TransmitterConfig.Endpoint("239.100.9.11", 5006),
                32,
                RtvMeta.VIDEO_ENDOSCOPIC_IMAGE_RTC,
                Dataset.EMPTY);
        String sdp = TransmitterSdp.of(
                        c, "Endoscope 1", "192.168.1.10", 1, 1, TsRefClk.Ptp.ieee1588("08-00-11-FF-FE-21-E1-B0", 127))
                .generate();
        // ST 2110-10 when locked: the grandmaster and domain, and RTP time = PTP time (offset 0)
        assertTrue(
                sdp.contains("a=ts-refclk:ptp=IEEE1588-2008:08-00-11-FF-FE-21-E1-B0:127\r\na=mediaclk:direct=0\r\n"),
                sdp);
        assertTrue(
                sdp.contains("m=video 5004 RTP/AVP 96\r\nc=IN IP4 239.100.9.10/32\r\n"
                        + "a=source-filter: incl IN IP4 239.100.9.10 192.168.1.10\r\na=rtpmap:96 raw/90000\r\n"
                        + "a=fmtp:96 sampling=YCbCr-4:2:2; depth=10; width=1920; height=1080; exactframerate=50; "
                        + "colorimetry=BT709; PM=2110GPM; SSN=ST2110-20:2017; TP=2110TPNL; TCS=SDR; MAXUDP=1460\r\n"),
                sdp);
        assertTrue(
                sdp.contains("m=application 5006 RTP/AVP 104\r\n")
                        && sdp.contains("a=rtpmap:104 dicom/90000\r\n")
                        && sdp.contains("a=extmap:5 urn:x-nmos:rtp-hdrext:grain-flags\r\n"),
                sdp);
        assertEquals(sdp, SessionDescription.parse(sdp).generate());
        FlowDescription d = FlowDescription.parse(sdp);
        assertEquals(VideoFormat.hd1080p50x10(), d.format());
        assertEquals("239.100.9.10", d.videoAddress());
        assertEquals(5004, d.videoPort());
        assertEquals(List.of("192.168.1.10"), d.videoSources());
        assertEquals(
                new FlowDescription.Clocking(OptionalLong.of(0), true),
                d.clocking(),
                "mediaclk:direct=0 against a PTP ts-refclk");
        assertEquals(
                new FlowDescription.Metadata(
                        "239.100.9.11", 5006, 104, NmosHeader.Ids.STANDARD, List.of("192.168.1.10")),
                d.metadata().orElseThrow());
    }

    @Test
    void unicastSdp_hasNoTtlNorSourceFilter() {
        TransmitterConfig c = new TransmitterConfig(
                VideoFormat.hd720p50x10(),
                new TransmitterConfig.Endpoint("127.0.0.1", 5004),
                new TransmitterConfig.Endpoint("127.0.0.1", 5006),
                8,
                RtvMeta.VIDEO_PHOTOGRAPHIC_IMAGE_RTC,
                Dataset.EMPTY);
        String sdp = TransmitterSdp.of(c, "Hand camera", "127.0.0.1", 1, 1, new TsRefClk.LocalMac("CA-FE-01-CA-FE-02"))
                .generate();
        assertTrue(sdp.contains("a=ts-refclk:localmac=CA-FE-01-CA-FE-02\r\n"), sdp);
        assertTrue(sdp.contains("c=IN IP4 127.0.0.1\r\n") && !sdp.contains("source-filter"), sdp);
        assertEquals(VideoFormat.hd720p50x10(), FlowDescription.parse(sdp).format());
    }
}
