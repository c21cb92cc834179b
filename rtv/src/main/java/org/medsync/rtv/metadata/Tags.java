package org.medsync.rtv.metadata;

import java.util.HexFormat;
import java.util.Map;

/** The attributes DICOM-RTV metadata uses (PS3.6 data dictionary), and their keywords. */
public final class Tags {

    // File / RTV Meta Information (group 0002, PS3.10 7.1 and PS3.22 RTV Meta Information)
    public static final int FILE_META_GROUP_LENGTH = 0x00020000;
    public static final int TRANSFER_SYNTAX_UID = 0x00020010;
    public static final int RTV_META_VERSION = 0x00020031;
    public static final int RTV_SOP_CLASS_UID = 0x00020032;
    public static final int RTV_SOP_INSTANCE_UID = 0x00020033;
    public static final int RTV_SOURCE_IDENTIFIER = 0x00020035;
    public static final int RTV_FLOW_IDENTIFIER = 0x00020036;
    public static final int RTV_FLOW_RTP_SAMPLING_RATE = 0x00020037;
    public static final int RTV_FLOW_ACTUAL_FRAME_DURATION = 0x00020038;

    // Data set
    public static final int CURRENT_FRAME_FUNCTIONAL_GROUPS_SEQUENCE = 0x00060001;
    public static final int SOP_CLASS_UID = 0x00080016;
    public static final int SOP_INSTANCE_UID = 0x00080018;
    public static final int STUDY_DATE = 0x00080020;
    public static final int STUDY_TIME = 0x00080030;
    public static final int ACCESSION_NUMBER = 0x00080050;
    public static final int MODALITY = 0x00080060;
    public static final int MANUFACTURER = 0x00080070;
    public static final int INSTITUTION_NAME = 0x00080080;
    public static final int REFERRING_PHYSICIAN_NAME = 0x00080090;
    public static final int STATION_NAME = 0x00081010;
    public static final int STUDY_DESCRIPTION = 0x00081030;
    public static final int MANUFACTURER_MODEL_NAME = 0x00081090;
    public static final int PATIENT_NAME = 0x00100010;
    public static final int PATIENT_ID = 0x00100020;
    public static final int PATIENT_BIRTH_DATE = 0x00100030;
    public static final int PATIENT_SEX = 0x00100040;
    public static final int DEVICE_SERIAL_NUMBER = 0x00181000;
    public static final int SOFTWARE_VERSIONS = 0x00181020;
    public static final int STUDY_INSTANCE_UID = 0x0020000D;
    public static final int SERIES_INSTANCE_UID = 0x0020000E;
    public static final int STUDY_ID = 0x00200010;
    public static final int SERIES_NUMBER = 0x00200011;
    public static final int INSTANCE_NUMBER = 0x00200013;
    public static final int SAMPLES_PER_PIXEL = 0x00280002;
    public static final int PHOTOMETRIC_INTERPRETATION = 0x00280004;
    public static final int ROWS = 0x00280010;
    public static final int COLUMNS = 0x00280011;
    public static final int BITS_ALLOCATED = 0x00280100;
    public static final int BITS_STORED = 0x00280101;
    public static final int HIGH_BIT = 0x00280102;
    public static final int FLOW_IDENTIFIER_SEQUENCE = 0x00340001;
    public static final int FLOW_IDENTIFIER = 0x00340002;
    public static final int FLOW_TRANSFER_SYNTAX_UID = 0x00340003;
    public static final int FLOW_RTP_SAMPLING_RATE = 0x00340004;
    public static final int SOURCE_IDENTIFIER = 0x00340005;
    public static final int FRAME_ORIGIN_TIMESTAMP = 0x00340007;
    public static final int REAL_TIME_BULK_DATA_FLOW_SEQUENCE = 0x0034000A;
    public static final int SCHEDULED_PROCEDURE_STEP_ID = 0x00400009;
    public static final int REQUESTED_PROCEDURE_ID = 0x00401001;

    public static final int ITEM = 0xFFFEE000;
    public static final int ITEM_DELIMITATION = 0xFFFEE00D;
    public static final int SEQUENCE_DELIMITATION = 0xFFFEE0DD;

    private static final Map<Integer, String> KEYWORDS = Map.ofEntries(
            Map.entry(SOP_CLASS_UID, "SOPClassUID"),
            Map.entry(SOP_INSTANCE_UID, "SOPInstanceUID"),
            Map.entry(STUDY_DATE, "StudyDate"),
            Map.entry(STUDY_TIME, "StudyTime"),
            Map.entry(ACCESSION_NUMBER, "AccessionNumber"),
            Map.entry(MODALITY, "Modality"),
            Map.entry(MANUFACTURER, "Manufacturer"),
            Map.entry(INSTITUTION_NAME, "InstitutionName"),
            Map.entry(REFERRING_PHYSICIAN_NAME, "ReferringPhysicianName"),
            Map.entry(STATION_NAME, "StationName"),
            Map.entry(STUDY_DESCRIPTION, "StudyDescription"),
            Map.entry(MANUFACTURER_MODEL_NAME, "ManufacturerModelName"),
            Map.entry(PATIENT_NAME, "PatientName"),
            Map.entry(PATIENT_ID, "PatientID"),
            Map.entry(PATIENT_BIRTH_DATE, "PatientBirthDate"),
            Map.entry(PATIENT_SEX, "PatientSex"),
            Map.entry(STUDY_INSTANCE_UID, "StudyInstanceUID"),
            Map.entry(SERIES_INSTANCE_UID, "SeriesInstanceUID"),
            Map.entry(STUDY_ID, "StudyID"),
            Map.entry(FRAME_ORIGIN_TIMESTAMP, "FrameOriginTimestamp"),
            Map.entry(SCHEDULED_PROCEDURE_STEP_ID, "ScheduledProcedureStepID"),
            Map.entry(REQUESTED_PROCEDURE_ID, "RequestedProcedureID"));

    private Tags() {}

    /** The keyword, or the tag as 8 hex digits when not in our dictionary. */
    public static String keyword(int tag) {
        return KEYWORDS.getOrDefault(tag, hex(tag));
    }

    /** "(gggg,eeee)". */
    public static String text(int tag) {
        String h = hex(tag);
        return "(" + h.substring(0, 4) + "," + h.substring(4) + ")";
    }

    /** 8 upper-case hex digits, the DICOM JSON key form. */
    public static String hex(int tag) {
        return HexFormat.of().withUpperCase().toHexDigits(tag);
    }

    /**
     * Parses 8 hex digits (DICOM JSON key).
     *
     * @throws IllegalArgumentException when it is not 8 hex digits
     */
    public static int parseHex(String s) {
        if (s.length() != 8) {
            throw new IllegalArgumentException("a tag is 8 hex digits, was '" + s + "'");
        }
        try {
            return (int) Long.parseLong(s, 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a tag is 8 hex digits, was '" + s + "'");
        }
    }
}
