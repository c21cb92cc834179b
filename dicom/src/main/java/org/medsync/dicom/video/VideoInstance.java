package org.medsync.dicom.video;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.UUID;

/**
 * Who and what a DICOM video instance is about: the patient and study it joins (from the recording, so the video
 * lands in the patient's study at the PACS) and its own new series and instance.
 *
 * @param studyInstanceUid the study of the procedure (from the worklist); null makes a new study
 * @param startedAt when the recording began: Study/Series/Content/Acquisition date and time (in its own zone)
 */
public record VideoInstance(
        VideoSopClass sopClass,
        String patientName,
        String patientId,
        String studyInstanceUid,
        String accessionNumber,
        String studyDescription,
        String seriesDescription,
        String operatorName,
        String institutionName,
        ZonedDateTime startedAt,
        String seriesInstanceUid,
        String sopInstanceUid,
        int seriesNumber,
        Code anatomicRegion) {

    /** SNOMED CT "Entire body": the region when nobody coded where the camera was (the procedure says it in text). */
    public static final Code UNSPECIFIED_REGION = new Code("38266002", "SCT", "Entire body");

    /** A coded concept (PS3.3 8.8): value, coding scheme designator, meaning. */
    public record Code(String value, String scheme, String meaning) {
        public Code {
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(scheme, "scheme");
            Objects.requireNonNull(meaning, "meaning");
        }
    }

    /** Without a coded anatomic region ({@link #UNSPECIFIED_REGION}). */
    public VideoInstance(
            VideoSopClass sopClass,
            String patientName,
            String patientId,
            String studyInstanceUid,
            String accessionNumber,
            String studyDescription,
            String seriesDescription,
            String operatorName,
            String institutionName,
            ZonedDateTime startedAt,
            String seriesInstanceUid,
            String sopInstanceUid,
            int seriesNumber) {
        this(
                sopClass,
                patientName,
                patientId,
                studyInstanceUid,
                accessionNumber,
                studyDescription,
                seriesDescription,
                operatorName,
                institutionName,
                startedAt,
                seriesInstanceUid,
                sopInstanceUid,
                seriesNumber,
                UNSPECIFIED_REGION);
    }

    public VideoInstance {
        anatomicRegion = anatomicRegion == null ? UNSPECIFIED_REGION : anatomicRegion;
        Objects.requireNonNull(sopClass, "sopClass");
        Objects.requireNonNull(startedAt, "startedAt");
        studyInstanceUid = studyInstanceUid == null ? newUid() : checkUid(studyInstanceUid, "Study Instance UID");
        seriesInstanceUid = seriesInstanceUid == null ? newUid() : checkUid(seriesInstanceUid, "Series Instance UID");
        sopInstanceUid = sopInstanceUid == null ? newUid() : checkUid(sopInstanceUid, "SOP Instance UID");
    }

    /** A UID under the 2.25 root (PS3.5 B.2): the decimal value of a random UUID, unique without a registered root. */
    public static String newUid() {
        UUID u = UUID.randomUUID();
        byte[] bytes = ByteBuffer.allocate(16)
                .putLong(u.getMostSignificantBits())
                .putLong(u.getLeastSignificantBits())
                .array();
        return "2.25." + new BigInteger(1, bytes);
    }

    private static String checkUid(String uid, String what) {
        if (uid.length() > 64 || !uid.matches("(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*")) {
            throw new IllegalArgumentException(what + " is not a valid UID (PS3.5 9.1)");
        }
        return uid;
    }
}
