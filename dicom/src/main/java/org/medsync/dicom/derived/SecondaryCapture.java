package org.medsync.dicom.derived;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;

/**
 * A DICOM Secondary Capture Image (PS3.3 A.8.1) made from a photograph of a screen: 8-bit MONOCHROME2, Conversion
 * Type WSD (workstation), marked lossy (a phone's JPEG and the photograph itself lost information), derived from the
 * source instance when it is known. docs/photo-intake.md "Secondary Capture" describes every attribute.
 */
public final class SecondaryCapture {
    public static final String SOP_CLASS_UID = "1.2.840.10008.5.1.4.1.1.7";
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmss");

    /** Patient and General Study attributes copied from the source study, so the importer files it there. */
    public record Study(
            String studyInstanceUid,
            String patientName,
            String patientId,
            String patientBirthDate,
            String patientSex,
            String studyDate,
            String studyTime,
            String accessionNumber,
            String studyId,
            String referringPhysicianName,
            String studyDescription) {
        public Study {
            Objects.requireNonNull(studyInstanceUid, "studyInstanceUid");
        }
    }

    /** The instance the photograph showed, when known (from the viewer's photo mode). */
    public record SourceImage(String sopClassUid, String sopInstanceUid) {}

    /**
     * What to write. {@code pixels}: width*height 8-bit values, row-major. {@code source}: null when the photograph's
     * instance is unknown. {@code lossyMethod}: the photo's compression (ISO_10918_1 for a JPEG) or null.
     */
    public record Request(
            byte[] pixels,
            int width,
            int height,
            Study study,
            String seriesInstanceUid,
            int seriesNumber,
            String sopInstanceUid,
            int instanceNumber,
            SourceImage source,
            String derivationDescription,
            String lossyMethod,
            String imageComments,
            ZonedDateTime created) {
        public Request {
            if (width <= 0 || height <= 0 || width > 65535 || height > 65535) {
                throw new IllegalArgumentException("image size " + width + "x" + height + " is outside 1..65535");
            }
            if (pixels.length != width * height) {
                throw new IllegalArgumentException(
                        "pixels hold " + pixels.length + " values for " + width + "x" + height);
            }
            Objects.requireNonNull(study, "study");
            Objects.requireNonNull(seriesInstanceUid, "seriesInstanceUid");
            Objects.requireNonNull(sopInstanceUid, "sopInstanceUid");
            Objects.requireNonNull(created, "created");
        }
    }

    private SecondaryCapture() {}

    /** A new UID under the UUID root 2.25 (PS3.5 B.2): no organisation root needed, no collision in practice. */
    public static String newUid() {
        UUID u = UUID.randomUUID();
        ByteBuffer b =
                ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        return "2.25." + new BigInteger(1, b.array());
    }

    /** The Part 10 file (Explicit VR Little Endian). */
    public static byte[] write(Request r) throws IOException {
        try {
            AttributeList l = attributes(r);
            FileMetaInformation.addFileMetaInformation(l, TransferSyntax.ExplicitVRLittleEndian, "MEDSYNC");
            ByteArrayOutputStream out = new ByteArrayOutputStream(r.pixels().length + 4096);
            l.write(out, TransferSyntax.ExplicitVRLittleEndian, true, false);
            return out.toByteArray();
        } catch (DicomException e) {
            throw new IOException("the Secondary Capture could not be written: " + e.getMessage(), e);
        }
    }

