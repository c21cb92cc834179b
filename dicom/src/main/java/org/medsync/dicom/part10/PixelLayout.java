package org.medsync.dicom.part10;

import org.medsync.dicom.part10.DicomFormatException.Reason;

/**
 * Image Pixel module attributes (PS3.3 C.7.6.3) that size and interpret native pixel data.
 */
public record PixelLayout(
        int rows,
        int columns,
        int samplesPerPixel,
        int bitsAllocated,
        int bitsStored,
        int highBit,
        int pixelRepresentation,
        int planarConfiguration,
        String photometricInterpretation,
        int numberOfFrames) {

    /** Reads the layout from a scanned file; Rows, Columns and Bits Allocated are required. */
    public static PixelLayout of(ScannedDataset ds) throws DicomFormatException {
        int rows = ds.requireUint16(0x00280010);
        int columns = ds.requireUint16(0x00280011);
        int bitsAllocated = ds.requireUint16(0x00280100);
        if (rows == 0 || columns == 0) {
            throw new DicomFormatException(Reason.MISSING_ATTRIBUTE, "Rows or Columns is zero");
        }
        if (bitsAllocated != 1 && bitsAllocated % 8 != 0 || bitsAllocated > 64) {
            throw new DicomFormatException(Reason.UNSUPPORTED, "BitsAllocated " + bitsAllocated + " is not supported");
        }
        int bitsStored = ds.uint16(0x00280101, bitsAllocated);
        String pi = ds.string(0x00280004);
        return new PixelLayout(
                rows,
                columns,
                ds.uint16(0x00280002, 1),
                bitsAllocated,
                bitsStored,
                ds.uint16(0x00280102, bitsStored - 1),
                ds.uint16(0x00280103, 0),
                ds.uint16(0x00280006, 0),
                pi == null ? "MONOCHROME2" : pi,
                ds.numberOfFrames());
    }

    /**
     * Bits of one native frame. YBR_FULL_422 / YBR_PARTIAL_422 store two samples per pixel on average
     * (PS3.3 C.7.6.3.1.2).
     */
    public long frameBits() {
        long samples = samplesPerPixel == 3 && photometricInterpretation.endsWith("_422") ? 2 : samplesPerPixel;
        return (long) rows * columns * samples * bitsAllocated;
    }

    /** Bytes of native pixel data needed for all frames (bit-packed data rounded up). */
    public long expectedNativeBytes() {
        return (frameBits() * numberOfFrames + 7) / 8;
    }

    public boolean monochrome() {
        return photometricInterpretation.startsWith("MONOCHROME");
    }
}
