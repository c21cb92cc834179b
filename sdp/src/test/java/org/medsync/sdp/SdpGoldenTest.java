package org.medsync.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The SDP we generate, byte for byte, and what it reads back as. */
class SdpGoldenTest {

    static final String VIDEO = """
            v=0\r
            o=- 1 1 IN IP4 192.168.1.10\r
            s=Endoscope 1 video\r
            t=0 0\r
            m=video 5004 RTP/AVP 96\r
            c=IN IP4 239.100.9.10/32\r
            a=source-filter: incl IN IP4 239.100.9.10 192.168.1.10\r
            a=rtpmap:96 raw/90000\r
            a=fmtp:96 sampling=YCbCr-4:2:2; depth=10; width=1920; height=1080; exactframerate=50; \
            colorimetry=BT709; PM=2110GPM; SSN=ST2110-20:2017; TP=2110TPNL; TCS=SDR; MAXUDP=1460\r
            a=ts-refclk:ptp=IEEE1588-2008:08-00-11-FF-FE-21-E1-B0:127\r
            a=mediaclk:direct=0\r
            """;

    static final String METADATA = """
            v=0\r
            o=- 1 1 IN IP4 192.168.1.10\r
            s=Endoscope 1 metadata\r
            t=0 0\r
            m=application 5006 RTP/AVP 104\r
            c=IN IP4 239.100.9.11/32\r
            a=source-filter: incl IN IP4 239.100.9.11 192.168.1.10\r
            a=rtpmap:104 dicom/90000\r
            a=ts-refclk:ptp=IEEE1588-2008:08-00-11-FF-FE-21-E1-B0:127\r
            a=mediaclk:direct=0\r
            a=extmap:1 urn:x-nmos:rtp-hdrext:sync-timestamp\r
            a=extmap:2 urn:x-nmos:rtp-hdrext:origin-timestamp\r
            a=extmap:3 urn:x-nmos:rtp-hdrext:flow-id\r
            a=extmap:4 urn:x-nmos:rtp-hdrext:source-id\r
            a=extmap:5 urn:x-nmos:rtp-hdrext:grain-flags\r
            """;

    static final TsRefClk PTP = TsRefClk.Ptp.ieee1588("08-00-11-FF-FE-21-E1-B0", 127);
    static final Origin ORIGIN = Origin.of("-", 1, 1, "192.168.1.10");

    @Test
    void videoFlow_isWhatTheFactoryGenerates() {
        RawVideoFormat format = RawVideoFormat.of(
                        "YCbCr-4:2:2", 10, 1920, 1080, ExactFrameRate.FPS_50, "BT709", "2110TPNL")
                .withTcs("SDR")
                .withMaxUdp(1460);
        MediaDescription m =
                St2110Media.rawVideo(new St2110Media.Route("239.100.9.10", 5004, 32, "192.168.1.10", PTP), format);
        SessionDescription sdp = St2110Media.session(ORIGIN, "Endoscope 1 video", m);
        assertEquals(VIDEO, sdp.generate());
        assertEquals(sdp, SessionDescription.parse(VIDEO));
    }

    @Test
    void videoFlow_readsTyped() {
        SessionDescription sdp = SessionDescription.parse(VIDEO);
        MediaDescription m = sdp.media().getFirst();
        assertEquals("video", m.media());
        assertEquals(5004, m.port());
        assertEquals(
                new Connection("IN", "IP4", "239.100.9.10", OptionalInt.of(32), OptionalInt.empty()),
                m.connections().getFirst());
        assertTrue(m.connections().getFirst().isMulticast());
        assertEquals(new RtpMap(96, "raw", 90000), m.rtpMap(96).orElseThrow());
        RawVideoFormat f = m.rawVideoFormat().orElseThrow();
        assertEquals(1920, f.width());
        assertEquals(1080, f.height());
        assertEquals("10", f.depth());
        assertEquals(ExactFrameRate.FPS_50, f.exactFrameRate());
        assertEquals(OptionalInt.of(1460), f.maxUdp());
        assertEquals(Optional.of("SDR"), f.tcs());
        assertEquals(List.of(PTP), m.attributes(TsRefClk.class));
        assertEquals(List.of(MediaClkDirect.zero()), m.attributes(MediaClkDirect.class));
        assertEquals(
                List.of(new SourceFilter("incl", "IN", "IP4", "239.100.9.10", List.of("192.168.1.10"))),
                m.attributes(SourceFilter.class));
        assertFalse(St2110Media.isDicomMetadata(m));
    }

