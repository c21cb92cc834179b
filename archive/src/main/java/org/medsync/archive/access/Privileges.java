package org.medsync.archive.access;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.medsync.archive.catalog.Recording;
import org.medsync.archive.catalog.Recordings;

/**
 * The one place that decides what a viewer may see and do with a recording (docs/archive-api.md "Access"). Every
 * lookup a viewer makes goes through the SQL filter of {@link #filter}: a recording the viewer may not see is not
 * found at all (the server answers 404, so its existence is not disclosed), and a de-identified viewer's query only
 * ever reads anonymized rows, whatever else it asks.
 *
 * <p>A viewer sees R when: admin; or R's owner; or a clinician member of R's hospital; or named by an unexpired,
 * unrevoked grant of R (or of the recording R was derived from). De-identified viewers (students, observers) see
 * only anonymized recordings, of their hospitals or granted to them, with no patient field and no master.
 */
public final class Privileges {
    /** A search key that would match on what identifies a patient, asked by a de-identified viewer. */
    public static final class IdentifyingKey extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        IdentifyingKey(String key) {
            super("a de-identified viewer cannot search recordings by '" + key
                    + "': search by room, surgeon, from, to or status");
        }
    }

    /** What the viewer may do with one recording, for the UI. */
    public record May(boolean share, boolean anonymize, boolean sendToPacs, boolean downloadMaster) {}

    private final DataSource dataSource;
    private final Clock clock;

    public Privileges(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** The recording if the viewer may see it; empty both when it does not exist and when they may not know it does. */
    public Optional<Recording> visible(Viewer viewer, String id) throws SQLException {
        if (id == null || id.length() > 100) {
            return Optional.empty();
        }
        List<Object> params = new ArrayList<>();
        params.add(id);
        String where = "r.id = ? and " + filter(viewer, params);
        List<Recording> found = select(where, params, "", 1, 0);
        return found.stream().findFirst();
    }

    /**
     * The recordings the viewer may see that match the search, newest first.
     *
     * @throws IdentifyingKey when a de-identified viewer searches by an identifying key
     */
    public List<Recording> search(Viewer viewer, RecordingSearch q) throws SQLException {
        if (viewer.deidentified() && !q.identifyingKeys().isEmpty()) {
            throw new IdentifyingKey(q.identifyingKeys().getFirst());
        }
        List<Object> params = new ArrayList<>();
        StringBuilder where = new StringBuilder(filter(viewer, params));
        if (q.patient() != null) {
            where.append(" and (r.patient_name ilike ? escape '\\' or r.patient_id ilike ? escape '\\')");
            params.add(like(q.patient()));
            params.add(like(q.patient()));
        }
        if (q.procedure() != null) {
            where.append(" and (r.procedure ilike ? escape '\\' or r.accession = ?)");
            params.add(like(q.procedure()));
            params.add(q.procedure());
        }
        if (q.room() != null) {
            where.append(" and r.operating_room ilike ? escape '\\'");
            params.add(like(q.room()));
        }
        if (q.surgeon() != null) {
            where.append(" and (r.operator ilike ? escape '\\' or r.owner = ?)");
            params.add(like(q.surgeon()));
            params.add(q.surgeon());
        }
        if (q.from() != null) {
            where.append(" and r.started_at >= ?");
            params.add(Timestamp.from(q.from()));
        }
        if (q.to() != null) {
            where.append(" and r.started_at < ?");
            params.add(Timestamp.from(q.to()));
        }
        if (q.study() != null) {
            where.append(" and r.study_uid = ?");
            params.add(q.study());
        }
        if (q.status() != null) {
            where.append(" and r.status = ?");
            params.add(q.status());
        }
        return select(where.toString(), params, " order by r.started_at desc, r.id", q.limit(), q.offset());
    }

    /**
     * The viewer's filter as SQL over {@code archive_recording r}, its parameters appended to {@code params}. The
     * single definition of who sees what: lookups, searches and the server's routes all go through it.
     */
    String filter(Viewer viewer, List<Object> params) {
        String granted = "exists (select 1 from archive_grant g where g.grantee = ? and g.revoked_at is null"
                + " and g.expires_at > ? and (g.recording_id = r.id or g.recording_id = r.derived_from))";
        if (viewer.admin()) {
            return "true";
        }
        if (viewer.deidentified()) {
            params.add(new TextArray(viewer.hospitals()));
            params.add(viewer.username());
            params.add(Timestamp.from(clock.instant()));
            return "(r.anonymized and (r.hospital_id = any(?) or " + granted + "))";
        }
        params.add(viewer.username());
        params.add(viewer.clinician());
        params.add(new TextArray(viewer.hospitals()));
        params.add(viewer.username());
        params.add(Timestamp.from(clock.instant()));
        return "(r.owner = ? or (? and r.hospital_id = any(?)) or " + granted + ")";
    }

    /** Whether the viewer manages the recording (shares it, revokes its shares, anonymizes it): grantees do not. */
    public boolean mayShare(Viewer viewer, Recording r) {
        if (viewer.deidentified()) {
            return false;
        }
        return viewer.admin()
                || viewer.username().equals(r.owner())
                || (viewer.clinician() && viewer.hospitals().contains(r.hospitalId()));
    }

    public boolean mayAnonymize(Viewer viewer, Recording r) {
        return !r.anonymized() && mayShare(viewer, r);
    }

    /** A PACS gets the identified original, as part of the patient's study: never an anonymized copy. */
    public boolean maySendToPacs(Viewer viewer, Recording r) {
        return !r.anonymized() && r.studyUid() != null && mayShare(viewer, r);
    }

    /** The master carries the full picture and every frame at archival quality: never to a de-identified viewer. */
    public boolean mayDownloadMaster(Viewer viewer, Recording r) {
        return !viewer.deidentified();
    }

    /** Whether the viewer may fetch a file of a rendition of this kind ("master", "hls", "storyboard"). */
    public boolean mayFetch(Viewer viewer, Recording r, String renditionKind) {
        return !"master".equals(renditionKind) || mayDownloadMaster(viewer, r);
    }

    public May may(Viewer viewer, Recording r) {
        return new May(
                mayShare(viewer, r), mayAnonymize(viewer, r), maySendToPacs(viewer, r), mayDownloadMaster(viewer, r));
    }

    /**
     * The recording as the viewer may be told of it: for a de-identified viewer (and for every link holder) the
     * patient and procedure identifiers, the free-text title and operator and the original it was derived from are
     * removed, whatever the row holds.
     */
    public Recording shown(Viewer viewer, Recording r) {
        return viewer.deidentified() ? withoutIdentifiers(r) : r;
    }

    /**
     * What a share link plays: the recording itself, or for an anonymized link the recording if it is anonymized,
     * else its newest ready anonymized copy (the newest in progress if none is ready). Never the original of an
     * anonymized link.
     */
    public Optional<Recording> servedBy(ShareLinks.ShareLink link) throws SQLException {
        List<Object> params = new ArrayList<>();
        params.add(link.recordingId());
        if (!link.anonymized()) {
            return select("r.id = ?", params, "", 1, 0).stream().findFirst();
        }
        params.add(link.recordingId());
        return select(
                        "r.anonymized and (r.id = ? or r.derived_from = ?)",
                        params,
                        " order by (r.status = 'ready') desc, r.created_at desc, r.id",
                        1,
                        0)
                .stream()
                .findFirst();
    }

    /** A recording with nothing that could identify its patient: for link holders and de-identified viewers. */
    public static Recording withoutIdentifiers(Recording r) {
        return new Recording(
                r.id(),
                r.hospitalId(),
                r.operatingRoom(),
                null,
                null,
                r.anonymized() ? r.owner() : null,
                null,
                null,
                null,
                null,
                null,
                r.startedAt(),
                r.durationSeconds(),
                r.anonymized() ? r.title() : "Recording",
                null,
                null,
                r.status(),
                r.statusMessage(),
                null,
                r.anonymized(),
                r.createdAt());
    }

    /**
     * For each of these studies that has any, how many of its recordings the viewer may see: the worklist's count.
     * Anonymized copies carry no study UID, so a de-identified viewer's counts are always empty.
     */
    public Map<String, Integer> countsByStudy(Viewer viewer, Collection<String> studyUids) throws SQLException {
        Map<String, Integer> out = new HashMap<>();
        if (studyUids.isEmpty()) {
            return out;
        }
        List<Object> params = new ArrayList<>();
        params.add(new TextArray(Set.copyOf(studyUids)));
        String sql = "select r.study_uid, count(*) from archive_recording r where r.study_uid = any(?) and "
                + filter(viewer, params) + " group by r.study_uid";
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            bind(c, s, params);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.put(r.getString(1), r.getInt(2));
                }
            }
        }
        return out;
    }

    private static int bind(Connection c, PreparedStatement s, List<Object> params) throws SQLException {
        int i = 1;
        for (Object p : params) {
            if (p instanceof TextArray a) {
                Array array = c.createArrayOf("text", a.values().toArray());
                s.setArray(i++, array);
            } else {
                s.setObject(i++, p);
            }
        }
        return i;
    }

    private List<Recording> select(String where, List<Object> params, String order, int limit, int offset)
            throws SQLException {
        String sql = "select " + prefixed() + " from archive_recording r where " + where + order + " limit ? offset ?";
        List<Recording> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            int i = bind(c, s, params);
            s.setInt(i++, limit);
            s.setInt(i, offset);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(Recordings.fromRow(r));
                }
            }
        }
        return out;
    }

    private static String prefixed() {
        StringBuilder b = new StringBuilder();
        for (String column : Recordings.columns().split(",")) {
            if (!b.isEmpty()) {
                b.append(", ");
            }
            b.append("r.").append(column.strip());
        }
        return b.toString();
    }

    /** A LIKE pattern that matches {@code text} anywhere, its own wildcards taken literally. */
    private static String like(String text) {
        return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    private record TextArray(Collection<String> values) {}
}
