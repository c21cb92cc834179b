package org.medsync.dicom.part10;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import org.medsync.dicom.part10.DicomFormatException.Reason;

/**
 * Where each frame of a stored file lies, from one scan: a frame request then reads only that frame's bytes
 * instead of reading, scanning (and for deflated files inflating) the whole file. Bytes come out exactly as
 * {@link Frames#frame} gives them: native frames made little endian, compressed frames as their fragments.
 *
 * <p>Offsets are offsets in the file, so a deflated data set (whose scanned buffer is inflated) cannot be
 * indexed: such a file must be stored inflated first. The index remembers the size and modification time of
 * the file it was made from; {@link #isFor} tells a caller whether it still describes a file.
 */
public final class FrameIndex {

    private final String transferSyntaxUid;
    private final long fileSize;
    private final long modifiedMillis;
    /** Segments of frame i are {@code firstSegment[i] .. firstSegment[i+1]-1}. */
    private final int[] firstSegment;

    private final long[] segmentOffset;
    private final int[] segmentLength;
    /** Bytes per value to swap for big endian native data, 1 for none. */
    private final int swapUnit;
    /** Bits of one frame when frames are bit-packed off byte boundaries (Bits Allocated 1), else 0. */
    private final long packedFrameBits;

    private FrameIndex(
            String transferSyntaxUid,
            long fileSize,
            long modifiedMillis,
            int[] firstSegment,
            long[] segmentOffset,
            int[] segmentLength,
            int swapUnit,
            long packedFrameBits) {
        this.transferSyntaxUid = transferSyntaxUid;
        this.fileSize = fileSize;
        this.modifiedMillis = modifiedMillis;
        this.firstSegment = firstSegment;
        this.segmentOffset = segmentOffset;
        this.segmentLength = segmentLength;
        this.swapUnit = swapUnit;
        this.packedFrameBits = packedFrameBits;
    }

    /**
     * Indexes a scanned file whose size and modification time were {@code attributes} before it was read.
     *
     * @throws DicomFormatException as {@link Frames#checkComplete}, and UNSUPPORTED for a deflated data set
     */
    public static FrameIndex of(ScannedDataset ds, BasicFileAttributes attributes) throws DicomFormatException {
        if (ds.inflated()) {
            throw new DicomFormatException(
                    Reason.UNSUPPORTED,
                    "a deflated data set has no frame offsets in its file; store it inflated first");
        }
        Element px = ds.pixelData();
        if (px == null) {
            throw new DicomFormatException(Reason.MISSING_ATTRIBUTE, "the instance has no Pixel Data (7FE0,0010)");
        }
        Frames.checkComplete(ds);
        PixelLayout layout = PixelLayout.of(ds);
        int frames = layout.numberOfFrames();
        long size = attributes.size();
        long modified = attributes.lastModifiedTime().toMillis();
        String ts = Frames.frameTransferSyntax(ds);
        int[] first = new int[frames + 1];
        if (ds.encapsulated()) {
            List<List<Fragment>> map = Frames.frameFragments(ds, frames);
            int total = 0;
            for (List<Fragment> f : map) {
                total += f.size();
            }
            long[] offsets = new long[total];
            int[] lengths = new int[total];
            int s = 0;
            for (int i = 0; i < frames; i++) {
                first[i] = s;
                for (Fragment f : map.get(i)) {
                    offsets[s] = f.valueOffset();
                    lengths[s] = f.length();
                    s++;
                }
            }
            first[frames] = s;
            return new FrameIndex(ts, size, modified, first, offsets, lengths, 1, 0);
        }
        long bits = layout.frameBits();
        boolean packed = bits % 8 != 0;
        long[] offsets = new long[frames];
        int[] lengths = new int[frames];
        for (int i = 0; i < frames; i++) {
            long startBit = bits * i;
            long endBit = startBit + bits;
            first[i] = i;
            offsets[i] = px.valueOffset() + startBit / 8;
            lengths[i] = (int) ((endBit + 7) / 8 - startBit / 8);
        }
        first[frames] = frames;
        int unit = 1;
        if (px.bigEndian()) {
            unit = layout.bitsAllocated() <= 8 ? ("OW".equals(px.vr()) ? 2 : 1) : layout.bitsAllocated() / 8;
        }
        return new FrameIndex(ts, size, modified, first, offsets, lengths, unit, packed ? bits : 0);
    }

