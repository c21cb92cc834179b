package org.medsync.testsupport.part10;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.IntegerStringAttribute;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.PersonNameAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import com.pixelmed.dicom.UnsignedShortAttribute;
import java.io.ByteArrayOutputStream;
import java.util.Random;

/** Deflated Explicit VR Little Endian files for tests: bombs (all zeros) and ordinary images (noise). */
public final class DeflatedFiles {

    private DeflatedFiles() {}

    /** An 8-bit image of {@code frames} frames of zeros: 100 MB of pixels deflate to about 100 KB. */
    public static byte[] bomb(int rows, int columns, int frames) throws Exception {
        return image(rows, columns, frames, null);
    }

    /** An 8-bit image of random pixels (barely compressible), distinct per seed. */
    public static byte[] noise(int rows, int columns, int frames, long seed) throws Exception {
        return image(rows, columns, frames, new Random(seed));
    }

    private static byte[] image(int rows, int columns, int frames, Random noise) throws Exception {
        long seed = noise == null ? 0 : noise.nextLong() & Long.MAX_VALUE;
        String root = "1.2.826.0.1.3680043.9.7433." + (noise == null ? "1" : "2." + seed % 1_000_000_000L);
        AttributeList l = new AttributeList();
        put(l, new UniqueIdentifierAttribute(TagFromName.SOPClassUID), "1.2.840.10008.5.1.4.1.1.7");
        put(l, new UniqueIdentifierAttribute(TagFromName.SOPInstanceUID), root + ".3");
        put(l, new UniqueIdentifierAttribute(TagFromName.StudyInstanceUID), root + ".1");
        put(l, new UniqueIdentifierAttribute(TagFromName.SeriesInstanceUID), root + ".2");
        put(l, new CodeStringAttribute(TagFromName.Modality), "OT");
        put(l, new PersonNameAttribute(TagFromName.PatientName), "Test^Deflated");
        put(l, new LongStringAttribute(TagFromName.PatientID), "DEFLATED-1");
        put(l, new UnsignedShortAttribute(TagFromName.SamplesPerPixel), "1");
        put(l, new CodeStringAttribute(TagFromName.PhotometricInterpretation), "MONOCHROME2");
        put(l, new IntegerStringAttribute(TagFromName.NumberOfFrames), String.valueOf(frames));
        put(l, new UnsignedShortAttribute(TagFromName.Rows), String.valueOf(rows));
        put(l, new UnsignedShortAttribute(TagFromName.Columns), String.valueOf(columns));
        put(l, new UnsignedShortAttribute(TagFromName.BitsAllocated), "8");
        put(l, new UnsignedShortAttribute(TagFromName.BitsStored), "8");
        put(l, new UnsignedShortAttribute(TagFromName.HighBit), "7");
        put(l, new UnsignedShortAttribute(TagFromName.PixelRepresentation), "0");
        byte[] pixels = new byte[rows * columns * frames];
        if (noise != null) {
            noise.nextBytes(pixels);
        }
        OtherByteAttribute px = new OtherByteAttribute(TagFromName.PixelData);
        px.setValues(pixels);
        l.put(px);
        FileMetaInformation.addFileMetaInformation(l, TransferSyntax.DeflatedExplicitVRLittleEndian, "TEST");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        l.write(out, TransferSyntax.DeflatedExplicitVRLittleEndian, true, true);
        return out.toByteArray();
    }

    private static void put(AttributeList l, Attribute a, String value) throws Exception {
        a.addValue(value);
        l.put(a);
    }
}
