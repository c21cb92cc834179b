package org.medsync.archive.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Only UploadException escapes the Upload-Metadata parser, whatever the header; what it accepts, written back as a
 * header, reads as the same metadata.
 */
class UploadMetadataFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void parse_onlyUploadExceptionEscapes_andWhatParsesRoundTrips(byte[] data) throws UploadException {
        String header = new String(data, StandardCharsets.UTF_8);
        UploadMetadata m;
        try {
            m = UploadMetadata.fromHeader(header);
        } catch (UploadException expected) {
            return;
        }
        Map<String, String> values = m.toMap();
        String again = values.entrySet().stream()
                .map(e -> e.getKey() + " "
                        + Base64.getEncoder().encodeToString(e.getValue().getBytes(StandardCharsets.UTF_8)))
                .collect(Collectors.joining(","));
        assertEquals(m, UploadMetadata.fromHeader(again));
    }
}
