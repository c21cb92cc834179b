package org.medsync.server.photo;

import java.time.Instant;
import org.medsync.photo.request.Attachment;

/**
 * One photo as the photo table holds it: who sent it, what it is attached to, where processing stands, and the
 * Secondary Capture it became. {@code problemsJson}, {@code quadJson} and {@code readJson} (the AI read, null until
 * one is made) are the stored JSON texts.
 */
public record PhotoRecord(
        String id,
        String batchId,
        int position,
        String sender,
        Attachment attachment,
        String note,
        String mediaType,
        int orientation,
        int photoWidth,
        int photoHeight,
        PhotoStatus status,
        String problemsJson,
        String quadJson,
        String cornersSource,
        String studyUid,
        String sourceSeriesUid,
        String sourceSopUid,
        String sourceSopClassUid,
        String scSeriesUid,
        String scSopUid,
        String restorer,
        String errorCode,
        String errorMessage,
        Instant createdAt,
        String readJson) {}
