package org.medsync.dicom.video;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import org.medsync.dicom.part10.DicomFormatException;
import org.medsync.dicom.part10.Fragment;
import org.medsync.dicom.part10.Part10Scanner;
import org.medsync.dicom.part10.ScannedDataset;

/** Reads the video back out of a DICOM video instance: what a PACS returned, to check it kept every byte. */
public final class DicomVideoReader {
    private DicomVideoReader() {}

    /** A video instance as stored: its SOP class, transfer syntax, and the fragments after the Basic Offset Table. */
    public record StoredVideo(
            String sopClassUid, String transferSyntaxUid, int basicOffsetTableLength, List<byte[]> fragments) {
        /** All fragments concatenated: the stream as written (plus a pad byte if its length was odd). */
        public byte[] stream() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            fragments.forEach(out::writeBytes);
            return out.toByteArray();
        }
    }

    /** Reads a whole Part 10 file (held in memory: for checks and tests, not for hours of video). */
    public static StoredVideo read(Path file) throws DicomFormatException {
        ScannedDataset ds = Part10Scanner.scan(file);
        if (!ds.encapsulated()) {
            throw new DicomFormatException(
                    DicomFormatException.Reason.MISSING_ATTRIBUTE,
                    file.getFileName() + " has no encapsulated Pixel Data");
        }
        List<Fragment> items = ds.fragments();
        return new StoredVideo(
                ds.string(0x00080016),
                ds.transferSyntaxUid(),
                items.getFirst().length(),
                items.subList(1, items.size()).stream().map(ds::value).toList());
    }
}
