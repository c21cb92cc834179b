package org.medsync.dicom.render;

/**
 * One decoded frame. Monochrome: {@code values} are modality values (Rescale Slope/Intercept applied, e.g.
 * Hounsfield units), one per pixel, row by row, and {@code photometricInterpretation} is MONOCHROME1 or
 * MONOCHROME2 (MONOCHROME1 is inverted only when windowed). Colour (RGB, PALETTE COLOR, YBR_*): RGB 0..255
 * interleaved, {@code samplesPerPixel} 3 and {@code photometricInterpretation} "RGB".
 */
public record DecodedFrame(
        int rows, int columns, int samplesPerPixel, String photometricInterpretation, float[] values) {

    public boolean monochrome() {
        return samplesPerPixel == 1;
    }
}
