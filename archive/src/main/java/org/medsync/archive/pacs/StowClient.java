package org.medsync.archive.pacs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.UUID;

/**
 * Stores a Part 10 file by STOW-RS (PS3.18 10.5): one POST to {@code <root>/studies}, multipart/related with one
 * application/dicom part, the file streamed from disk. The answer is checked as PS3.18 says: 200 with no Failed SOP
 * Sequence is stored; 202 (some failed, warnings) and 4xx/409 are refusals ({@link StowException}); 5xx is an
 * {@link IOException}, so the job is tried again.
 */
final class StowClient {
    /** At most this much of a PACS's answer is read: it is a short JSON status, never a payload. */
    private static final int MAX_ANSWER = 1 << 20;

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http;

    StowClient() {
        this.http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    void store(PacsDestination d, Path part10) throws IOException, InterruptedException, StowException {
        String boundary = "medsync-" + UUID.randomUUID();
        byte[] head =
                ("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        URI uri = URI.create(d.dicomWebRoot().toString().replaceAll("/+$", "") + "/studies");
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(d.timeout())
                .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                .header("Accept", "application/dicom+json")
                .POST(HttpRequest.BodyPublishers.concat(
                        HttpRequest.BodyPublishers.ofByteArray(head),
                        HttpRequest.BodyPublishers.ofFile(part10),
                        HttpRequest.BodyPublishers.ofByteArray(tail)));
        if (d.user() != null) {
            String token = Base64.getEncoder()
                    .encodeToString((d.user() + ":" + d.password()).getBytes(StandardCharsets.UTF_8));
            b.header("Authorization", "Basic " + token);
        }
        HttpResponse<InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        byte[] answer;
        try (InputStream in = r.body()) {
            answer = in.readNBytes(MAX_ANSWER);
        }
        if (r.statusCode() >= 500) {
            // The PACS is down or overloaded: worth another attempt, unlike a refusal of the instance.
            throw new IOException("PACS '" + d.id() + "' is unavailable: HTTP " + r.statusCode());
        }
        if (r.statusCode() != 200) {
            throw new StowException("PACS '" + d.id() + "' refused the STOW-RS request: HTTP " + r.statusCode()
                    + failureReason(answer));
        }
        if (answer.length > 0 && failedSop(answer)) {
            throw new StowException(
                    "PACS '" + d.id() + "' answered STOW-RS with a Failed SOP Sequence" + failureReason(answer));
        }
    }

    /**
     * Whether the answer lists failed instances: a Failed SOP Sequence (00081198) with items. Some PACS (Orthanc)
     * send the sequence empty on success. An answer that is not a JSON object counts as a failure.
     */
    static boolean failedSop(byte[] answer) {
        try {
            JsonNode root = JSON.readTree(answer);
            if (root == null || !root.isObject()) {
                return true;
            }
            JsonNode value = root.path("00081198").path("Value");
            return !(value.isMissingNode() || (value.isArray() && value.isEmpty()));
        } catch (IOException notJson) {
            return true;
        }
    }

    /** The Failure Reason (00081197) of the first failed instance, if the answer says one. */
    static String failureReason(byte[] answer) {
        try {
            JsonNode reason = JSON.readTree(answer)
                    .path("00081198")
                    .path("Value")
                    .path(0)
                    .path("00081197")
                    .path("Value")
                    .path(0);
            return reason.isNumber() ? " (Failure Reason " + reason.asInt() + ")" : "";
        } catch (IOException | RuntimeException notJson) {
            return "";
        }
    }

    /** STOW-RS did not store the instance. */
    static final class StowException extends Exception {
        StowException(String message) {
            super(message);
        }
    }
}
