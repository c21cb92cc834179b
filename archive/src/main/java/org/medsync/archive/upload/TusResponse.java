package org.medsync.archive.upload;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What to answer a tus request with: the status, the headers (Tus-Resumable included), and for a refusal the error
 * code and message the server puts in its JSON body ({@code {"error": code, "message": message}}).
 */
public record TusResponse(int status, Map<String, String> headers, String error, String message) {
    public TusResponse {
        headers = Map.copyOf(headers);
    }

    static TusResponse ok(int status, Map<String, String> headers) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put("Tus-Resumable", TusHeaders.VERSION);
        return new TusResponse(status, h, null, null);
    }

    static TusResponse refused(UploadException e, Map<String, String> extra) {
        Map<String, String> h = new LinkedHashMap<>(extra);
        h.put("Tus-Resumable", TusHeaders.VERSION);
        if (e.reason().status() == 412) {
            h.put("Tus-Version", TusHeaders.VERSION);
        }
        return new TusResponse(e.reason().status(), h, e.reason().code(), e.getMessage());
    }

    public boolean isError() {
        return error != null;
    }
}
