package org.medsync.archive.access;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * What a recording is made of, read for serving it: renditions, their files, quality flags, jobs. Reads only; the
 * transcode and anonymize jobs write these rows. MERGE NOTE: reads the tables of V150-V151 directly; once
 * catalog.Renditions / catalog.Flags / jobs.JobQueue (H2) are on the branch, their readers can replace these.
 */
public final class Playback {
    /** A rendition row; numbers null where not known or not measured. */
    public record Rendition(
            String name,
            String kind,
            String codec,
            String profile,
            String pixelFormat,
            Integer width,
            Integer height,
            Long bitrate,
            Double psnr,
            Double ssim,
            boolean copied) {}

    /** A file of a rendition: the object holding its bytes, and how to label them. */
    public record File(String sha256, String mediaType) {}

    public record Flag(String kind, double start, double end, String detail) {}

    public record Job(
            long id,
            String kind,
            String state,
            double progress,
            String stage,
            String message,
            int attempts,
            Instant createdAt,
            Instant finishedAt) {}

    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private final DataSource dataSource;

    public Playback(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public List<Rendition> renditions(String recordingId) throws SQLException {
        List<Rendition> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select name, kind, codec, profile, pixel_format, width,"
                        + " height, bitrate, psnr, ssim, copied from archive_rendition where recording_id = ?"
                        + " order by kind, height desc nulls last, name")) {
            s.setString(1, recordingId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new Rendition(
                            r.getString("name"),
                            r.getString("kind"),
                            r.getString("codec"),
                            r.getString("profile"),
                            r.getString("pixel_format"),
                            r.getObject("width", Integer.class),
                            r.getObject("height", Integer.class),
                            r.getObject("bitrate", Long.class),
                            r.getObject("psnr", Double.class),
                            r.getObject("ssim", Double.class),
                            r.getBoolean("copied")));
                }
            }
        }
        return out;
    }

    /**
     * A file of a rendition; empty when there is none, or when the name or path is not one the schema could hold
     * (so no lookup is made for garbage).
     */
    public Optional<File> file(String recordingId, String rendition, String path) throws SQLException {
        if (rendition == null
                || path == null
                || !NAME.matcher(rendition).matches()
                || !PATH.matcher(path).matches()) {
            return Optional.empty();
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select sha256, media_type from archive_rendition_file"
                        + " where recording_id = ? and rendition = ? and path = ?")) {
            s.setString(1, recordingId);
            s.setString(2, rendition);
            s.setString(3, path);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(new File(r.getString(1), r.getString(2))) : Optional.empty();
            }
        }
    }

    public List<Flag> flags(String recordingId) throws SQLException {
        List<Flag> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select kind, start_seconds, end_seconds, detail"
                        + " from archive_flag where recording_id = ? order by start_seconds")) {
            s.setString(1, recordingId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new Flag(r.getString(1), r.getDouble(2), r.getDouble(3), r.getString(4)));
                }
            }
        }
        return out;
    }

    /** The jobs on a recording, and for an anonymized copy the job that makes it (queued on its original). */
    public List<Job> jobs(String recordingId) throws SQLException {
        List<Job> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select id, kind, state, progress, stage, message,"
                        + " attempts, created_at, finished_at from archive_job where recording_id = ?"
                        + " or (kind = 'anonymize' and params ->> 'copy' = ?) order by id")) {
            s.setString(1, recordingId);
            s.setString(2, recordingId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    Timestamp finished = r.getTimestamp("finished_at");
                    out.add(new Job(
                            r.getLong("id"),
                            r.getString("kind"),
                            r.getString("state"),
                            r.getDouble("progress"),
                            r.getString("stage"),
                            r.getString("message"),
                            r.getInt("attempts"),
                            r.getTimestamp("created_at").toInstant(),
                            finished == null ? null : finished.toInstant()));
                }
            }
        }
        return out;
    }

    /**
     * The HLS master playlist of a recording's hls renditions, variants relative to the playlist's own URL
     * ({@code renditions/hls-720/index.m3u8}); empty when there is no hls rendition yet.
     */
    public static Optional<String> masterPlaylist(List<Rendition> renditions) {
        List<Rendition> hls = renditions.stream()
                .filter(r -> r.kind().equals("hls"))
                .sorted((a, b) -> Long.compare(bandwidth(b), bandwidth(a)))
                .toList();
        if (hls.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder m = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n");
        for (Rendition r : hls) {
            m.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(bandwidth(r));
            if (r.width() != null && r.height() != null) {
                m.append(",RESOLUTION=").append(r.width()).append('x').append(r.height());
            }
            codecs(r).ifPresent(codecs -> m.append(",CODECS=\"").append(codecs).append('"'));
            m.append('\n').append("renditions/").append(r.name()).append("/index.m3u8\n");
        }
        return Optional.of(m.toString());
    }

    /** The media type a rendition file is served with, from its name (the stored type when the name says nothing). */
    public static String mediaType(String path, String stored) {
        String p = path.toLowerCase(Locale.ROOT);
        if (p.endsWith(".m3u8")) {
            return "application/vnd.apple.mpegurl";
        }
        if (p.endsWith(".m4s")) {
            return "video/iso.segment";
        }
        if (p.endsWith(".mp4")) {
            return "video/mp4";
        }
        if (p.endsWith(".jpg") || p.endsWith(".jpeg")) {
            return "image/jpeg";
        }
        if (p.endsWith(".json")) {
            return "application/json";
        }
        if (p.endsWith(".mkv")) {
            return "video/x-matroska";
        }
        return stored == null ? "application/octet-stream" : stored;
    }

    /** BANDWIDTH is required: the measured bitrate, or a generous guess from the size when it was not stored. */
    private static long bandwidth(Rendition r) {
        if (r.bitrate() != null && r.bitrate() > 0) {
            return r.bitrate();
        }
        long pixels = r.width() == null || r.height() == null ? 1280L * 720 : (long) r.width() * r.height();
        return pixels * 4;
    }

    /**
     * The RFC 6381 codec string when the rendition row holds one as its profile ("avc1.64001f"); otherwise none: a
     * profile name alone does not give the level, a wrong CODECS makes players refuse the variant, a missing one
     * does not.
     */
    private static Optional<String> codecs(Rendition r) {
        String profile = r.profile() == null ? "" : r.profile().strip();
        return profile.matches("avc1\\.[0-9A-Fa-f]{6}") ? Optional.of(profile) : Optional.empty();
    }
}
