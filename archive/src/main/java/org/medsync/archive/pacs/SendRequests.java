package org.medsync.archive.pacs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;

/**
 * A user's request to send a recording to a PACS, checked against the configured destinations and queued as a
 * {@code send-to-pacs} job (archive_job) that a worker on any node runs.
 */
public final class SendRequests {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final DataSource db;
    private final Map<String, PacsDestination> destinations;

    public SendRequests(DataSource db, Map<String, PacsDestination> destinations) {
        this.db = db;
        this.destinations = Map.copyOf(destinations);
    }

    public Map<String, PacsDestination> destinations() {
        return destinations;
    }

    /** Appends a send attempt (allowed or refused) to the access log; the detail names no patient. */
    public void audit(String username, String recordingId, boolean allowed, String detail) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("insert into archive_access (actor, actor_kind, recording_id,"
                        + " action, allowed, detail) values (?, 'user', ?, 'send', ?, ?)")) {
            s.setString(1, username);
            s.setString(2, recordingId);
            s.setBoolean(3, allowed);
            s.setString(4, detail);
            s.executeUpdate();
        }
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
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("insert into archive_job (recording_id, kind, params)"
                        + " values (?, '" + SendToPacsHandler.KIND + "', ?::jsonb) returning id")) {
            s.setString(1, recordingId);
            s.setString(2, params.toString());
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