    @Test
    void metadataFlow_isWhatTheFactoryGenerates() {
        MediaDescription m =
                St2110Media.dicomMetadata(new St2110Media.Route("239.100.9.11", 5006, 32, "192.168.1.10", PTP), 90000);
        SessionDescription sdp = St2110Media.session(ORIGIN, "Endoscope 1 metadata", m);
        assertEquals(METADATA, sdp.generate());
        SessionDescription back = SessionDescription.parse(METADATA);
        assertEquals(sdp, back);
        MediaDescription bm = back.media().getFirst();
        assertTrue(St2110Media.isDicomMetadata(bm));
        assertEquals(new RtpMap(104, "dicom", 90000), bm.rtpMap(104).orElseThrow());
        assertEquals(5, bm.attributes(ExtMap.class).size());
        assertEquals(ExtMap.NMOS_GRAIN_FLAGS, bm.attributes(ExtMap.class).get(4).uri());
    }

    @Test
    void fractionalRate_andOptionalParameters_roundTrip() {
        String fmtp = "sampling=YCbCr-4:2:2; depth=8; width=1280; height=720; exactframerate=60000/1001; "
                + "colorimetry=BT709; PM=2110GPM; SSN=ST2110-20:2017; TP=2110TPN; interlace; RANGE=NARROW; "
                + "MAXUDP=8960; PAR=1:1; TROFF=37; CMAX=4; vendor-x=7";
        RawVideoFormat f = RawVideoFormat.parse(fmtp);
        assertEquals(ExactFrameRate.FPS_59_94, f.exactFrameRate());
        assertTrue(f.interlace());
        assertEquals(OptionalInt.of(37), f.troff());
        assertEquals(OptionalInt.of(4), f.cmax());
        assertEquals(Optional.of("1:1"), f.par());
        assertEquals("7", f.extra().get("vendor-x"));
        assertEquals(fmtp, f.parameters());
        assertEquals(f, RawVideoFormat.parse(f.parameters()));
    }

    @Test
    void otherSendersSdp_lfEndings_trailingSemicolon_lowerCaseNames_parses() {
        String text = """
                v=0
                o=- 1443716955 1443716955 IN IP4 192.168.1.2
                s=st2110 stream
                i=camera 1
                t=0 0
                a=recvonly
                m=video 50000 RTP/AVP 112
                c=IN IP4 239.0.0.1/64
                b=AS:1500000
                a=rtpmap:112 raw/90000
                a=fmtp:112 sampling=YCbCr-4:2:2; width=1280; height=720; exactframerate=60000/1001; depth=10; \
                TCS=SDR; colorimetry=BT709; pm=2110GPM; ssn=ST2110-20:2017; tp=2110TPN;
                a=ts-refclk:localmac=CA-FE-01-CA-FE-02
                a=mediaclk:direct=1234
                a=framerate:59.94
                """;
        SessionDescription sdp = SessionDescription.parse(text);
        assertEquals(List.of(new Attribute.Property("recvonly")), sdp.attributes());
        MediaDescription m = sdp.media().getFirst();
        assertEquals(new Bandwidth("AS", 1500000), m.bandwidths().getFirst());
        RawVideoFormat f = m.rawVideoFormat().orElseThrow();
        assertEquals("2110TPN", f.transmitterType());
        assertEquals(List.of(new TsRefClk.LocalMac("CA-FE-01-CA-FE-02")), m.attributes(TsRefClk.class));
        assertEquals(
                new MediaClkDirect(1234, Optional.empty()),
                m.attributes(MediaClkDirect.class).getFirst());
        assertEquals(
                new Attribute.Value("framerate", "59.94"),
                m.attribute("framerate").orElseThrow());
        assertEquals(sdp, SessionDescription.parse(sdp.generate()));
    }

