package org.medsync.dicom;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Sample files from Debian packages (python3-pydicom, octave-dicom); tests skip when one is absent. */
public final class Samples {

    public static final Path PYDICOM = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");
    public static final Path OCTAVE = Path.of("/usr/share/octave/packages/dicom-0.5.1/imdata");

    private Samples() {}

    public static Path pydicom(String name) {
        return require(PYDICOM.resolve(name));
    }

    /** US-PAL-8-10x-echo.dcm and friends; looks in any installed octave-dicom version. */
    public static Path octave(String name) {
        Path p = OCTAVE.resolve(name);
        if (!Files.exists(p)) {
            try (var s = Files.find(
                    Path.of("/usr/share/octave/packages"),
                    4,
                    (f, a) -> f.getFileName().toString().equals(name))) {
                p = s.findFirst().orElse(p);
            } catch (Exception e) {
                // fall through to the assumption
            }
        }
        return require(p);
    }

    private static Path require(Path p) {
        Assumptions.assumeTrue(Files.isRegularFile(p), "sample file absent: " + p);
        return p;
    }
}
