package org.medsync.dicom.worklist;

import com.pixelmed.dicom.ApplicationEntityAttribute;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DateAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.PersonNameAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.ShortStringAttribute;
import com.pixelmed.dicom.TimeAttribute;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;

/**
 * The C-FIND identifiers of the Modality Worklist Information Model (PS3.4 K.6.1.2.2), over PixelMed.
 *
 * <pre>
 *   request                                  response (one per Scheduled Procedure Step)
 *   (0008,0005) CS ""        return key       Specific Character Set, decodes the rest
 *   (0010,0010) PN "DOE^*"   match or ""      (0010,0010) PN "DOE^JANE"
 *   ...                                       ...
 *   (0040,0100) SQ one item:                  (0040,0100) SQ one item:
 *     (0040,0002) DA "20250101-20250101"        (0040,0002) DA "20250101"
 *     (0008,0060) CS "ES" / ""                  (0008,0060) CS "ES"
 * </pre>
 *
 * Tags are spelled as numbers: PixelMed's TagFromName lacks several worklist ones (e.g. (0040,0100)).
 */
final class Identifiers {

    /** Modality Worklist Information Model - FIND (PS3.4 K.4). */
    static final String MWL_FIND = "1.2.840.10008.5.1.4.31";

    static final AttributeTag SPECIFIC_CHARACTER_SET = new AttributeTag(0x0008, 0x0005);
    static final AttributeTag ACCESSION_NUMBER = new AttributeTag(0x0008, 0x0050);
    static final AttributeTag MODALITY = new AttributeTag(0x0008, 0x0060);
    static final AttributeTag REFERRING_PHYSICIAN = new AttributeTag(0x0008, 0x0090);
    static final AttributeTag PATIENT_NAME = new AttributeTag(0x0010, 0x0010);
    static final AttributeTag PATIENT_ID = new AttributeTag(0x0010, 0x0020);
    static final AttributeTag BIRTH_DATE = new AttributeTag(0x0010, 0x0030);
    static final AttributeTag SEX = new AttributeTag(0x0010, 0x0040);
    static final AttributeTag STUDY_INSTANCE_UID = new AttributeTag(0x0020, 0x000D);
    static final AttributeTag REQUESTED_PROCEDURE_DESCRIPTION = new AttributeTag(0x0032, 0x1060);
    static final AttributeTag SPS_SEQUENCE = new AttributeTag(0x0040, 0x0100);
    static final AttributeTag STATION_AE = new AttributeTag(0x0040, 0x0001);
    static final AttributeTag SPS_START_DATE = new AttributeTag(0x0040, 0x0002);
    static final AttributeTag SPS_START_TIME = new AttributeTag(0x0040, 0x0003);
    static final AttributeTag PERFORMING_PHYSICIAN = new AttributeTag(0x0040, 0x0006);
    static final AttributeTag SPS_DESCRIPTION = new AttributeTag(0x0040, 0x0007);
    static final AttributeTag SPS_ID = new AttributeTag(0x0040, 0x0009);
    static final AttributeTag STATION_NAME = new AttributeTag(0x0040, 0x0010);
    static final AttributeTag SPS_LOCATION = new AttributeTag(0x0040, 0x0011);
    static final AttributeTag REQUESTED_PROCEDURE_ID = new AttributeTag(0x0040, 0x1001);

    private Identifiers() {}

    /** The request identifier: every key we read back is present, matching keys carry the query's values. */
    static AttributeList request(WorklistQuery q) throws DicomException {
        AttributeList id = new AttributeList();
        id.put(value(new CodeStringAttribute(SPECIFIC_CHARACTER_SET), null));
        id.put(value(new ShortStringAttribute(ACCESSION_NUMBER), q.accessionNumber()));
        id.put(value(new PersonNameAttribute(REFERRING_PHYSICIAN), null));
        id.put(value(new PersonNameAttribute(PATIENT_NAME), q.patientName()));
        id.put(value(new LongStringAttribute(PATIENT_ID), q.patientId()));
        id.put(value(new DateAttribute(BIRTH_DATE), null));
        id.put(value(new CodeStringAttribute(SEX), null));
        id.put(value(new UniqueIdentifierAttribute(STUDY_INSTANCE_UID), null));
        id.put(value(new LongStringAttribute(REQUESTED_PROCEDURE_DESCRIPTION), null));
        id.put(value(new ShortStringAttribute(REQUESTED_PROCEDURE_ID), null));

        AttributeList sps = new AttributeList();
        sps.put(value(new CodeStringAttribute(MODALITY), q.modality()));
        sps.put(value(new ApplicationEntityAttribute(STATION_AE), q.stationAeTitle()));
        sps.put(value(new DateAttribute(SPS_START_DATE), q.dateRange()));
        sps.put(value(new TimeAttribute(SPS_START_TIME), null));
        sps.put(value(new PersonNameAttribute(PERFORMING_PHYSICIAN), null));
        sps.put(value(new LongStringAttribute(SPS_DESCRIPTION), null));
        sps.put(value(new ShortStringAttribute(SPS_ID), null));
        sps.put(value(new ShortStringAttribute(STATION_NAME), null));
        sps.put(value(new ShortStringAttribute(SPS_LOCATION), null));
        SequenceAttribute seq = new SequenceAttribute(SPS_SEQUENCE);
        seq.addItem(sps);
        id.put(seq);
        return id;
    }

