package org.medsync.dicom.video;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.AttributeTagAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.IntegerStringAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UnsignedShortAttribute;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Writes a DICOM video instance (Video Endoscopic or Video Photographic Image Storage) around an H.264 or HEVC
 * stream in an MP4 or MPEG-TS container, as a Part 10 file. The stream is copied untouched into the encapsulated
 * Pixel Data (PS3.5 A.4): an empty Basic Offset Table, then the stream in one fragment (H.264) or in fragments of
 * {@link #HEVC_FRAGMENT_BYTES} (HEVC), each of even length (a stream of odd length gets one 0x00 pad byte at its end,
 * PS3.5 8.2). It streams from disk, so a recording of hours needs no more memory than a short one.
 */
public final class DicomVideoWriter {
    /** Fragment size for HEVC, whose syntaxes allow several (keeps each item well under the 2^32-2 limit). */
    public static final int HEVC_FRAGMENT_BYTES = 64 << 20;

    /** The largest stream one fragment holds: an item length is 32 bits, 0xFFFFFFFF means undefined, and it is even. */
    static final long MAX_SINGLE_FRAGMENT = 0xFFFF_FFFEL;

    private static final AttributeTag CINE_RATE = new AttributeTag(0x0018, 0x0040);
    private static final AttributeTag RECOMMENDED_DISPLAY_FRAME_RATE = new AttributeTag(0x0008, 0x2144);
    private static final AttributeTag START_TRIM = new AttributeTag(0x0008, 0x2142);
    private static final AttributeTag STOP_TRIM = new AttributeTag(0x0008, 0x2143);
    private static final AttributeTag PREFERRED_PLAYBACK_SEQUENCING = new AttributeTag(0x0018, 0x1244);
    private static final DateTimeFormatter DA = DateTimeFormatter.ofPattern("yyyyMMdd", Locale.ROOT);
    private static final DateTimeFormatter TM = DateTimeFormatter.ofPattern("HHmmss.SSS", Locale.ROOT);
    private static final DateTimeFormatter DT = DateTimeFormatter.ofPattern("yyyyMMddHHmmss.SSSZ", Locale.ROOT);

    private DicomVideoWriter() {}

    /** What was written: the instance's UIDs and transfer syntax, the stream's size and how it was fragmented. */
    public record Written(
            Path file,
            String sopClassUid,
            String studyInstanceUid,
            String seriesInstanceUid,
            String sopInstanceUid,
            VideoTransferSyntax transferSyntax,
            long streamBytes,
            int fragments) {}

    /**
     * Writes {@code out} (replaced atomically) for the stream in {@code streamFile}, with the transfer syntax {@link
     * VideoTransferSyntax#choose chosen} for it.
     */
    public static Written write(VideoStream stream, Path streamFile, VideoInstance instance, Path out)
            throws IOException, VideoRejectedException {
        return write(stream, streamFile, instance, VideoTransferSyntax.choose(stream), out);
    }

    /** Like {@link #write(VideoStream, Path, VideoInstance, Path)} with a transfer syntax the caller asks for. */
    public static Written write(
            VideoStream stream, Path streamFile, VideoInstance instance, VideoTransferSyntax ts, Path out)
            throws IOException, VideoRejectedException {
        ts.check(stream);
        long size = Files.size(streamFile);
        checkContainer(stream.container(), streamFile, size);
        if (!ts.fragmentable() && size > MAX_SINGLE_FRAGMENT) {
            throw new VideoRejectedException(ts.title() + " requires the whole stream in one fragment, at most "
                    + MAX_SINGLE_FRAGMENT + " bytes; this one has " + size
                    + " (split the recording into several instances, or use HEVC)");
        }
        if (stream.frameCount() > Integer.MAX_VALUE) {
            throw new VideoRejectedException(
                    "Number of Frames is at most 2^31-1; the stream has " + stream.frameCount() + " frames");
        }
        byte[] header;
        try {
            header = header(stream, instance, ts);
        } catch (DicomException e) {
            throw new IOException("cannot build the DICOM video header: " + e.getMessage(), e);
        }
        Path tmp = out.resolveSibling(out.getFileName() + ".part");
        int fragments;
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
                InputStream in = Files.newInputStream(streamFile)) {
            o.write(header);
            o.write(element(0x7FE0, 0x0010));
            o.write(item(0xFFFE, 0xE000, 0)); // Basic Offset Table: present and empty (PS3.5 8.2.7-8.2.11)
            long fragmentBytes = ts.fragmentable() ? HEVC_FRAGMENT_BYTES : size + (size & 1);
            long left = size;
            fragments = 0;
            byte[] buffer = new byte[1 << 16];
            while (left > 0) {
                long length = Math.min(left, fragmentBytes);
                long padded = length + (length & 1);
                o.write(item(0xFFFE, 0xE000, padded));
                long copied = 0;
                while (copied < length) {
                    int n = in.read(buffer, 0, (int) Math.min(buffer.length, length - copied));
                    if (n < 0) {
                        throw new IOException(streamFile + " shrank while it was being written");
                    }
                    o.write(buffer, 0, n);
                    copied += n;
                }
                if (padded != length) {
                    o.write(0);
                }
                left -= length;
                fragments++;
            }
            o.write(item(0xFFFE, 0xE0DD, 0)); // Sequence Delimitation Item
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new Written(
                out,
                instance.sopClass().uid(),
                instance.studyInstanceUid(),
                instance.seriesInstanceUid(),
                instance.sopInstanceUid(),
                ts,
                size,
                fragments);
    }

