package org.medsync.archive.fixity;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.medsync.archive.jobs.JobHandler;

/**
 * Runs one fixity batch (job kind {@code fixity}, params {@code {"blobs": [...]}}): every copy of each blob re-read
 * and re-hashed, bad copies repaired, the batch recorded as a run under this node's name. A batch run again after a
 * lost worker checks its blobs again, which only costs the reads.
 */
final class FixityHandler implements JobHandler {
    static final String KIND = "fixity";
    static final int MAX_BLOBS = 100_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final Fixity fixity;

    FixityHandler(Fixity fixity) {
        this.fixity = fixity;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public void run(Job job, Progress progress) throws Exception {
        List<String> blobs;
        try {
            blobs = parse(job.params());
        } catch (IllegalArgumentException e) {
            throw new JobFailure("not a fixity batch: " + e.getMessage());
        }
        fixity.runBatch(job.id(), blobs, progress);
    }

    /** The params of a batch of these blobs. */
    static String params(List<String> blobs) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("blobs");
        blobs.forEach(list::add);
        return root.toString();
    }

    /** The blob names of a batch's params; garbage is refused with what is wrong. */
    static List<String> parse(String params) {
        JsonNode root;
        try {
            root = JSON.readTree(params == null ? "" : params);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("params are not JSON");
        }
        if (root == null || !root.isObject() || !root.path("blobs").isArray()) {
            throw new IllegalArgumentException("params need a \"blobs\" array");
        }
        JsonNode list = root.get("blobs");
        if (list.size() > MAX_BLOBS) {
            throw new IllegalArgumentException("a batch holds at most " + MAX_BLOBS + " blobs, not " + list.size());
        }
        List<String> out = new ArrayList<>(list.size());
        for (JsonNode b : list) {
            if (!b.isTextual() || !SHA256.matcher(b.asText()).matches()) {
                throw new IllegalArgumentException("blob " + out.size() + " is not a SHA-256 in lower-case hex");
            }
            out.add(b.asText());
        }
        return out;
    }
}
