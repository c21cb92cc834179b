package org.medsync.testsupport.part10;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.TransferSyntax;
import java.nio.file.Path;
import java.util.Map;

/** Copies of a real sample with some attributes changed: another patient, another instance, the same UIDs. */
public final class Variants {
    public static final Path CT_SMALL = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm");
    public static final Path MR_SMALL = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files/MR_small.dcm");

    private Variants() {}

    /** {@code source} with {@code changes} applied, written as explicit VR little endian Part 10 to {@code out}. */
    public static Path of(Path source, Path out, Map<AttributeTag, String> changes) throws Exception {
        AttributeList list = new AttributeList();
        list.read(source.toFile());
        for (var c : changes.entrySet()) {
            Attribute a = AttributeFactory.newAttribute(c.getKey());
            a.addValue(c.getValue());
            list.put(a);
        }
        list.removeGroupLengthAttributes();
        list.removeMetaInformationHeaderAttributes();
        FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, "MEDSYNCTEST");
        list.write(out.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
        return out;
    }
}