    /** One response identifier to an item; the first Scheduled Procedure Step item if several. */
    static WorklistItem item(AttributeList r) throws DicomException {
        AttributeList sps = new AttributeList();
        Attribute seq = r.get(SPS_SEQUENCE);
        if (seq instanceof SequenceAttribute s && s.getNumberOfItems() > 0) {
            sps = s.getItem(0).getAttributeList();
        } else if (seq != null && !(seq instanceof SequenceAttribute)) {
            throw new DicomException("Scheduled Procedure Step Sequence (0040,0100) is not a sequence");
        }
        LocalDate start = date(string(sps, SPS_START_DATE));
        LocalTime time = time(string(sps, SPS_START_TIME));
        return new WorklistItem(
                string(r, PATIENT_NAME),
                string(r, PATIENT_ID),
                date(string(r, BIRTH_DATE)),
                string(r, SEX),
                string(r, ACCESSION_NUMBER),
                string(r, STUDY_INSTANCE_UID),
                string(r, REQUESTED_PROCEDURE_ID),
                string(r, REQUESTED_PROCEDURE_DESCRIPTION),
                string(r, REFERRING_PHYSICIAN),
                string(sps, SPS_ID),
                string(sps, SPS_DESCRIPTION),
                start == null ? null : LocalDateTime.of(start, time == null ? LocalTime.MIDNIGHT : time),
                string(sps, MODALITY),
                string(sps, STATION_AE),
                string(sps, STATION_NAME),
                string(sps, SPS_LOCATION),
                string(sps, PERFORMING_PHYSICIAN));
    }

    private static Attribute value(Attribute a, String v) throws DicomException {
        if (v != null && !v.isEmpty()) {
            a.addValue(v);
        }
        return a;
    }

    private static String string(AttributeList list, AttributeTag tag) {
        String s = Attribute.getSingleStringValueOrEmptyString(list, tag);
        s = s == null ? "" : s.strip();
        return s.isEmpty() ? null : s;
    }

    /** DA (PS3.5 6.2): YYYYMMDD; the ACR-NEMA form YYYY.MM.DD is still seen in old worklists. */
    static LocalDate date(String s) {
        if (s == null) {
            return null;
        }
        String d = s.replace(".", "");
        if (d.length() != 8 || !d.chars().allMatch(Character::isDigit)) {
            return null;
        }
        try {
            return LocalDate.of(
                    Integer.parseInt(d, 0, 4, 10), Integer.parseInt(d, 4, 6, 10), Integer.parseInt(d, 6, 8, 10));
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** TM (PS3.5 6.2): HH, HHMM, HHMMSS, HHMMSS.FFFFFF; the ACR-NEMA form HH:MM:SS also appears. */
    static LocalTime time(String s) {
        if (s == null) {
            return null;
        }
        String t = s.replace(":", "");
        int dot = t.indexOf('.');
        String whole = dot < 0 ? t : t.substring(0, dot);
        if (!whole.chars().allMatch(Character::isDigit)
                || whole.length() < 2
                || whole.length() > 6
                || whole.length() % 2 != 0) {
            return null;
        }
        try {
            int h = Integer.parseInt(whole, 0, 2, 10);
            int m = whole.length() >= 4 ? Integer.parseInt(whole, 2, 4, 10) : 0;
            int sec = whole.length() == 6 ? Integer.parseInt(whole, 4, 6, 10) : 0;
            return LocalTime.of(h, m, Math.min(sec, 59));
        } catch (DateTimeException | NumberFormatException e) {
            return null;
        }
    }
}
