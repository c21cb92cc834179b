package org.medsync.archive.anonymize;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.medsync.archive.catalog.Objects;

/**
 * Writes the anonymized copy's rendition rows and finds the original's master. MERGE NOTE: plain SQL on the V150
 * tables because catalog.Renditions (H2) is on another branch; switch to it at merge.
 */
final class CopyRenditions {
    /** A stored file of a rendition. */
    record StoredFile(String path, String sha256, long size, String mediaType) {}

    /** A rendition made by the job; {@code video} null for the storyboard. */
    record Made(String name, String kind, Ffmpeg.Video video, List<StoredFile> files) {}

    private final DataSource dataSource;
    private final Objects objects;

    CopyRenditions(DataSource dataSource) {
        this.dataSource = dataSource;
        this.objects = new Objects(dataSource);
    }

    /** The object of the recording's master file, if it has a master. */
    Optional<String> masterObject(String recordingId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select f.sha256 from archive_rendition r join"
                        + " archive_rendition_file f on f.recording_id = r.recording_id and f.rendition = r.name"
                        + " where r.recording_id = ? and r.kind = 'master' order by f.path limit 1")) {
            s.setString(1, recordingId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
            }
        }
    }

    /** Replaces every rendition of the recording with these, in one transaction. */
    void replace(String recordingId, List<Made> made) throws SQLException {
        for (Made m : made) {
            for (StoredFile f : m.files()) {
                objects.record(f.sha256(), f.size(), f.mediaType());
            }
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement s = c.prepareStatement("delete from archive_rendition where recording_id = ?")) {
                    s.setString(1, recordingId);
                    s.executeUpdate();
                }
                try (PreparedStatement r = c.prepareStatement("insert into archive_rendition (recording_id, name,"
                                + " kind, codec, profile, pixel_format, width, height, bitrate)"
                                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?)");
                        PreparedStatement f = c.prepareStatement("insert into archive_rendition_file (recording_id,"
                                + " rendition, path, sha256, media_type) values (?, ?, ?, ?, ?)")) {
                    for (Made m : made) {
                        boolean video = m.video() != null;
                        r.setString(1, recordingId);
                        r.setString(2, m.name());
                        r.setString(3, m.kind());
                        r.setString(4, video ? "h264" : "mjpeg");
                        r.setString(5, video ? "High" : null);
                        r.setString(6, video ? "yuv420p" : null);
                        r.setObject(7, video ? m.video().width() : null);
                        r.setObject(8, video ? m.video().height() : null);
                        r.setObject(
                                9, video && m.video().bitrate() > 0 ? m.video().bitrate() : null);
                        r.executeUpdate();
                        for (StoredFile file : m.files()) {
                            f.setString(1, recordingId);
                            f.setString(2, m.name());
                            f.setString(3, file.path());
                            f.setString(4, file.sha256());
                            f.setString(5, file.mediaType());
                            f.executeUpdate();
                        }
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    static String mediaType(String name) {
        if (name.endsWith(".m3u8")) {
            return "application/vnd.apple.mpegurl";
        }
        if (name.endsWith(".m4s")) {
            return "video/iso.segment";
        }
        if (name.endsWith(".mp4")) {
            return "video/mp4";
        }
        if (name.endsWith(".jpg")) {
            return "image/jpeg";
        }
        if (name.endsWith(".json")) {
            return "application/json";
        }
        return "application/octet-stream";
    }
}
