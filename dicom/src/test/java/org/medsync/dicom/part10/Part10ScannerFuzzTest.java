package org.medsync.dicom.part10;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;

/**
 * Jazzer target for the strict Part 10 scanner, the first reader of every uploaded file. Under plain surefire it
 * replays the inputs in src/test/resources/.../Part10ScannerFuzzTestInputs; with JAZZER_FUZZ=1 it fuzzes for
 * maxDuration. Only {@link DicomFormatException} may escape, under limits small enough that a bomb the fuzzer
 * builds is refused rather than run out of memory; whatever scans yields its frames or a reason, and a deflated
 * file written back inflated scans to the same data set.
 */
class Part10ScannerFuzzTest {

    private static final DecodeLimits LIMITS = new DecodeLimits(16 << 20, 100, 64 << 20);

    @FuzzTest(maxDuration = "10s")
    void scan_onlyDicomFormatExceptionEscapes(byte[] data) throws Exception {
        Part10Scanner.mayBeDeflated(data);
        ScannedDataset ds;
        try {
            ds = Part10Scanner.scan("fuzz.dcm", data, LIMITS);
        } catch (DicomFormatException expected) {
            return;
        }
        try {
            Frames.checkComplete(ds);
            PixelLayout layout = PixelLayout.of(ds);
            for (int f = 1; f <= Math.min(3, layout.numberOfFrames()); f++) {
                Frames.frame(ds, f);
            }
        } catch (DicomFormatException expected) {
            // a complete encoding with an unusable image: refused with a reason, which is all we ask
        }
        if (ds.inflated()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                InflatedFile.write(ds, out);
            } catch (DicomFormatException expected) {
                return;
            }
            ScannedDataset again = Part10Scanner.scan("inflated.dcm", out.toByteArray(), LIMITS);
            assertFalse(again.inflated());
            assertEquals(ds.fragments().size(), again.fragments().size());
            assertArrayEquals(ds.bytes(Part10Scanner.PIXEL_DATA), again.bytes(Part10Scanner.PIXEL_DATA));
        }
    }
}
