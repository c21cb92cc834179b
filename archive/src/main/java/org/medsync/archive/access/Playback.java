package org.medsync.archive.access;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.medsync.archive.catalog.Flags;
import org.medsync.archive.catalog.Renditions;
import org.medsync.archive.jobs.JobQueue;

/**
 * What a recording is made of, read for serving it: renditions, their files, quality flags, jobs, through the
 * catalog's and the job queue's readers. Reads only; the transcode and anonymize jobs write these rows.
 */
public final class Playback {
    /**
     * A rendition as clients see it: without its files, whose object keys are for the server only; numbers null
     * where not known or not measured.
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
            boolean copied) {}

    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private final Renditions renditions;
    private final Flags flags;
    private final JobQueue jobs;

    public Playback(DataSource dataSource, JobQueue jobs) {
        this.renditions = new Renditions(dataSource);
        this.flags = new Flags(dataSource);
        this.jobs = jobs;
    }

    /** The renditions of a recording, master first, then the rungs tallest first, then the rest. */
    public List<Rendition> renditions(String recordingId) throws SQLException {
        return renditions.of(recordingId).stream()
                .map(r -> new Rendition(
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
                        r.copied()))
                .toList();
    }

    /**
     * A file of a rendition; empty when there is none, or when the name or path is not one the schema could hold
     * (so no lookup is made for garbage).
     */
    public Optional<Renditions.File> file(String recordingId, String rendition, String path) throws SQLException {
        if (rendition == null
                || path == null
                || !NAME.matcher(rendition).matches()
                || !PATH.matcher(path).matches()) {
            return Optional.empty();
        }
        return renditions.file(recordingId, rendition, path);
    }

    public List<Flags.Flag> flags(String recordingId) throws SQLException {
        return flags.of(recordingId);
    }

    /** The jobs on a recording, and for an anonymized copy the job that makes it (queued on its original). */
    public List<JobQueue.Info> jobs(String recordingId) throws SQLException {
        return jobs.ofRecordingOrNamedBy(recordingId, "anonymize", "copy");
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
