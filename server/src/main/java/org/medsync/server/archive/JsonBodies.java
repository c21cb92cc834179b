package org.medsync.server.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;
import org.medsync.server.api.ApiError;

/** The request bodies of the archive's routes: one JSON object, or a 400 that says what was wrong. */
final class JsonBodies {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonBodies() {}

    static JsonNode object(Context ctx) {
        JsonNode n;
        try {
            n = JSON.readTree(ctx.body());
        } catch (IOException e) {
            throw new ApiError(400, "bad-json", "the request body is not JSON");
        }
        if (n == null || !n.isObject()) {
            throw new ApiError(400, "bad-json", "the request body is a JSON object");
        }
        return n;
    }
}
