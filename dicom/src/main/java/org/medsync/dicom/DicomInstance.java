package org.medsync.dicom;

/**
 * The attributes of one stored instance that the library indexes. Strings are {@code null} when the
 * attribute is absent or empty; {@code numberOfFrames} is 1 when Number of Frames is absent; rows and
 * columns are 0 for instances without an image (SR, RT plan...).
 *
 * <p>Holds patient data: never log a whole instance, log {@link #sopInstanceUid()} at debug level at most.
 */
public record DicomInstance(
        String studyInstanceUid,
        String seriesInstanceUid,
        String sopInstanceUid,
        String sopClassUid,
        String transferSyntaxUid,
        String patientId,
        String patientName,
        String patientBirthDate,
        String patientSex,
        String studyDate,
        String studyTime,
        String studyDescription,
        String accessionNumber,
        String referringPhysicianName,
        String studyId,
        String institutionName,
        String modality,
        Integer seriesNumber,
        String seriesDescription,
        String bodyPartExamined,
        Integer instanceNumber,
        int rows,
        int columns,
        int numberOfFrames,
        boolean hasPixelData) {

    /** Patient data is left out on purpose: this string may end up in a log line. */
    @Override
    public String toString() {
        return "DicomInstance[sopInstanceUid=" + sopInstanceUid + ", modality=" + modality + ", rows=" + rows
                + ", columns=" + columns + ", frames=" + numberOfFrames + "]";
    }
}
