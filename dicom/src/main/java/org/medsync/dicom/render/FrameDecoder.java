package org.medsync.dicom.render;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.TagFromName;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import org.medsync.dicom.part10.Datasets;
import org.medsync.dicom.part10.DecodeLimits;
import org.medsync.dicom.part10.DicomFormatException;
import org.medsync.dicom.part10.DicomFormatException.Reason;
import org.medsync.dicom.part10.Frames;
import org.medsync.dicom.part10.NoSuchFrameException;
import org.medsync.dicom.part10.Part10Scanner;
import org.medsync.dicom.part10.PixelLayout;
import org.medsync.dicom.part10.ScannedDataset;

/**
 * Decoding: native syntaxes directly from the stored bytes; compressed ones by PixelMed's decompression
 * (JPEG baseline/extended 8-bit, JPEG lossless, JPEG 2000, RLE), falling back to GDCM for JPEG-LS and 12-bit
 * JPEG, or when PixelMed fails.
 */
final class FrameDecoder {

    /** Syntaxes PixelMed cannot decode here: straight to GDCM. */
    static final Set<String> GDCM_ONLY =
            Set.of("1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81", "1.2.840.10008.1.2.4.51");

    /** A decoded frame and the file it came from (for window defaults). */
    record Result(DecodedFrame frame, ScannedDataset dataset) {}

    private FrameDecoder() {}

    static Result decode(Path file, int frameNumber) throws DicomFormatException {
        ScannedDataset ds = Part10Scanner.scan(file);
        if (ds.pixelData() == null) {
            throw new DicomFormatException(
                    Reason.MISSING_ATTRIBUTE, file.getFileName() + ": no Pixel Data (7FE0,0010)");
        }
        PixelLayout layout = PixelLayout.of(ds);
        if (frameNumber < 1 || frameNumber > layout.numberOfFrames()) {
            throw new NoSuchFrameException(frameNumber, layout.numberOfFrames());
        }
        checkDecodable(file, layout, ds.encapsulated(), DecodeLimits.current());
        if (!ds.encapsulated()) {
            return new Result(fromNative(ds, frameNumber), ds);
        }
        Frames.checkComplete(ds);
        checkCodestreams(file, ds, layout);
        if (!GDCM_ONLY.contains(ds.transferSyntaxUid())) {
            try {
                return new Result(withPixelMed(file, ds, frameNumber), ds);
            } catch (DicomFormatException e) {
                if (e.reason() == Reason.TRUNCATED) {
                    throw e;
                }
                // fall through to GDCM
            }
        }
        ScannedDataset raw = GdcmFallback.decompress(file);
        return new Result(fromNative(raw, frameNumber), ds);
    }

    /**
     * Refuses, before anything is allocated, an image whose own Rows, Columns, Samples, Bits and Frames ask for
     * more than {@link DecodeLimits#maxDecodedBytes()}: one frame of rendered values (4-byte floats per sample),
     * and for compressed data all frames decompressed (PixelMed and GDCM decode the whole file).
     */
    static void checkDecodable(Path file, PixelLayout layout, boolean compressed, DecodeLimits limits)
            throws DicomFormatException {
        long rendered = (long) layout.rows() * layout.columns() * Math.max(1, layout.samplesPerPixel()) * Float.BYTES;
        long decompressed = compressed ? layout.expectedNativeBytes() : 0;
        long need = Math.max(rendered, decompressed);
        if (need > limits.maxDecodedBytes()) {
            throw new DicomFormatException(
                    Reason.TOO_LARGE,
                    file.getFileName() + ": " + layout.rows() + " rows x "
                            + layout.columns() + " columns x " + layout.samplesPerPixel() + " samples x "
                            + layout.bitsAllocated() + " bits x " + layout.numberOfFrames() + " frames need " + need
                            + " bytes to decode; the limit is " + limits.maxDecodedBytes()
                            + " (dicom.max-decoded-bytes)");
        }
    }

    /**
     * Refuses compressed frames whose own header declares more pixels than Rows and Columns: decoders allocate
     * by the codestream's numbers, which {@link #checkDecodable} never saw. Every frame is checked, since the
     * decoders decode every frame.
     */
    static void checkCodestreams(Path file, ScannedDataset ds, PixelLayout layout) throws DicomFormatException {
        for (int f = 1; f <= layout.numberOfFrames(); f++) {
            Codestreams.Size size = Codestreams.size(Frames.frame(ds, f));
            if (size != null && (size.width() > layout.columns() || size.height() > layout.rows())) {
                throw new DicomFormatException(
                        Reason.TOO_LARGE,
                        file.getFileName() + ": frame " + f
                                + " declares " + size.width() + " x " + size.height()
                                + " pixels in its codestream, the image is "
                                + layout.columns() + " x " + layout.rows() + " (Columns x Rows)");
            }
        }
    }

