package org.medsync.library.source;

import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.medsync.dicom.DicomFiles;
import org.medsync.dicom.part10.DicomFormatException;
import org.medsync.dicom.part10.FrameIndex;

/**
 * The frame offsets of recently served instances, so that a frame request reads that frame's bytes only and a
 * file is scanned once, not once per frame. Least recently used entries go first once the recorded byte ranges
 * pass a bound (a range costs 12 bytes: 2^20 of them is about 12 MB).
 *
 * <p>Keyed by everything that names an instance (source, study, series, SOP instance), and read only by
 * {@link LocalSource} after the index has found that instance in that study and series: an entry can never
 * answer for another study than the one the caller was allowed to ask about.
 */
final class FrameIndexCache {

    /** Everything that decides which instance, and so whose access, an entry belongs to. */
    record Key(String source, String studyUid, String seriesUid, String sopUid) {}

    private final long maxSegments;
    private final LinkedHashMap<Key, FrameIndex> entries = new LinkedHashMap<>(64, 0.75f, true);
    private long segments;

    FrameIndexCache(long maxSegments) {
        this.maxSegments = maxSegments;
    }

    /**
     * The index of {@code file}: the cached one if the file has not changed since (one stat call), else a new
     * one from one scan of the file.
     */
    FrameIndex get(Key key, Path file) throws DicomFormatException {
        BasicFileAttributes now = FrameIndex.attributes(file);
        FrameIndex cached;
        synchronized (this) {
            cached = entries.get(key);
        }
        if (cached != null && cached.isFor(now)) {
            return cached;
        }
        // Scanned outside the lock: two first requests for one instance may both scan, others never wait.
        FrameIndex fresh = DicomFiles.frameIndex(file);
        synchronized (this) {
            FrameIndex old = entries.put(key, fresh);
            if (old != null) {
                segments -= old.segments() + 1L;
            }
            segments += fresh.segments() + 1L;
            Iterator<Map.Entry<Key, FrameIndex>> it = entries.entrySet().iterator();
            while (segments > maxSegments && it.hasNext()) {
                Map.Entry<Key, FrameIndex> eldest = it.next();
                if (eldest.getKey().equals(key)) {
                    continue;
                }
                segments -= eldest.getValue().segments() + 1L;
                it.remove();
            }
        }
        return fresh;
    }

    synchronized int size() {
        return entries.size();
    }
}
