package org.medsync.dicom.part10;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.medsync.dicom.part10.DicomFormatException.Reason;

/**
 * PixelMed reads of a file, with every PixelMed, I/O and runtime failure mapped onto
 * {@link DicomFormatException}. The only place (with the renderer's decompression) that opens PixelMed streams.
 */
public final class Datasets {

    /** What was read: the attributes, the syntax of the data set and whether Pixel Data followed. */
    public record Read(AttributeList list, String transferSyntaxUid, boolean hasPixelData) {}

    /** Enough of a file for its meta header (a few hundred bytes in practice). */
    private static final int HEAD = 32 * 1024;

    private Datasets() {}

    /** Reads up to (not including) the top-level Pixel Data element. */
    public static Read header(Path file) throws DicomFormatException {
        return read(file, true, false);
    }

    /** Reads everything, pixel data as stored (compressed frames stay compressed) unless {@code decompress}. */
    public static Read full(Path file, boolean decompress) throws DicomFormatException {
        return read(file, false, decompress);
    }

    /**
     * Tag (0000,0000) at the top level of a stored data set is the start of trailing zero padding (see
     * Part10Scanner): stop there instead of letting PixelMed read megabytes of it as empty attributes.
     */
    private static boolean isZeroPadding(AttributeList current, AttributeList top, AttributeTag tag) {
        return current == top && tag.getGroup() == 0 && tag.getElement() == 0;
    }

    private static Read read(Path file, boolean stopAtPixelData, boolean decompress) throws DicomFormatException {
        String name = file.getFileName().toString();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), HEAD)) {
            in.mark(HEAD);
            byte[] head = in.readNBytes(HEAD);
            in.reset();
            if (!Part10Scanner.looksLikeDicom(Arrays.copyOf(head, Math.min(head.length, 132)))) {
                throw new DicomFormatException(
                        head.length == 0 ? Reason.NOT_DICOM : Reason.NOT_DICOM,
                        name + ": no DICM prefix at offset 128 and the first bytes are not a DICOM data set");
            }
            if (Part10Scanner.mayBeDeflated(head)) {
                // PixelMed inflates without any limit: let the bounded scan refuse a decompression bomb first.
                Part10Scanner.scan(file);
            }
            DicomInputStream dis = new DicomInputStream(in);
            AttributeList list = new AttributeList();
            list.setDecompressPixelData(decompress);
            boolean[] sawPixelData = new boolean[1];
            if (stopAtPixelData) {
                list.read(dis, (l, tag, bytesRead) -> {
                    if (l == list && tag.equals(TagFromName.PixelData)) {
                        sawPixelData[0] = true;
                        return true;
                    }
                    return isZeroPadding(l, list, tag);
                });
            } else {
                list.read(dis, (l, tag, bytesRead) -> isZeroPadding(l, list, tag));
                sawPixelData[0] = list.containsKey(TagFromName.PixelData);
            }
            TransferSyntax ts = dis.getTransferSyntaxToReadDataSet();
            String tsUid = Attribute.getSingleStringValueOrNull(list, TagFromName.TransferSyntaxUID);
            if (tsUid == null && ts != null) {
                tsUid = ts.getUID();
            }
            if (list.isEmpty()) {
                throw new DicomFormatException(Reason.NOT_DICOM, name + ": no attributes could be read");
            }
            return new Read(list, tsUid, sawPixelData[0]);
        } catch (DicomFormatException e) {
            throw e;
        } catch (NoSuchFileException e) {
            throw new DicomFormatException(Reason.UNREADABLE, "no such file: " + file, e);
        } catch (EOFException e) {
            throw new DicomFormatException(Reason.TRUNCATED, name + ": file ends inside an element", e);
        } catch (IOException e) {
            throw new DicomFormatException(
                    truncation(e) ? Reason.TRUNCATED : Reason.UNREADABLE,
                    name + ": " + e.getClass().getSimpleName() + ": " + e.getMessage(),
                    e);
        } catch (DicomException e) {
            throw new DicomFormatException(Reason.UNREADABLE, name + ": malformed data set: " + e.getMessage(), e);
        } catch (RuntimeException | OutOfMemoryError e) {
            // PixelMed throws NPE / ArrayIndexOutOfBounds / NegativeArraySize on garbage lengths.
            throw new DicomFormatException(
                    Reason.UNREADABLE,
                    name + ": malformed data set (" + e.getClass().getSimpleName() + ")",
                    e);
        }
    }

    private static boolean truncation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof EOFException) {
                return true;
            }
            String m = t.getMessage();
            if (m != null && (m.contains("end of file") || m.contains("EOF") || m.contains("premature"))) {
                return true;
            }
        }
        return false;
    }

    /** Tag constant for messages: "SOPInstanceUID (0008,0018)". */
    public static String describe(AttributeTag tag) {
        String keyword = AttributeList.getDictionary().getNameFromTag(tag);
        String hex = String.format("(%04X,%04X)", tag.getGroup(), tag.getElement());
        return keyword == null ? hex : keyword + " " + hex;
    }
}