    /** The container's signature, so a bare elementary stream or a foreign file is refused before it is wrapped. */
    private static void checkContainer(VideoContainer container, Path file, long size)
            throws IOException, VideoRejectedException {
        byte[] head = new byte[189];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        boolean ok = switch (container) {
            case MP4 -> n >= 8 && head[4] == 'f' && head[5] == 't' && head[6] == 'y' && head[7] == 'p';
            case MPEG_TS -> n >= 1 && head[0] == 0x47 && (size <= 188 || (n > 188 && head[188] == 0x47));
        };
        if (!ok) {
            throw new VideoRejectedException("the file is not an "
                    + (container == VideoContainer.MP4 ? "MP4 (no 'ftyp' box first)" : "MPEG-TS (no 0x47 sync bytes)")
                    + "; PS3.5 requires the video bit stream in an MP4 or MPEG-2 TS container");
        }
    }

    private static byte[] header(VideoStream s, VideoInstance v, VideoTransferSyntax ts) throws DicomException {
        AttributeList l = new AttributeList();
        String date = DA.format(v.startedAt());
        String time = TM.format(v.startedAt());
        put(l, TagFromName.SpecificCharacterSet, "ISO_IR 192");
        put(l, TagFromName.ImageType, "ORIGINAL", "PRIMARY");
        put(l, TagFromName.SOPClassUID, v.sopClass().uid());
        put(l, TagFromName.SOPInstanceUID, v.sopInstanceUid());
        put(l, TagFromName.StudyDate, date);
        put(l, TagFromName.SeriesDate, date);
        put(l, TagFromName.ContentDate, date);
        put(l, TagFromName.StudyTime, time);
        put(l, TagFromName.SeriesTime, time);
        put(l, TagFromName.ContentTime, time);
        put(l, TagFromName.AcquisitionDateTime, DT.format(v.startedAt()));
        put(l, TagFromName.AccessionNumber, nullToEmpty(v.accessionNumber()));
        put(l, TagFromName.Modality, v.sopClass().modality());
        put(l, TagFromName.Manufacturer, "MedSync");
        put(l, TagFromName.InstitutionName, nullToEmpty(v.institutionName()));
        put(l, TagFromName.ReferringPhysicianName);
        put(l, TagFromName.StudyDescription, nullToEmpty(v.studyDescription()));
        put(l, TagFromName.SeriesDescription, nullToEmpty(v.seriesDescription()));
        put(l, TagFromName.OperatorsName, nullToEmpty(v.operatorName()));
        put(l, TagFromName.PatientName, nullToEmpty(v.patientName()));
        put(l, TagFromName.PatientID, nullToEmpty(v.patientId()));
        put(l, TagFromName.PatientBirthDate);
        put(l, TagFromName.PatientSex);
        put(l, TagFromName.StudyInstanceUID, v.studyInstanceUid());
        put(l, TagFromName.SeriesInstanceUID, v.seriesInstanceUid());
        put(l, TagFromName.StudyID);
        put(l, TagFromName.SeriesNumber, Integer.toString(v.seriesNumber()));
        put(l, TagFromName.InstanceNumber, "1");
        put(l, TagFromName.PatientOrientation);
        // VL Image Module: the anatomic region is required (1C) for the endoscopic and photographic video IODs.
        SequenceAttribute region = new SequenceAttribute(TagFromName.AnatomicRegionSequence);
        AttributeList code = new AttributeList();
        put(code, TagFromName.CodeValue, v.anatomicRegion().value());
        put(code, TagFromName.CodingSchemeDesignator, v.anatomicRegion().scheme());
        put(code, TagFromName.CodeMeaning, v.anatomicRegion().meaning());
        region.addItem(code);
        l.put(region);
        // Cine Module (PS3.3 C.7.6.5): frames are evenly spaced, so Frame Time drives playback.
        double frameTimeMs = 1000.0 * s.frameRateDenominator() / s.frameRateNumerator();
        int rate = (int) Math.round(s.framesPerSecond());
        put(l, TagFromName.FrameTime, decimal(frameTimeMs));
        putInteger(l, CINE_RATE, rate);
        putInteger(l, RECOMMENDED_DISPLAY_FRAME_RATE, rate);
        putInteger(l, START_TRIM, 1);
        putInteger(l, STOP_TRIM, s.frameCount());
        UnsignedShortAttribute sequencing = new UnsignedShortAttribute(PREFERRED_PLAYBACK_SEQUENCING);
        sequencing.addValue(0); // looping (repeat), forward
        l.put(sequencing);
        // Multi-frame Module: Frame Increment Pointer names Frame Time (PS3.3 A.32.7 for the video IODs).
        put(l, TagFromName.NumberOfFrames, Long.toString(s.frameCount()));
        AttributeTagAttribute pointer = new AttributeTagAttribute(TagFromName.FrameIncrementPointer);
        pointer.addValue(TagFromName.FrameTime);
        l.put(pointer);
        // Image Pixel Module as PS3.5 8.2.7-8.2.11 prescribe for H.264/HEVC; no Pixel Aspect Ratio (square pixels).
        put(l, TagFromName.SamplesPerPixel, "3");
        put(l, TagFromName.PhotometricInterpretation, "YBR_PARTIAL_420");
        put(l, TagFromName.PlanarConfiguration, "0");
        put(l, TagFromName.Rows, Integer.toString(s.height()));
        put(l, TagFromName.Columns, Integer.toString(s.width()));
        put(l, TagFromName.BitsAllocated, Integer.toString(ts.bitsAllocated()));
        put(l, TagFromName.BitsStored, Integer.toString(ts.bitsStored()));
        put(l, TagFromName.HighBit, Integer.toString(ts.bitsStored() - 1));
        put(l, TagFromName.PixelRepresentation, "0");
        // VL Image Module / General Image: lossy, say how (PS3.3 C.7.6.1.1.5).
        put(l, TagFromName.LossyImageCompression, "01");
        put(l, TagFromName.LossyImageCompressionMethod, ts.compressionMethod());
        // Acquisition Context Module: type 2, no context items known.
        l.put(new SequenceAttribute(TagFromName.AcquisitionContextSequence));
        FileMetaInformation.addFileMetaInformation(l, ts.uid(), "MEDSYNC");
        ByteArrayOutputStream header = new ByteArrayOutputStream(4096);
        // Every encapsulated syntax encodes the data set as explicit VR little endian; PixelMed does not know the
        // HEVC UIDs, so it is told that encoding and the file meta information names the real syntax.
        try {
            l.write(header, TransferSyntax.ExplicitVRLittleEndian, true, false);
        } catch (IOException e) {
            throw new DicomException("writing to memory failed: " + e.getMessage());
        }
        return header.toByteArray();
    }

    private static byte[] element(int group, int element) {
        // OB with undefined length: group, element, "OB", 2 reserved bytes, 0xFFFFFFFF.
        return ByteBuffer.allocate(12)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putShort((short) group)
                .putShort((short) element)
                .put((byte) 'O')
                .put((byte) 'B')
                .putShort((short) 0)
                .putInt(-1)
                .array();
    }

    private static byte[] item(int group, int element, long length) {
        return ByteBuffer.allocate(8)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putShort((short) group)
                .putShort((short) element)
                .putInt((int) length)
                .array();
    }

    private static void put(AttributeList l, AttributeTag tag, String... values) throws DicomException {
        Attribute a = AttributeFactory.newAttribute(tag);
        for (String v : values) {
            a.addValue(v);
        }
        l.put(a);
    }

    private static void putInteger(AttributeList l, AttributeTag tag, long value) throws DicomException {
        IntegerStringAttribute a = new IntegerStringAttribute(tag);
        a.addValue(Long.toString(value));
        l.put(a);
    }

    /** A DS value: at most 16 characters, no exponent. */
    private static String decimal(double v) {
        String s = String.format(Locale.ROOT, "%.6f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
        return s.length() > 16 ? s.substring(0, 16) : s;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
