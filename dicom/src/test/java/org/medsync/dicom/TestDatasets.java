package org.medsync.dicom;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TransferSyntax;
import java.nio.file.Path;

/** Builds variants of sample files for tests. */
final class TestDatasets {

    private TestDatasets() {}

    static Path withoutTag(Path source, Path dir, AttributeTag tag) throws Exception {
        AttributeList list = new AttributeList();
        list.read(source.toFile());
        list.remove(tag);
        list.remove(com.pixelmed.dicom.TagFromName.MediaStorageSOPInstanceUID);
        Path out = dir.resolve("without-" + tag.getGroup() + "-" + tag.getElement() + ".dcm");
        list.write(out.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
        return out;
    }
}
