package org.medsync.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.medsync.rtv.control.ControlAccess;
import org.medsync.rtv.receiver.Receiver;
import org.medsync.rtv.transmitter.TestPatternSource;
import org.medsync.rtv.video.FrameStamp;
import org.medsync.rtv.video.Y4m;
import org.medsync.st2110.timing.FrameClock;
import org.medsync.st2110.timing.FrameRate;
import org.medsync.st2110.timing.SystemMediaClock;
import org.medsync.st2110.video.Rfc4175Payloader;
import org.medsync.st2110.video.VideoFormat;
import picocli.CommandLine;

/** The token options of {@code medsync rtv tx|rx|configurator serve}: a 0600 file, its path printed, never the token. */
class RtvDeviceCommandsTest {

    @TempDir
    Path dir;

    @Test
    void deviceStartPrintsTheTokenFilePath_neverTheToken() throws Exception {
        RtvDeviceCommands.Tx tx = new RtvDeviceCommands.Tx();
        new CommandLine(tx)
                .parseArgs("--state-dir", dir.resolve("state").toString(), "--allowed-host", "tx1.or1.example");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        ControlAccess access;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            access = tx.access.load("tx", new InetSocketAddress("127.0.0.1", 9001));
        } finally {
            System.setOut(saved);
        }
        Path file = dir.resolve("state/tx-9001.token");
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains(file.toAbsolutePath().toString()), printed);
        assertFalse(printed.contains(access.token().bearer()), "the token itself is never printed");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(access.token().matches(Files.readString(file).strip()));
        assertEquals(java.util.List.of("tx1.or1.example"), access.allowedHosts());
    }

    /**
     * {@code medsync rtv rx --sdp FILE --y4m OUT.y4m --no-overlay}: receives the flow at once (no configurator) and
     * writes what it composes; each recorded frame is a sent picture (its stamp is a sent RTP timestamp).
     */
    @Test
    @Timeout(60)
    void rxWithSdpAndY4m_recordsTheFlow() throws Exception {
        VideoFormat f = new VideoFormat(10, 1280, 720, new FrameRate(10, 1), VideoFormat.Colorimetry.BT709);
        int port;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            port = s.getLocalPort();
        }
        Path sdp = dir.resolve("flow.sdp");
        Files.writeString(
                sdp,
                "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=Probe\r\nt=0 0\r\nm=video " + port + " RTP/AVP 96\r\n"
                        + "c=IN IP4 127.0.0.1\r\na=rtpmap:96 raw/90000\r\na=fmtp:96 sampling=YCbCr-4:2:2; depth=10;"
                        + " width=1280; height=720; exactframerate=10; colorimetry=BT709; PM=2110GPM;"
                        + " SSN=ST2110-20:2017; TP=2110TPN\r\na=mediaclk:direct=0\r\n");
        Path y4m = dir.resolve("out.y4m");
        RtvDeviceCommands.Rx cmd = new RtvDeviceCommands.Rx();
        new CommandLine(cmd).parseArgs("--sdp", sdp.toString(), "--y4m", y4m.toString(), "--no-overlay");
        SystemMediaClock clock = new SystemMediaClock();
        FrameClock fc = FrameClock.video(f.rate());
        Set<Long> sent = new HashSet<>();
        try (Receiver rx = cmd.open();
                DatagramChannel tx = DatagramChannel.open()) {
            assertTrue(rx.config().isPresent(), "configured from --sdp, no configurator");
            tx.connect(new InetSocketAddress("127.0.0.1", port));
            Rfc4175Payloader pay = new Rfc4175Payloader(f, Rfc4175Payloader.Options.standard(7), 0);
            TestPatternSource src = new TestPatternSource("CLI", f);
            ByteBuffer frame = ByteBuffer.allocate(f.frameBytes());
            ByteBuffer out = ByteBuffer.allocate(pay.maxDatagramSize());
            long first = fc.frameAtOrAfter(clock.taiNanos()) + 1;
            for (long n = first; n < first + 5; n++) {
                long wait = fc.alignmentNanos(n) - clock.taiNanos();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                src.fill(n, fc.rtpTimestamp(n), fc.alignmentNanos(n), frame);
                sent.add(fc.rtpTimestamp(n));
                Rfc4175Payloader.FrameCursor c = pay.frame(frame.clear(), fc.rtpTimestamp(n));
                while (c.hasNext()) {
                    c.writeNext(out.clear());
                    tx.write(out.flip());
                }
            }
            Thread.sleep(500);
        }
        int pictures = 0;
        try (InputStream in = Y4m.open(y4m)) {
            Y4m.Header h = Y4m.readHeader(in);
            ByteBuffer back = ByteBuffer.allocate(f.frameBytes());
            while (Y4m.readFrame(in, h, new byte[h.frameBytes()], back.clear(), f)) {
                OptionalLong stamp = FrameStamp.read(back, f, TestPatternSource.STAMP_X, TestPatternSource.STAMP_Y);
                if (stamp.isPresent()) {
                    assertTrue(sent.contains(stamp.getAsLong()), "a sent frame: " + stamp);
                    pictures++;
                }
            }
        }
        assertTrue(pictures >= 3, pictures + " of 5 sent pictures recorded");
    }

    @Test
    void rxWithAnSdpThatIsNotOne_failsNamingTheFile() throws Exception {
        Path sdp = dir.resolve("bad.sdp");
        Files.writeString(sdp, "hello");
        RtvDeviceCommands.Rx cmd = new RtvDeviceCommands.Rx();
        new CommandLine(cmd).parseArgs("--sdp", sdp.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, cmd::open);
        assertTrue(e.getMessage().startsWith(sdp.toString()), e.getMessage());
    }

    @Test
    void worldReadableTokenFileStopsTheDevice() throws Exception {
        Path file = dir.resolve("shared.token");
        Files.writeString(file, "x".repeat(43));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        RtvDeviceCommands.Rx rx = new RtvDeviceCommands.Rx();
        new CommandLine(rx).parseArgs("--token-file", file.toString());
        assertThrows(IOException.class, () -> rx.access.load("rx", new InetSocketAddress("127.0.0.1", 9101)));
    }
}
