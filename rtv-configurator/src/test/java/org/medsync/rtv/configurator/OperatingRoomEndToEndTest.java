package org.medsync.rtv.configurator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.medsync.ptp.clock.PtpMonitor;
import org.medsync.rtv.control.ControlAccess;
import org.medsync.rtv.control.ControlToken;
import org.medsync.rtv.control.ReceiverControl;
import org.medsync.rtv.control.TransmitterControl;
import org.medsync.rtv.receiver.ComposedFrame;
import org.medsync.rtv.receiver.Receiver;
import org.medsync.rtv.transmitter.TestPatternSource;
import org.medsync.rtv.transmitter.Transmitter;
import org.medsync.st2110.timing.MediaClock;
import org.medsync.st2110.timing.SystemMediaClock;
import org.medsync.testsupport.net.LoopbackPorts;

/**
 * The OR scene with real parts only: dcmtk's worklist SCP holds today's procedures; two MedSync
 * transmitters ("endoscope", "hand camera") and one receiver run on loopback behind their control APIs; the
 * configurator picks a patient from the worklist, configures all three and starts the senders; the receiver
 * then composes both flows side by side at equal RTP timestamps with that patient's metadata. Each device
 * has its own token; the configurator reads them from the token files its OR file names.
 */
@Timeout(60)
class OperatingRoomEndToEndTest {
    private static final int PATIENT_NAME = 0x00100010;
    private static final int PATIENT_ID = 0x00100020;

    @TempDir
    Path tokens;

    /** A device's access: its own token, in the token file the OR file names. */
    private ControlAccess access(String device) throws Exception {
        return ControlAccess.of(
                ControlToken.loadOrCreate(tokens.resolve(device + ".token")).token());
    }

    @Test
    void configuratorDrivesTwoTransmittersAndAReceiver_withTodaysPatient() throws Exception {
        assumeTrue(WorklistPeer.installed(), "dcmtk is installed by scripts/setup --test");
        MediaClock clock = new SystemMediaClock();
        int videoA = LoopbackPorts.free();
        int metaA = LoopbackPorts.free();
        int videoB = LoopbackPorts.free();
        int metaB = LoopbackPorts.free();
        try (WorklistPeer worklist = WorklistPeer.start();
                Transmitter endo = new Transmitter(
                        "Endoscope", f -> new TestPatternSource("ENDOSCOPE", f), clock, "127.0.0.1", "lo");
                Transmitter hand = new Transmitter(
                        "Hand camera", f -> new TestPatternSource("HAND CAMERA", f), clock, "127.0.0.1", "lo");
                TransmitterControl endoCtl =
                        new TransmitterControl(endo, new InetSocketAddress("127.0.0.1", 0), access("endo"));
                TransmitterControl handCtl =
                        new TransmitterControl(hand, new InetSocketAddress("127.0.0.1", 0), access("hand"));
                Receiver rx = new Receiver("OR display", clock, "lo");
                ReceiverControl rxCtl =
                        new ReceiverControl(rx, new InetSocketAddress("127.0.0.1", 0), access("monitor"))) {
            // 720p at 25 Hz keeps two senders and a receiver within a loaded 2-core test machine.
            String video = """
                    {"width": 1280, "height": 720, "rate": "25", "sampling": "YCbCr-4:2:2", "depth": 10, "colorimetry": "BT709"}""";
            OrConfig or = OrConfig.parse(
                    """
                    {"worklist": {"host": "127.0.0.1", "port": %d, "calledAe": "%s", "timeoutMs": 5000},
                     "deviceTimeoutMs": 5000,
                     "ptp": {"domain": 42, "socket": "%s"},
                     "transmitters": [
                       {"name": "endoscope", "control": "http://127.0.0.1:%d", "tokenFile": "endo.token", "video": %s,
                        "destination": {"video": {"address": "127.0.0.1", "port": %d}, "metadata": {"address": "127.0.0.1", "port": %d}}},
                       {"name": "hand camera", "control": "http://127.0.0.1:%d", "tokenFile": "hand.token", "video": %s,
                        "sopClassUid": "1.2.840.10008.10.2",
                        "destination": {"video": {"address": "127.0.0.1", "port": %d}, "metadata": {"address": "127.0.0.1", "port": %d}}}],
                     "receivers": [
                       {"name": "monitor", "control": "http://127.0.0.1:%d", "tokenFile": "monitor.token", "layout": "side-by-side",
                        "overlay": {"zone": 7, "attributes": ["00100010", "00100020"]}, "latencyMs": 120}]}
                    """.formatted(
                                    worklist.port,
                                    WorklistPeer.AE,
                                    tokens.resolve("ptp4l").toAbsolutePath(),
                                    endoCtl.port(),
                                    video,
                                    videoA,
                                    metaA,
                                    handCtl.port(),
                                    video,
                                    videoB,
                                    metaB,
                                    rxCtl.port()),
                    "test OR",
                    tokens);
            Configurator configurator = new Configurator(or);
            var items = configurator.worklist(configurator.defaultQuery(java.time.LocalDate.now()));
            int smith = -1;
            for (int i = 0; i < items.size(); i++) {
                if (items.get(i).patientName().equals("SMITH^JOHN")) {
                    smith = i;
                }
            }
            assertTrue(smith >= 0, "today's worklist holds SMITH^JOHN: " + items);
            configurator.apply(smith);
            // the OR's PTP domain and ptp4l socket reached the devices (no ptp4l here: they say they are unlocked)
            assertEquals(
                    Optional.of(PtpMonitor.Settings.of(tokens.resolve("ptp4l").toAbsolutePath(), 42)),
                    endo.ptpSettings());

            ComposedFrame withBoth = null;
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (System.nanoTime() < deadline && withBoth == null) {
                Optional<ComposedFrame> latest = rx.latest();
                if (latest.isPresent()
                        && latest.get().concealed().equals(List.of(false, false))
                        && latest.get().metadata().stream().allMatch(Optional::isPresent)) {
                    withBoth = latest.get();
                }
                Thread.sleep(50);
            }
            assertTrue(
                    withBoth != null,
                    "no composed frame with both flows live and their metadata; status " + rx.status());
            assertEquals(2560, withBoth.format().width(), "two 1280-wide flows side by side");
            for (Optional<org.medsync.rtv.metadata.Dataset> m : withBoth.metadata()) {
                assertEquals("SMITH^JOHN", m.orElseThrow().string(PATIENT_NAME).strip());
                assertEquals(
                        items.get(smith).patientId(),
                        m.orElseThrow().string(PATIENT_ID).strip());
            }
        }
    }
}
