package org.medsync.archive.catalog;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Recordings as the patient's record sees them: by Study Instance UID, for the worklist and the viewer, counting
 * only what a clinician may see (docs/archive.md "Access": admin; owner; clinician member of the recording's
 * hospital; unexpired, unrevoked grant). De-identified viewers are never asked about: anonymized copies carry no
 * study UID, so for them every study has none.
 */
public final class StudyLinks {
    private static final String MAY_SEE = "(? or r.owner = ?"
            + " or exists (select 1 from archive_member m where m.hospital_id = r.hospital_id and m.username = ?)"
            + " or exists (select 1 from archive_grant g where g.recording_id = r.id and g.grantee = ?"
            + " and g.revoked_at is null and g.expires_at > now()))";

    private final DataSource dataSource;

    public StudyLinks(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** For each of the studies that has any, how many of its recordings this clinician may see. */
    public Map<String, Integer> countsByStudy(Collection<String> studyUids, String username, boolean admin)
            throws SQLException {
        Map<String, Integer> out = new HashMap<>();
        if (studyUids.isEmpty()) {
            return out;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select r.study_uid, count(*) from archive_recording r"
                        + " where r.study_uid = any (?) and not r.anonymized and " + MAY_SEE
                        + " group by r.study_uid")) {
            Array uids = c.createArrayOf("text", studyUids.toArray());
            s.setArray(1, uids);
            bindViewer(s, 2, username, admin);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.put(r.getString(1), r.getInt(2));
                }
            }
        }
        return out;
    }

    /** Whether this clinician may see the recording (false also when there is no such recording). */
    public boolean clinicianMaySee(String recordingId, String username, boolean admin) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement("select 1 from archive_recording r where r.id = ? and " + MAY_SEE)) {
            s.setString(1, recordingId);
            bindViewer(s, 2, username, admin);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    private static void bindViewer(PreparedStatement s, int first, String username, boolean admin) throws SQLException {
        s.setBoolean(first, admin);
        s.setString(first + 1, username);
        s.setString(first + 2, username);
        s.setString(first + 3, username);
    }
}
