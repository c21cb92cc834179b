package org.medsync.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.TagFromName;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import javax.json.Json;
import javax.json.JsonObject;
import javax.json.JsonWriter;
import javax.json.JsonWriterFactory;
import org.medsync.dicom.part10.Datasets;
import org.medsync.dicom.part10.DecodeLimits;
import org.medsync.dicom.part10.DicomFormatException;
import org.medsync.dicom.part10.DicomFormatException.Reason;
import org.medsync.dicom.part10.FrameIndex;
import org.medsync.dicom.part10.Frames;
import org.medsync.dicom.part10.InflatedFile;
import org.medsync.dicom.part10.Part10Scanner;
import org.medsync.dicom.part10.ScannedDataset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the server does with a stored DICOM file, over PixelMed. All methods are thread-safe and
 * stateless; every failure is a {@link DicomFormatException} with a {@link Reason}.
 */
public final class DicomFiles {

    private static final Logger LOG = LoggerFactory.getLogger(DicomFiles.class);
    private static final String SOURCE_AE = "MEDSYNC";
    private static final JsonWriterFactory WRITERS = Json.createWriterFactory(null);

    /**
     * One frame as stored, for WADO-RS {@code /frames}: native pixel data is little endian
     * ({@code transferSyntaxUid} is then 1.2.840.10008.1.2.1, or 1.2.840.10008.1.2 for implicit VR files),
     * compressed frames are the concatenated fragments in the file's transfer syntax.
     */
    public record FrameBytes(String transferSyntaxUid, byte[] bytes) {}

    private DicomFiles() {}

    /**
     * Reads the attributes the library indexes, stopping before Pixel Data. Requires a Part 10 file or a
     * raw data set with Study, Series and SOP Instance UID and SOP Class UID.
     */
    public static DicomInstance readHeader(Path file) throws DicomFormatException {
        try {
            return readHeaderOnce(file);
        } catch (DicomFormatException e) {
            if (e.reason() == Reason.MISSING_ATTRIBUTE) {
                // PixelMed stops silently at a short read: tell a cut file from one really missing a UID.
                Part10Scanner.scan(file);
            }
            throw e;
        }
    }

    private static DicomInstance readHeaderOnce(Path file) throws DicomFormatException {
        return instanceOf(Datasets.header(file), file);
    }

    private static DicomInstance instanceOf(Datasets.Read read, Path file) throws DicomFormatException {
        AttributeList l = read.list();
        String name = file.getFileName().toString();
        DicomInstance instance = new DicomInstance(
                require(l, TagFromName.StudyInstanceUID, name),
                require(l, TagFromName.SeriesInstanceUID, name),
                require(l, TagFromName.SOPInstanceUID, name),
                require(l, TagFromName.SOPClassUID, name),
                read.transferSyntaxUid(),
                string(l, TagFromName.PatientID),
                string(l, TagFromName.PatientName),
                string(l, TagFromName.PatientBirthDate),
                string(l, TagFromName.PatientSex),
                string(l, TagFromName.StudyDate),
                string(l, TagFromName.StudyTime),
                string(l, TagFromName.StudyDescription),
                string(l, TagFromName.AccessionNumber),
                string(l, TagFromName.ReferringPhysicianName),
                string(l, TagFromName.StudyID),
                string(l, TagFromName.InstitutionName),
                string(l, TagFromName.Modality),
                integer(l, TagFromName.SeriesNumber),
                string(l, TagFromName.SeriesDescription),
                string(l, TagFromName.BodyPartExamined),
                integer(l, TagFromName.InstanceNumber),
                Attribute.getSingleIntegerValueOrDefault(l, TagFromName.Rows, 0),
                Attribute.getSingleIntegerValueOrDefault(l, TagFromName.Columns, 0),
                Math.max(1, Attribute.getSingleIntegerValueOrDefault(l, TagFromName.NumberOfFrames, 1)),
                read.hasPixelData());
        if (LOG.isDebugEnabled()) {
            LOG.debug("read header of SOP instance {}", instance.sopInstanceUid());
        }
        return instance;
    }

    /**
     * Full check including pixel data: the file must parse to its end, native Pixel Data must be as long as
     * Rows x Columns x Samples x Bits Allocated x Frames needs, encapsulated Pixel Data must end with its
     * sequence delimiter and map onto every frame; then PixelMed must read the attributes and the header be
     * complete.
     *
     * @return the header of the valid file, so that an importer reads it once
     */
    public static DicomInstance validate(Path file) throws DicomFormatException {
        try {
            Inspection i = inspect(file, null, Path.of(System.getProperty("java.io.tmpdir")));
            deleteQuietly(i.inflatedCopy());
            return i.instance();
        } catch (IOException e) {
            throw new DicomFormatException(
                    Reason.UNREADABLE, file.getFileName() + ": cannot write its inflated copy: " + e.getMessage(), e);
        }
    }