    @Test
    void ptpTraceable_ip6_portCount_repeatsAndOtherLines_roundTrip() {
        String text = """
                v=0\r
                o=jdoe 2890844526 2890842807 IN IP4 10.47.16.5\r
                s=SDP Seminar\r
                i=A Seminar on the session description protocol\r
                u=http://www.example.com/seminars/sdp.pdf\r
                e=j.doe@example.com (Jane Doe)\r
                p=+1 617 555-6011\r
                c=IN IP6 ff15::101/3\r
                b=CT:1000\r
                t=2873397496 2873404696\r
                r=7d 1h 0 25h\r
                t=0 0\r
                z=2882844526 -1h\r
                a=ts-refclk:ptp=IEEE1588-2008:traceable\r
                a=mediaclk:sender\r
                m=audio 49170/2 RTP/AVP 0 97\r
                a=rtpmap:97 L24/48000/2\r
                a=extmap:7/sendonly urn:ietf:params:rtp-hdrext:toffset attr1\r
                a=sendrecv\r
                """;
        SessionDescription sdp = SessionDescription.parse(text);
        assertEquals(text, sdp.generate());
        assertEquals(
                new TsRefClk.Ptp("IEEE1588-2008", true, Optional.empty(), OptionalInt.empty()),
                sdp.attributes().getFirst());
        assertEquals(OptionalInt.of(3), sdp.connection().orElseThrow().addressCount());
        assertEquals(List.of("7d 1h 0 25h"), sdp.timings().getFirst().repeats());
        assertEquals(
                new ExtMap(7, Optional.of("sendonly"), "urn:ietf:params:rtp-hdrext:toffset", Optional.of("attr1")),
                sdp.media().getFirst().attributes(ExtMap.class).getFirst());
    }

    /** ST 2110-10 section 8.3 / RFC 7104: one stream on two paths, as an ST 2022-7 sender announces it. */
    static final String DUPLICATED = """
            v=0\r
            o=- 1 1 IN IP4 192.168.1.10\r
            s=Endoscope 1\r
            t=0 0\r
            a=group:DUP primary secondary\r
            m=video 5004 RTP/AVP 96\r
            c=IN IP4 239.100.9.10/32\r
            a=source-filter: incl IN IP4 239.100.9.10 192.168.1.10\r
            a=rtpmap:96 raw/90000\r
            a=mid:primary\r
            m=video 5008 RTP/AVP 96\r
            c=IN IP4 239.101.9.10/32\r
            a=source-filter: incl IN IP4 239.101.9.10 192.168.2.10\r
            a=rtpmap:96 raw/90000\r
            a=mid:secondary\r
            """;

    @Test
    void duplicationGroup_readsTyped_andRoundTrips() {
        SessionDescription sdp = SessionDescription.parse(DUPLICATED);
        assertEquals(List.of(Group.duplication("primary", "secondary")), sdp.attributes());
        MediaDescription primary = sdp.media().get(0);
        MediaDescription secondary = sdp.media().get(1);
        assertEquals(Optional.of("primary"), primary.mid());
        assertEquals(List.of(secondary), sdp.duplicates(primary));
        assertEquals(List.of(primary), sdp.duplicates(secondary));
        assertEquals(DUPLICATED, sdp.generate());
        SessionDescription single = SessionDescription.parse(VIDEO);
        assertEquals(List.of(), single.duplicates(single.media().getFirst()));
    }

    @Test
    void duplicationGroup_ofDifferentSections_isRefusedByTheRecordToo() {
        SessionDescription sdp = SessionDescription.parse(DUPLICATED);
        MediaDescription other = MediaDescription.rtp(
                "video",
                5008,
                97,
                sdp.media().get(1).connections(),
                List.of(new RtpMap(97, "raw", 90000), new Mid("secondary")));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> SessionDescription.of(
                        ORIGIN, "x", sdp.attributes(), List.of(sdp.media().get(0), other)));
        assertTrue(e.getMessage().contains("'secondary' differs from 'primary'"), e.getMessage());
    }
}
