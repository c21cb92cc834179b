package org.medsync.dicom.worklist;

import java.time.LocalDate;
import java.time.LocalDateTime;

/**
 * One Scheduled Procedure Step of the Modality Worklist (PS3.4 K.6.1.2, one C-FIND response identifier).
 * Strings are decoded per the response's Specific Character Set; absent or empty values are {@code null}.
 * Person names keep the DICOM form {@code Family^Given^Middle^Prefix^Suffix}.
 *
 * @param patientName                      (0010,0010)
 * @param patientId                        (0010,0020)
 * @param birthDate                        (0010,0030), null if absent or not a valid DA
 * @param sex                              (0010,0040) M, F or O
 * @param accessionNumber                  (0008,0050)
 * @param studyInstanceUid                 (0020,000D) the study the procedure's images and video belong to
 * @param requestedProcedureId             (0040,1001)
 * @param requestedProcedureDescription    (0032,1060)
 * @param referringPhysician               (0008,0090)
 * @param scheduledProcedureStepId         (0040,0009) in the Scheduled Procedure Step Sequence (0040,0100)
 * @param scheduledProcedureStepDescription (0040,0007)
 * @param scheduledStart                   (0040,0002) + (0040,0003); time 00:00 if the time is absent
 * @param modality                         (0008,0060) of the step
 * @param stationAeTitle                   (0040,0001) first value
 * @param stationName                      (0040,0010)
 * @param location                         (0040,0011) Scheduled Procedure Step Location
 * @param performingPhysician              (0040,0006) Scheduled Performing Physician's Name
 */
public record WorklistItem(
        String patientName,
        String patientId,
        LocalDate birthDate,
        String sex,
        String accessionNumber,
        String studyInstanceUid,
        String requestedProcedureId,
        String requestedProcedureDescription,
        String referringPhysician,
        String scheduledProcedureStepId,
        String scheduledProcedureStepDescription,
        LocalDateTime scheduledStart,
        String modality,
        String stationAeTitle,
        String stationName,
        String location,
        String performingPhysician) {

    /**
     * The item as the static part of a DICOM-RTV metadata flow, in the DICOM JSON Model (PS3.18 F.2): the
     * attributes a modality copies from the worklist into what it produces (IHE RAD TF-2 4.6.4.1.2.4, MWL
     * to image mapping): Patient module, General Study (Study Instance UID, Accession Number, Referring
     * Physician, Study Description = Requested Procedure Description), Performing Physician's Name
     * (0008,1050) = Scheduled Performing Physician's Name, Modality, and the Request Attributes Sequence
     * (0040,0275) with Requested Procedure ID/Description and Scheduled Procedure Step ID/Description.
     * Scheduled Procedure Step ID (0040,0009) is also put at the top level, where a receiver overlay finds
     * it (docs/rtv-control.md). Specific Character Set is ISO_IR 192: JSON text is Unicode. Attributes
     * without a value are left out.
     *
     * @return a JSON object text, keys in ascending tag order
     */
    public String toDicomJson() {
        return ItemJson.staticMetadata(this);
    }

    /** Patient's Name for people: "DOE, JANE" from "DOE^JANE". */
    public String patientNameForDisplay() {
        if (patientName == null) {
            return "";
        }
        String alphabetic = patientName.split("=", -1)[0];
        String[] parts = alphabetic.split("\\^", -1);
        String family = parts[0].strip();
        String given = parts.length > 1 ? parts[1].strip() : "";
        return given.isEmpty() ? family : family + ", " + given;
    }
}