    /**
     * A validated file's header and, when asked, its PS3.18 JSON metadata, from one read of the file.
     *
     * @param inflatedCopy null, or for a deflated file the same instance written as Explicit VR Little Endian
     *                     (a temporary file the caller stores instead of the input, then deletes): stored
     *                     inflated, its frames are served from offsets without ever inflating it again. The
     *                     header and metadata describe this copy (transfer syntax 1.2.840.10008.1.2.1).
     */
    public record Inspection(DicomInstance instance, byte[] metadataJson, Path inflatedCopy) {}

    /**
     * {@link #validate} and {@link #metadataJson} in one read of the file, for importers that store the
     * metadata alongside the index so that WADO-RS metadata needs no file access later. A deflated file is
     * inflated once under {@link DecodeLimits#current()} (a decompression bomb is refused while inflating) and
     * comes back as {@link Inspection#inflatedCopy()}.
     *
     * @param bulkDataUriForPixelData the Pixel Data BulkDataURI of the JSON, or null for no JSON
     * @param scratch where the inflated copy is written (an importer's staging directory)
     * @throws IOException when the inflated copy cannot be written to {@code scratch}: a fault of the scratch
     *                     directory (a full disk, say), not of the file
     */
    public static Inspection inspect(Path file, String bulkDataUriForPixelData, Path scratch)
            throws DicomFormatException, IOException {
        ScannedDataset ds = Part10Scanner.scan(file);
        Frames.checkComplete(ds);
        Path copy = ds.inflated() ? writeInflated(ds, scratch) : null;
        try {
            // Our scanner has checked every length and the pixel data; frames are served from its offsets, so
            // PixelMed only needs the attributes before Pixel Data (a full read cost 3x as much per file).
            Datasets.Read read = Datasets.header(copy == null ? file : copy);
            DicomInstance instance = instanceOf(read, file);
            byte[] json =
                    bulkDataUriForPixelData == null ? null : toJsonBytes(read, null, bulkDataUriForPixelData, file);
            return new Inspection(instance, json, copy);
        } catch (DicomFormatException | RuntimeException e) {
            deleteQuietly(copy);
            throw e;
        }
    }

