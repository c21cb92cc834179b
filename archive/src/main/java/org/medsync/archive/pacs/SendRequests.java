package org.medsync.archive.pacs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.SQLException;
import java.util.Map;
import org.medsync.archive.jobs.JobQueue;

/**
 * A user's request to send a recording to a PACS, checked against the configured destinations and queued as a
 * {@code send-to-pacs} job (archive_job) that a worker on any node runs.
 */
public final class SendRequests {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final JobQueue jobs;
    private final Map<String, PacsDestination> destinations;

    public SendRequests(JobQueue jobs, Map<String, PacsDestination> destinations) {
        this.jobs = jobs;
        this.destinations = Map.copyOf(destinations);
    }

    public Map<String, PacsDestination> destinations() {
        return destinations;
    }

    /**
     * Queues the job and returns its id.
     *
     * @throws IllegalArgumentException when the destination is not configured, cannot be reached {@code via}, or
     *     the SOP class is not one of ours; the message says which
     */
    public long enqueue(String recordingId, String destination, String via, String sopClass) throws SQLException {
        PacsDestination d = destinations.get(destination);
        if (d == null) {
            throw new IllegalArgumentException("no PACS '" + destination + "' is configured; configured: "
                    + String.join(", ", destinations.keySet().stream().sorted().toList()));
        }
        PacsDestination.Via how = PacsDestination.Via.of(via);
        if (!d.supports(how)) {
            throw new IllegalArgumentException("PACS '" + destination + "' is not configured for " + how.code());
        }
        if (sopClass != null && !sopClass.equals("endoscopic") && !sopClass.equals("photographic")) {
            throw new IllegalArgumentException(
                    "sopClass must be \"endoscopic\" or \"photographic\", not \"" + sopClass + "\"");
        }
        ObjectNode params =
                JSON.createObjectNode().put("destination", destination).put("via", how.code());
        if (sopClass != null) {
            params.put("sopClass", sopClass);
        }
        return jobs.enqueue(recordingId, SendToPacsHandler.KIND, params.toString());
    }
}