    /** The transfer syntax of the bytes {@link #read} returns; see {@link Frames#frameTransferSyntax}. */
    public String transferSyntaxUid() {
        return transferSyntaxUid;
    }

    public int frames() {
        return firstSegment.length - 1;
    }

    /** Byte ranges recorded: what the index costs to keep (a few bytes each). */
    public int segments() {
        return segmentOffset.length;
    }

    /** True when {@code attributes} (of the file about to be read) are those of the file this index was made from. */
    public boolean isFor(BasicFileAttributes attributes) {
        return attributes.size() == fileSize && attributes.lastModifiedTime().toMillis() == modifiedMillis;
    }

    /** Frame {@code frameNumber} (1-based), read from {@code file} at the indexed offsets only. */
    public byte[] read(Path file, int frameNumber) throws DicomFormatException {
        if (frameNumber < 1 || frameNumber > frames()) {
            throw new NoSuchFrameException(frameNumber, frames());
        }
        int from = firstSegment[frameNumber - 1];
        int to = firstSegment[frameNumber];
        long total = 0;
        for (int s = from; s < to; s++) {
            total += segmentLength[s];
        }
        if (total > Integer.MAX_VALUE - 16) {
            throw new DicomFormatException(Reason.TOO_LARGE, "frame " + frameNumber + " has " + total + " bytes");
        }
        ByteBuffer out = ByteBuffer.allocate((int) total);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int s = from; s < to; s++) {
                long pos = segmentOffset[s];
                int limit = out.position() + segmentLength[s];
                out.limit(limit);
                while (out.position() < limit) {
                    int n = ch.read(out, pos);
                    if (n < 0) {
                        throw new DicomFormatException(
                                Reason.TRUNCATED,
                                file.getFileName() + ": the file ends inside frame " + frameNumber
                                        + " (changed since it was indexed?)");
                    }
                    pos += n;
                }
            }
        } catch (NoSuchFileException e) {
            throw new DicomFormatException(Reason.UNREADABLE, "no such file: " + file.getFileName(), e);
        } catch (IOException e) {
            throw new DicomFormatException(Reason.UNREADABLE, "cannot read " + file.getFileName() + ": " + e, e);
        }
        byte[] bytes = out.array();
        if (packedFrameBits > 0) {
            return unpack(bytes, (int) ((packedFrameBits * (frameNumber - 1)) % 8), packedFrameBits);
        }
        Frames.swap(bytes, swapUnit);
        return bytes;
    }

    /** Reads the attributes {@link #isFor} compares; one stat call. */
    public static BasicFileAttributes attributes(Path file) throws DicomFormatException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new DicomFormatException(Reason.UNREADABLE, "no such file: " + file.getFileName(), e);
        } catch (IOException e) {
            throw new DicomFormatException(Reason.UNREADABLE, "cannot read " + file.getFileName() + ": " + e, e);
        }
    }

    /** Bits {@code shift..shift+bits-1} of {@code b}, LSB first (PS3.5 8.1.1), as their own bytes. */
    private static byte[] unpack(byte[] b, int shift, long bits) {
        byte[] out = new byte[(int) ((bits + 7) / 8)];
        for (long i = 0; i < bits; i++) {
            long src = shift + i;
            int bit = (b[(int) (src >>> 3)] >>> (src & 7)) & 1;
            out[(int) (i >>> 3)] |= (byte) (bit << (i & 7));
        }
        return out;
    }
}