    private static Path writeInflated(ScannedDataset ds, Path scratch) throws DicomFormatException, IOException {
        Path copy = Files.createTempFile(scratch, "inflated-", ".dcm");
        try (var out = new BufferedOutputStream(Files.newOutputStream(copy), 64 * 1024)) {
            InflatedFile.write(ds, out);
            return copy;
        } catch (IOException | DicomFormatException | RuntimeException e) {
            deleteQuietly(copy);
            throw e;
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                LOG.warn("cannot delete the temporary file {}: {}", p, e.getMessage());
            }
        }
    }

    /**
     * One instance as a PS3.18 JSON object (not wrapped in an array). Pixel Data appears as
     * {@code {"vr":"OB"|"OW","BulkDataURI":bulkDataUriForPixelData}} (OB when encapsulated or 8-bit), or is
     * left out when the URI is null. De-identifies with {@link Deidentification#defaults()} when asked.
     */
    public static byte[] metadataJson(Path file, String bulkDataUriForPixelData, boolean deidentify)
            throws DicomFormatException {
        return metadataJson(file, bulkDataUriForPixelData, deidentify ? Deidentification.defaults() : null);
    }

    /** As {@link #metadataJson(Path, String, boolean)} with an explicit profile; null means no de-identification. */
    public static byte[] metadataJson(Path file, String bulkDataUriForPixelData, Deidentification deidentification)
            throws DicomFormatException {
        return toJsonBytes(Datasets.header(file), deidentification, bulkDataUriForPixelData, file);
    }

    private static byte[] toJsonBytes(
            Datasets.Read read, Deidentification deidentification, String bulkDataUriForPixelData, Path file)
            throws DicomFormatException {
        AttributeList list = read.list();
        try {
            if (deidentification != null) {
                deidentification.apply(list);
            }
            String pixelVr = null;
            if (read.hasPixelData()) {
                int bits = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.BitsAllocated, 16);
                pixelVr = isNative(read.transferSyntaxUid()) && bits > 8 ? "OW" : "OB";
            }
            JsonObject json = MetadataJson.toJson(list, read.transferSyntaxUid(), pixelVr, bulkDataUriForPixelData);
            ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
            try (JsonWriter w = WRITERS.createWriter(out)) {
                w.writeObject(json);
            }
            return out.toByteArray();
        } catch (DicomException | RuntimeException e) {
            throw new DicomFormatException(
                    Reason.UNREADABLE, file.getFileName() + ": cannot convert to JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Frame {@code frameNumber} (1-based) as stored; see {@link FrameBytes}. Scans (and for a deflated file
     * inflates) the whole file: a server serving many frames of a file uses {@link #frameIndex} once instead.
     */
    public static FrameBytes frame(Path file, int frameNumber) throws DicomFormatException {
        ScannedDataset ds = Part10Scanner.scan(file);
        byte[] bytes = Frames.frame(ds, frameNumber);
        return new FrameBytes(Frames.frameTransferSyntax(ds), bytes);
    }

    /**
     * Where every frame of a stored file lies, from one scan; {@link FrameIndex#read} then reads one frame's
     * bytes only. A deflated file (stored before imports kept deflated instances inflated) is rewritten in place,
     * once, as the same instance in Explicit VR Little Endian, so that it has frame offsets too.
     */
    public static FrameIndex frameIndex(Path file) throws DicomFormatException {
        var attributes = FrameIndex.attributes(file);
        ScannedDataset ds = Part10Scanner.scan(file);
        if (!ds.inflated()) {
            return FrameIndex.of(ds, attributes);
        }
        Path tmp = null;
        try {
            tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".inflating-", ".part");
            try (var ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
                    var out = new BufferedOutputStream(Channels.newOutputStream(ch), 64 * 1024)) {
                InflatedFile.write(ds, out);
                out.flush();
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            LOG.info("stored deflated instance {} rewritten inflated for frame serving", file.getFileName());
        } catch (IOException e) {
            throw new DicomFormatException(
                    Reason.UNREADABLE, file.getFileName() + ": cannot rewrite it inflated: " + e.getMessage(), e);
        } finally {
            deleteQuietly(tmp);
        }
        attributes = FrameIndex.attributes(file);
        return FrameIndex.of(Part10Scanner.scan(file), attributes);
    }

    /**
     * The whole instance as a Part 10 file: the stored bytes when it already is one and no de-identification
     * is asked; otherwise re-encoded by PixelMed in the same transfer syntax (compressed frames untouched)
     * with fresh File Meta Information.
     */
    public static byte[] part10(Path file, boolean deidentify) throws DicomFormatException {
        return part10(file, deidentify ? Deidentification.defaults() : null);
    }

    /** As {@link #part10(Path, boolean)} with an explicit profile; null means the instance as stored. */
    public static byte[] part10(Path file, Deidentification deidentification) throws DicomFormatException {
        if (deidentification == null) {
            byte[] head = readHead(file);
            if (head.length >= 132 && Arrays.equals(head, 128, 132, new byte[] {'D', 'I', 'C', 'M'}, 0, 4)) {
                try {
                    return Files.readAllBytes(file);
                } catch (IOException e) {
                    throw new DicomFormatException(Reason.UNREADABLE, "cannot read " + file + ": " + e, e);
                }
            }
        }
        Datasets.Read read = Datasets.full(file, false);
        AttributeList list = read.list();
        String ts = read.transferSyntaxUid() == null ? ScannedDataset.TS_EXPLICIT_LE : read.transferSyntaxUid();
        try {
            if (deidentification != null) {
                deidentification.apply(list);
            }
            String sopClass =
                    require(list, TagFromName.SOPClassUID, file.getFileName().toString());
            String sopInstance =
                    require(list, TagFromName.SOPInstanceUID, file.getFileName().toString());
            list.removeGroupLengthAttributes();
            list.removeMetaInformationHeaderAttributes();
            FileMetaInformation.addFileMetaInformation(list, ts, SOURCE_AE);
            list.replaceWithValueIfPresent(TagFromName.MediaStorageSOPClassUID, sopClass);
            list.replaceWithValueIfPresent(TagFromName.MediaStorageSOPInstanceUID, sopInstance);
            ByteArrayOutputStream out = new ByteArrayOutputStream(
                    (int) Math.min(Integer.MAX_VALUE - 16, Math.max(1024, Files.size(file) + 1024)));
            list.write(out, ts, true, true);
            return out.toByteArray();
        } catch (DicomException | IOException | RuntimeException e) {
            throw new DicomFormatException(
                    Reason.UNREADABLE, file.getFileName() + ": cannot write Part 10: " + e.getMessage(), e);
        }
    }

    static boolean isNative(String ts) {
        return ts == null
                || ts.equals(ScannedDataset.TS_IMPLICIT_LE)
                || ts.equals(ScannedDataset.TS_EXPLICIT_LE)
                || ts.equals(ScannedDataset.TS_EXPLICIT_BE)
                || ts.equals(ScannedDataset.TS_DEFLATED);
    }

    private static byte[] readHead(Path file) throws DicomFormatException {
        try (var in = Files.newInputStream(file)) {
            return in.readNBytes(132);
        } catch (IOException e) {
            throw new DicomFormatException(Reason.UNREADABLE, "cannot read " + file + ": " + e, e);
        }
    }

    private static String require(AttributeList l, AttributeTag tag, String name) throws DicomFormatException {
        String v = string(l, tag);
        if (v == null) {
            throw new DicomFormatException(
                    Reason.MISSING_ATTRIBUTE,
                    name + ": required attribute " + Datasets.describe(tag) + " is missing or empty");
        }
        return v;
    }

    private static String string(AttributeList l, AttributeTag tag) {
        String v = Attribute.getSingleStringValueOrNull(l, tag);
        if (v == null) {
            return null;
        }
        v = v.strip();
        return v.isEmpty() ? null : v;
    }

    private static Integer integer(AttributeList l, AttributeTag tag) {
        String v = string(l, tag);
        if (v == null) {
            return null;
        }
        try {
            return (int) Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