    private static DecodedFrame fromNative(ScannedDataset ds, int frameNumber) throws DicomFormatException {
        PixelLayout layout = PixelLayout.of(ds);
        byte[] px = Frames.frame(ds, frameNumber);
        return PixelInterpreter.interpret(
                layout, px, ds.decimal(0x00281053, 1), ds.decimal(0x00281052, 0), palette(ds));
    }

    private static PixelInterpreter.Palette palette(ScannedDataset ds) {
        int[][] descriptors = new int[3][];
        int[][] data = new int[3][];
        for (int c = 0; c < 3; c++) {
            int descriptorTag = 0x00281101 + c;
            int dataTag = 0x00281201 + c;
            if (!ds.has(descriptorTag) || !ds.has(dataTag)) {
                return null;
            }
            descriptors[c] = new int[] {
                ds.uint16(descriptorTag, 0, 0), ds.uint16(descriptorTag, 1, 0), ds.uint16(descriptorTag, 2, 16)
            };
            byte[] b = ds.bytes(dataTag);
            boolean big = ds.element(dataTag).bigEndian();
            data[c] = new int[b.length / 2];
            for (int i = 0; i < data[c].length; i++) {
                data[c][i] = big
                        ? (b[2 * i] & 0xFF) << 8 | (b[2 * i + 1] & 0xFF)
                        : (b[2 * i] & 0xFF) | (b[2 * i + 1] & 0xFF) << 8;
            }
            if (descriptors[c][2] == 8 && data[c].length * 2 == b.length && data[c].length < descriptors[c][0]) {
                // 8-bit entries packed two per word (PS3.3 C.7.6.3.1.6 allows it): unpack.
                int[] unpacked = new int[b.length];
                for (int i = 0; i < b.length; i++) {
                    unpacked[i] = b[i] & 0xFF;
                }
                data[c] = unpacked;
            }
        }
        return new PixelInterpreter.Palette(descriptors, data);
    }

    private static DecodedFrame withPixelMed(Path file, ScannedDataset ds, int frameNumber)
            throws DicomFormatException {
        AttributeList list = Datasets.full(file, true).list();
        try {
            list.correctDecompressedImagePixelModule();
            Attribute px = list.get(TagFromName.PixelData);
            if (px == null) {
                throw new DicomFormatException(Reason.UNSUPPORTED, "PixelMed produced no pixel data");
            }
            int rows = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Rows, 0);
            int columns = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Columns, 0);
            int spp = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.SamplesPerPixel, 1);
            int frames = Math.max(1, Attribute.getSingleIntegerValueOrDefault(list, TagFromName.NumberOfFrames, 1));
            String pi = Attribute.getSingleStringValueOrDefault(
                            list, TagFromName.PhotometricInterpretation, "MONOCHROME2")
                    .strip();
            byte[] all;
            int bitsAllocated;
            if (px instanceof OtherWordAttribute) {
                short[] s = px.getShortValues();
                all = new byte[s.length * 2];
                for (int i = 0; i < s.length; i++) {
                    all[2 * i] = (byte) s[i];
                    all[2 * i + 1] = (byte) (s[i] >> 8);
                }
                bitsAllocated = 16;
            } else if (px instanceof OtherByteAttribute) {
                all = px.getByteValues();
                bitsAllocated = 8;
            } else {
                throw new DicomFormatException(
                        Reason.UNSUPPORTED, "PixelMed could not decompress " + ds.transferSyntaxUid());
            }
            int bitsStored = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.BitsStored, bitsAllocated);
            PixelLayout layout = new PixelLayout(
                    rows,
                    columns,
                    spp,
                    bitsAllocated,
                    Math.min(bitsStored, bitsAllocated),
                    Attribute.getSingleIntegerValueOrDefault(
                            list, TagFromName.HighBit, Math.min(bitsStored, bitsAllocated) - 1),
                    Attribute.getSingleIntegerValueOrDefault(list, TagFromName.PixelRepresentation, 0),
                    Attribute.getSingleIntegerValueOrDefault(list, TagFromName.PlanarConfiguration, 0),
                    pi,
                    frames);
            int frameBytes = (int) (layout.frameBits() / 8);
            if (all.length < (long) frameBytes * frames) {
                throw new DicomFormatException(
                        Reason.UNSUPPORTED,
                        "PixelMed decompressed " + all.length + " bytes, expected " + (long) frameBytes * frames);
            }
            byte[] frame = Arrays.copyOfRange(all, (frameNumber - 1) * frameBytes, frameNumber * frameBytes);
            return PixelInterpreter.interpret(
                    layout, frame, ds.decimal(0x00281053, 1), ds.decimal(0x00281052, 0), palette(ds));
        } catch (DicomException | RuntimeException e) {
            throw new DicomFormatException(
                    Reason.UNSUPPORTED,
                    file.getFileName() + ": PixelMed cannot decode " + ds.transferSyntaxUid() + ": " + e,
                    e);
        }
    }
}
