package org.medsync.dicom.worklist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.medsync.dicom.worklist.WorklistException.Reason;
import org.medsync.testsupport.net.LoopbackPorts;

/** Failures that must come back typed and in bounded time, against real sockets on loopback. */
@Timeout(30)
class WorklistClientErrorsTest {
    private static final WorklistClient CLIENT =
            new WorklistClient(new WorklistClient.Options(Duration.ofMillis(1500), 10));

    @Test
    void closedPort_isUnreachable_atOnce() throws Exception {
        int port = LoopbackPorts.free();
        long t0 = System.nanoTime();
        WorklistException e = assertThrows(
                WorklistException.class,
                () -> CLIENT.find(new RemoteAe("127.0.0.1", port, "ANY"), WorklistQuery.today()));
        assertEquals(Reason.UNREACHABLE, e.reason(), e.toString());
        assertTrue(System.nanoTime() - t0 < 1_000_000_000L, "refused is immediate, not a timeout");
    }

    @Test
    void peerThatAcceptsAndNeverAnswers_timesOut_withinTheTimeout() throws Exception {
        List<Socket> held = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // test over
                }
            });
            long t0 = System.nanoTime();
            WorklistException e = assertThrows(
                    WorklistException.class,
                    () -> CLIENT.find(new RemoteAe("127.0.0.1", silent.getLocalPort(), "ANY"), WorklistQuery.today()));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(Reason.TIMEOUT, e.reason(), e.toString());
            assertTrue(ms >= 1400 && ms < 3000, "took " + ms + " ms for a 1500 ms timeout");
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void peerThatHangsUp_isAborted() throws Exception {
        try (ServerSocket rude = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        try (Socket s = rude.accept()) {
                            s.getInputStream().read(new byte[10]);
                        }
                    }
                } catch (IOException closed) {
                    // test over
                }
            });
            WorklistException e = assertThrows(
                    WorklistException.class,
                    () -> CLIENT.find(new RemoteAe("127.0.0.1", rude.getLocalPort(), "ANY"), WorklistQuery.today()));
            assertEquals(Reason.ABORTED, e.reason(), e.toString());
        }
    }

    @Test
    void peerThatSpeaksHttp_isABadResponse_orAborted_neverAHang() throws Exception {
        try (ServerSocket http = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        try (Socket s = http.accept()) {
                            s.getInputStream().read(new byte[64]);
                            s.getOutputStream()
                                    .write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes());
                        }
                    }
                } catch (IOException closed) {
                    // test over
                }
            });
            WorklistException e = assertThrows(
                    WorklistException.class,
                    () -> CLIENT.find(new RemoteAe("127.0.0.1", http.getLocalPort(), "ANY"), WorklistQuery.today()));
            assertTrue(e.reason() == Reason.BAD_RESPONSE || e.reason() == Reason.ABORTED, e.toString());
        }
    }
}
