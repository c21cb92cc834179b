package org.medsync.library.dicomweb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medsync.library.source.SourceException;

/** A PACS that answers without end costs us at most sources.max-response-bytes. */
class DicomWebSourceLimitsTest {

    private static final long LIMIT = 64 * 1024;
    private HttpServer pacs;
    private final AtomicLong sent = new AtomicLong();

    @BeforeEach
    void start() throws Exception {
        pacs = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // QIDO answer streamed without a length (chunked), 100 MB unless the client hangs up.
        pacs.createContext("/studies", x -> {
            x.getResponseHeaders().add("Content-Type", "application/dicom+json");
            x.sendResponseHeaders(200, 0);
            byte[] chunk = new byte[16 * 1024];
            try (OutputStream out = x.getResponseBody()) {
                for (int i = 0; i < 6400; i++) {
                    out.write(chunk);
                    sent.addAndGet(chunk.length);
                }
            } catch (java.io.IOException e) {
                // the client hung up: what the test wants
            }
        });
        // Metadata announcing 1 GB in its Content-Length, then nothing.
        pacs.createContext("/studies/1.2.3/series/1.2.4/instances/1.2.5/metadata", x -> {
            x.sendResponseHeaders(200, 1L << 30);
            try {
                x.getResponseBody().write(new byte[1024]);
                x.getResponseBody().flush();
            } catch (java.io.IOException e) {
                // the client hung up after the headers: what the test wants
            }
            x.close();
        });
        pacs.start();
    }

    @AfterEach
    void stop() {
        pacs.stop(0);
    }

    private DicomWebSource source() {
        URI base = URI.create("http://127.0.0.1:" + pacs.getAddress().getPort());
        return new DicomWebSource(
                new DicomWebSource.Settings("pacs", "PACS", base, null, null, Duration.ofSeconds(10), LIMIT));
    }

    @Test
    void endlessPacsAnswerIsRefusedAfterTheLimit() {
        SourceException e = assertThrows(SourceException.class, () -> source().searchStudies(java.util.Map.of()));
        assertEquals(SourceException.Reason.UNREADABLE, e.reason());
        assertTrue(e.getMessage().contains("more than 65536 bytes (sources.max-response-bytes)"), e.getMessage());
        assertTrue(sent.get() < 100L * 1024 * 1024, "the client stopped reading: " + sent.get() + " bytes sent");
    }

    @Test
    void pacsAnnouncingMoreThanTheLimitIsRefusedBeforeReading() {
        SourceException e = assertThrows(
                SourceException.class, () -> source().instanceMetadata("1.2.3", "1.2.4", "1.2.5", "/bulk"));
        assertEquals(SourceException.Reason.UNREADABLE, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("more than 65536 bytes"), e.getMessage());
    }
}
