package org.medsync.archive.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * What a recording is made of once encoded (tables archive_rendition, archive_rendition_file): the master, the HLS
 * rungs and the storyboard, each with its files as stored objects.
 */
public final class Renditions {
    private final DataSource dataSource;

    public Renditions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * A rendition and its measured properties; null fields were not measured (psnr/ssim of a copied master).
     *
     * @param kind master, hls or storyboard
     * @param bitrate bits per second (for an HLS rung: its peak segment rate, an HLS BANDWIDTH)
     */
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
            boolean copied,
            List<File> files) {}

    /** A file of a rendition: its relative path, the object holding its bytes and its media type. */
    public record File(String path, String sha256, long size, String mediaType) {}

    /**
     * Replaces every rendition of a recording with these, in one transaction, recording their objects too: a job run
     * a second time replaces what the first run wrote, and readers never see half of either.
     */
    public void replace(String recordingId, List<Rendition> renditions) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement s = c.prepareStatement("delete from archive_rendition where recording_id = ?")) {
                    s.setString(1, recordingId);
                    s.executeUpdate();
                }
                for (Rendition r : renditions) {
                    insert(c, recordingId, r);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static void insert(Connection c, String recordingId, Rendition r) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("insert into archive_rendition (recording_id, name, kind,"
                + " codec, profile, pixel_format, width, height, bitrate, psnr, ssim, copied)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, recordingId);
            s.setString(2, r.name());
            s.setString(3, r.kind());
            s.setString(4, r.codec());
            s.setString(5, r.profile());
            s.setString(6, r.pixelFormat());
            s.setObject(7, r.width(), Types.INTEGER);
            s.setObject(8, r.height(), Types.INTEGER);
            s.setObject(9, r.bitrate(), Types.BIGINT);
            // PostgreSQL's double precision holds Infinity (a lossless master against itself), JSON does not:
            // readers turn it into null or a cap; the row keeps the truth.
            s.setObject(10, r.psnr(), Types.DOUBLE);
            s.setObject(11, r.ssim(), Types.DOUBLE);
            s.setBoolean(12, r.copied());
            s.executeUpdate();
        }
        for (File f : r.files()) {
            Objects.record(c, f.sha256(), f.size(), f.mediaType());
            try (PreparedStatement s = c.prepareStatement("insert into archive_rendition_file (recording_id,"
                    + " rendition, path, sha256, media_type) values (?, ?, ?, ?, ?)")) {
                s.setString(1, recordingId);
                s.setString(2, r.name());
                s.setString(3, f.path());
                s.setString(4, f.sha256());
                s.setString(5, f.mediaType());
                s.executeUpdate();
            }
        }
    }

    /** The renditions of a recording, master first, then the rungs tallest first, then the rest; with their files. */
    public List<Rendition> of(String recordingId) throws SQLException {
        Map<String, Rendition> byName = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement s = c.prepareStatement("select name, kind, codec, profile, pixel_format, width,"
                    + " height, bitrate, psnr, ssim, copied from archive_rendition where recording_id = ? order by"
                    + " case kind when 'master' then 0 when 'hls' then 1 else 2 end, height desc nulls last, name")) {
                s.setString(1, recordingId);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        byName.put(
                                r.getString("name"),
                                new Rendition(
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
                                        r.getBoolean("copied"),
                                        new ArrayList<>()));
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("select f.rendition, f.path, f.sha256, o.size, f.media_type"
                    + " from archive_rendition_file f join archive_object o on o.sha256 = f.sha256"
                    + " where f.recording_id = ? order by f.rendition, f.path")) {
                s.setString(1, recordingId);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        Rendition owner = byName.get(r.getString(1));
                        if (owner != null) {
                            owner.files().add(new File(r.getString(2), r.getString(3), r.getLong(4), r.getString(5)));
                        }
                    }
                }
            }
        }
        List<Rendition> out = new ArrayList<>();
        byName.values()
                .forEach(r -> out.add(new Rendition(
                        r.name(),
                        r.kind(),
                        r.codec(),
                        r.profile(),
                        r.pixelFormat(),
                        r.width(),
                        r.height(),
                        r.bitrate(),
                        r.psnr(),
                        r.ssim(),
                        r.copied(),
                        List.copyOf(r.files()))));
        return out;
    }

    /** One file of a rendition (for serving it), or empty. */
    public Optional<File> file(String recordingId, String rendition, String path) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select f.path, f.sha256, o.size, f.media_type"
                        + " from archive_rendition_file f join archive_object o on o.sha256 = f.sha256"
                        + " where f.recording_id = ? and f.rendition = ? and f.path = ?")) {
            s.setString(1, recordingId);
            s.setString(2, rendition);
            s.setString(3, path);
            try (ResultSet r = s.executeQuery()) {
                return r.next()
                        ? Optional.of(new File(r.getString(1), r.getString(2), r.getLong(3), r.getString(4)))
                        : Optional.empty();
            }
        }
    }

    /** The media type a rendition file is served with (docs/archive-api.md). */
    public static String mediaType(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".m3u8")) {
            return "application/vnd.apple.mpegurl";
        } else if (n.endsWith(".m4s")) {
            return "video/iso.segment";
        } else if (n.endsWith(".mp4")) {
            return "video/mp4";
        } else if (n.endsWith(".mov")) {
            return "video/quicktime";
        } else if (n.endsWith(".mkv")) {
            return "video/x-matroska";
        } else if (n.endsWith(".jpg") || n.endsWith(".jpeg")) {
            return "image/jpeg";
        } else if (n.endsWith(".json")) {
            return "application/json";
        }
        return "application/octet-stream";
    }
}
