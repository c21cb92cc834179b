package org.medsync.testsupport.worklist;

import java.time.LocalDate;
import java.util.Locale;

/**
 * One worklist entry: a patient, a requested procedure and its one scheduled procedure step. The attributes
 * that are null ({@code referringPhysician}, {@code stationName}, {@code location}) are left out of the file.
 */
public record ScheduledProcedure(
        String accession,
        String referringPhysician,
        String patientName,
        String patientId,
        String birthDate,
        String sex,
        String studyUid,
        String requestedProcedureId,
        String requestedProcedureDescription,
        String modality,
        String stationAe,
        String date,
        String time,
        String performingPhysician,
        String stepDescription,
        String stepId,
        String stationName,
        String location) {

    /** A DICOM DA value. */
    public static String da(LocalDate d) {
        return String.format(Locale.ROOT, "%04d%02d%02d", d.getYear(), d.getMonthValue(), d.getDayOfMonth());
    }

    /** dcmtk's dump format, which dump2dcm reads: the bytes between brackets are the value as written. */
    String dump() {
        StringBuilder d = new StringBuilder();
        line(d, "(0008,0005) CS", "ISO_IR 100");
        line(d, "(0008,0050) SH", accession);
        line(d, "(0008,0090) PN", referringPhysician);
        line(d, "(0010,0010) PN", patientName);
        line(d, "(0010,0020) LO", patientId);
        line(d, "(0010,0030) DA", birthDate);
        line(d, "(0010,0040) CS", sex);
        line(d, "(0020,000d) UI", studyUid);
        line(d, "(0032,1060) LO", requestedProcedureDescription);
        d.append("(0040,0100) SQ\n(fffe,e000) -\n");
        line(d, "(0008,0060) CS", modality);
        line(d, "(0040,0001) AE", stationAe);
        line(d, "(0040,0002) DA", date);
        line(d, "(0040,0003) TM", time);
        line(d, "(0040,0006) PN", performingPhysician);
        line(d, "(0040,0007) LO", stepDescription);
        line(d, "(0040,0009) SH", stepId);
        line(d, "(0040,0010) SH", stationName);
        line(d, "(0040,0011) SH", location);
        d.append("(fffe,e00d) -\n(fffe,e0dd) -\n");
        line(d, "(0040,1001) SH", requestedProcedureId);
        return d.toString();
    }

    private static void line(StringBuilder d, String tagAndVr, String value) {
        if (value != null) {
            d.append(tagAndVr).append(" [").append(value).append("]\n");
        }
    }
}