    static AttributeList attributes(Request r) throws DicomException {
        Study s = r.study();
        ZonedDateTime now = r.created().withZoneSameInstant(ZoneOffset.UTC);
        String date = DATE.format(now);
        String time = TIME.format(now);
        AttributeList l = new AttributeList();
        put(l, TagFromName.SpecificCharacterSet, "ISO_IR 192");
        put(l, TagFromName.SOPClassUID, SOP_CLASS_UID);
        put(l, TagFromName.SOPInstanceUID, r.sopInstanceUid());
        put(l, TagFromName.InstanceCreationDate, date);
        put(l, TagFromName.InstanceCreationTime, time);
        // Patient
        put(l, TagFromName.PatientName, blank(s.patientName()));
        put(l, TagFromName.PatientID, blank(s.patientId()));
        put(l, TagFromName.PatientBirthDate, blank(s.patientBirthDate()));
        put(l, TagFromName.PatientSex, blank(s.patientSex()));
        // General Study
        put(l, TagFromName.StudyInstanceUID, s.studyInstanceUid());
        put(l, TagFromName.StudyDate, s.studyDate() == null ? date : s.studyDate());
        put(l, TagFromName.StudyTime, s.studyTime() == null ? time : s.studyTime());
        put(l, TagFromName.ReferringPhysicianName, blank(s.referringPhysicianName()));
        put(l, TagFromName.StudyID, blank(s.studyId()));
        put(l, TagFromName.AccessionNumber, blank(s.accessionNumber()));
        if (s.studyDescription() != null && !s.studyDescription().isEmpty()) {
            put(l, TagFromName.StudyDescription, s.studyDescription());
        }
        // General Series: OT, as PS3.3 A.8.1 suggests for a capture of unknown modality.
        put(l, TagFromName.Modality, "OT");
        put(l, TagFromName.SeriesInstanceUID, r.seriesInstanceUid());
        put(l, TagFromName.SeriesNumber, Integer.toString(r.seriesNumber()));
        put(l, TagFromName.SeriesDate, date);
        put(l, TagFromName.SeriesTime, time);
        put(l, TagFromName.SeriesDescription, "Photo of a screen (restored)");
        // Type 2C: unknown for a photo, so present and empty (dciodvfy asks for it).
        put(l, TagFromName.Laterality);
        put(l, TagFromName.PatientOrientation);
        // SC Equipment
        put(l, TagFromName.ConversionType, "WSD");
        put(l, TagFromName.SecondaryCaptureDeviceManufacturer, "MedSync");
        put(l, TagFromName.SecondaryCaptureDeviceManufacturerModelName, "MedSync photo intake");
        put(l, TagFromName.DateOfSecondaryCapture, date);
        put(l, TagFromName.TimeOfSecondaryCapture, time);
        // General Image
        put(l, TagFromName.InstanceNumber, Integer.toString(r.instanceNumber()));
        put(l, TagFromName.ContentDate, date);
        put(l, TagFromName.ContentTime, time);
        put(l, TagFromName.ImageType, "DERIVED", "SECONDARY");
        put(l, TagFromName.DerivationDescription, truncate(r.derivationDescription(), 1024));
        if (r.source() != null) {
            l.put(sourceImageSequence(r.source()));
        }
        if (r.imageComments() != null) {
            put(l, TagFromName.ImageComments, truncate(r.imageComments(), 10240));
        }
        // A photographed screen may show the viewer's overlay text (names, dates) inside the image.
        put(l, TagFromName.BurnedInAnnotation, "YES");
        put(l, TagFromName.LossyImageCompression, "01");
        if (r.lossyMethod() != null) {
            put(l, TagFromName.LossyImageCompressionMethod, r.lossyMethod());
        }
        // Image Pixel
        put(l, TagFromName.SamplesPerPixel, "1");
        put(l, TagFromName.PhotometricInterpretation, "MONOCHROME2");
        put(l, TagFromName.Rows, Integer.toString(r.height()));
        put(l, TagFromName.Columns, Integer.toString(r.width()));
        put(l, TagFromName.BitsAllocated, "8");
        put(l, TagFromName.BitsStored, "8");
        put(l, TagFromName.HighBit, "7");
        put(l, TagFromName.PixelRepresentation, "0");
        // The display's full range: the photo already holds what the screen showed, window and all.
        put(l, TagFromName.WindowCenter, "127.5");
        put(l, TagFromName.WindowWidth, "256");
        OtherByteAttribute pixels = new OtherByteAttribute(TagFromName.PixelData);
        byte[] padded = r.pixels();
        if ((padded.length & 1) == 1) {
            padded = Arrays.copyOf(padded, padded.length + 1);
        }
        pixels.setValues(padded);
        l.put(pixels);
        return l;
    }

    /** Source Image Sequence with its purpose: DCM 121322, "Source image for image processing operation". */
    private static SequenceAttribute sourceImageSequence(SourceImage source) throws DicomException {
        SequenceAttribute seq = new SequenceAttribute(TagFromName.SourceImageSequence);
        AttributeList item = new AttributeList();
        put(item, TagFromName.ReferencedSOPClassUID, source.sopClassUid());
        put(item, TagFromName.ReferencedSOPInstanceUID, source.sopInstanceUid());
        SequenceAttribute purpose = new SequenceAttribute(TagFromName.PurposeOfReferenceCodeSequence);
        AttributeList code = new AttributeList();
        put(code, TagFromName.CodeValue, "121322");
        put(code, TagFromName.CodingSchemeDesignator, "DCM");
        put(code, TagFromName.CodeMeaning, "Source image for image processing operation");
        purpose.addItem(code);
        item.put(purpose);
        seq.addItem(item);
        return seq;
    }

    private static String[] blank(String v) {
        return v == null || v.isEmpty() ? new String[0] : new String[] {v};
    }

    private static String truncate(String v, int max) {
        return v.length() <= max ? v : v.substring(0, max);
    }

    private static void put(AttributeList l, AttributeTag tag, String... values) throws DicomException {
        Attribute a = AttributeFactory.newAttribute(tag);
        for (String v : values) {
            a.addValue(v);
        }
        l.put(a);
    }
}
