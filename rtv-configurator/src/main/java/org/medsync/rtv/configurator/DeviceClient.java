package org.medsync.rtv.configurator;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.medsync.rtv.configurator.DeviceException.Reason;
import org.medsync.rtv.control.BoundedBody;
import org.medsync.rtv.control.ControlToken;

/**
 * The device side of docs/rtv-control.md over java.net.http: one method per request the configurator makes,
 * each with the device's bearer token.
 */
final class DeviceClient {
    private static final String JSON_TYPE = "application/json";
    /** A device's answers (configs, SDPs, statuses) are a few kB; more is refused, not held in memory. */
    static final int MAX_ANSWER = 1 << 20;

    private final HttpClient http;
    private final Duration timeout;

    /** @param tls trust for https:// devices (the OR file's {@code tlsTrust}), or null for the JVM's default */
    DeviceClient(Duration timeout, SSLContext tls) {
        this.timeout = timeout;
        HttpClient.Builder b = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (tls != null) {
            b.sslContext(tls);
        }
        this.http = b.build();
    }

    /** {@code PUT /config}: 200 with the applied configuration. */
    JsonNode putConfig(URI device, ControlToken token, JsonNode config) throws DeviceException {
        HttpResponse<String> r = send(
                device,
                token,
                "PUT /config",
                HttpRequest.newBuilder(URI.create(device + "/config"))
                        .header("Content-Type", JSON_TYPE)
                        .PUT(HttpRequest.BodyPublishers.ofString(config.toString(), StandardCharsets.UTF_8)));
        expect(device, "PUT /config", r, 200);
        if (r.body().isBlank()) {
            return null;
        }
        try {
            return Input.parse(r.body(), "answer");
        } catch (ConfigException e) {
            throw new DeviceException(
                    Reason.FAILED,
                    device,
                    r.statusCode(),
                    null,
                    name(device, "PUT /config") + " answered 200 with something that is not JSON",
                    e);
        }
    }

    /** {@code GET /SDP}: the transmitter's session description. */
    String sdp(URI transmitter, ControlToken token) throws DeviceException {
        HttpResponse<String> r = send(
                transmitter,
                token,
                "GET /SDP",
                HttpRequest.newBuilder(URI.create(transmitter + "/SDP")).GET());
        expect(transmitter, "GET /SDP", r, 200);
        if (!r.body().startsWith("v=0")) {
            throw new DeviceException(
                    Reason.FAILED,
                    transmitter,
                    200,
                    null,
                    name(transmitter, "GET /SDP") + " did not answer an SDP (RFC 8866 starts with \"v=0\")",
                    null);
        }
        return r.body();
    }

    /** {@code POST /start} or {@code /stop}: 204. */
    void post(URI device, ControlToken token, String path) throws DeviceException {
        HttpResponse<String> r = send(
                device,
                token,
                "POST " + path,
                HttpRequest.newBuilder(URI.create(device + path)).POST(HttpRequest.BodyPublishers.noBody()));
        expect(device, "POST " + path, r, 200, 204);
    }

    /** {@code POST /metadata/dynamic}: 204. */
    void dynamic(URI transmitter, ControlToken token, JsonNode dicomJson) throws DeviceException {
        HttpResponse<String> r = send(
                transmitter,
                token,
                "POST /metadata/dynamic",
                HttpRequest.newBuilder(URI.create(transmitter + "/metadata/dynamic"))
                        .header("Content-Type", "application/dicom+json")
                        .POST(HttpRequest.BodyPublishers.ofString(dicomJson.toString(), StandardCharsets.UTF_8)));
        expect(transmitter, "POST /metadata/dynamic", r, 200, 204);
    }

    /** {@code GET /status}. */
    JsonNode status(URI device, ControlToken token) throws DeviceException {
        HttpResponse<String> r = send(
                device,
                token,
                "GET /status",
                HttpRequest.newBuilder(URI.create(device + "/status")).GET());
        expect(device, "GET /status", r, 200);
        try {
            return Input.parse(r.body(), "status");
        } catch (ConfigException e) {
            throw new DeviceException(
                    Reason.FAILED, device, 200, null, name(device, "GET /status") + " is not JSON", e);
        }
    }

    private HttpResponse<String> send(URI device, ControlToken token, String what, HttpRequest.Builder request)
            throws DeviceException {
        try {
            return http.send(
                    request.timeout(timeout)
                            .header("Authorization", "Bearer " + token.bearer())
                            .build(),
                    BoundedBody.ofString(MAX_ANSWER));
        } catch (HttpConnectTimeoutException e) {
            throw new DeviceException(
                    Reason.UNREACHABLE,
                    device,
                    0,
                    null,
                    name(device, what) + ": no connection within " + timeout.toMillis() + " ms",
                    e);
        } catch (HttpTimeoutException e) {
            throw new DeviceException(
                    Reason.TIMEOUT,
                    device,
                    0,
                    null,
                    name(device, what) + ": no answer within " + timeout.toMillis() + " ms",
                    e);
        } catch (ConnectException e) {
            throw new DeviceException(
                    Reason.UNREACHABLE,
                    device,
                    0,
                    null,
                    name(device, what) + ": unreachable ("
                            + (e.getMessage() == null ? "connection refused" : e.getMessage()) + ")",
                    e);
        } catch (IOException e) {
            Reason reason = e.getCause() instanceof UnresolvedAddressException ? Reason.UNREACHABLE : Reason.FAILED;
            throw new DeviceException(reason, device, 0, null, name(device, what) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeviceException(Reason.TIMEOUT, device, 0, null, name(device, what) + ": interrupted", e);
        }
    }

    private static void expect(URI device, String what, HttpResponse<String> r, int... ok) throws DeviceException {
        for (int s : ok) {
            if (r.statusCode() == s) {
                return;
            }
        }
        String code = null;
        String message = r.body() == null ? "" : r.body().strip();
        try {
            JsonNode e = Input.JSON.readTree(r.body());
            if (e != null && e.isObject()) {
                code = e.path("error").asText(null);
                message = e.path("message").asText(message);
            }
        } catch (IOException notJson) {
            // keep the raw text
        }
        if (message.length() > 300) {
            message = message.substring(0, 300) + "...";
        }
        Reason reason = r.statusCode() >= 400 && r.statusCode() < 500 ? Reason.REFUSED : Reason.FAILED;
        throw new DeviceException(
                reason,
                device,
                r.statusCode(),
                code,
                name(device, what) + " answered " + r.statusCode() + (code == null ? "" : " " + code)
                        + (message.isEmpty() ? "" : ": " + message),
                null);
    }

    private static String name(URI device, String what) {
        return what + " on " + device;
    }
}
