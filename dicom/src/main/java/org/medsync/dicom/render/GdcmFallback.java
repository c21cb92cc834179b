package org.medsync.dicom.render;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.medsync.dicom.part10.DicomFormatException;
import org.medsync.dicom.part10.DicomFormatException.Reason;
import org.medsync.dicom.part10.Part10Scanner;
import org.medsync.dicom.part10.ScannedDataset;

/**
 * Decompression by GDCM's command line tool ({@code gdcmconv --raw}, Debian libgdcm-tools) for what PixelMed
 * cannot decode: JPEG-LS (1.2.840.10008.1.2.4.80/.81) and 12-bit JPEG (1.2.840.10008.1.2.4.51).
 */
final class GdcmFallback {

    static final String EXECUTABLE = System.getProperty("medsync.gdcmconv", "gdcmconv");
    static final long TIMEOUT_SECONDS = 60;

    private GdcmFallback() {}

    /** Writes an uncompressed copy with gdcmconv and scans it. */
    static ScannedDataset decompress(Path file) throws DicomFormatException {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("medsync-gdcm");
            Path out = dir.resolve("raw.dcm");
            Path log = dir.resolve("gdcmconv.log");
            Process p = new ProcessBuilder(
                            EXECUTABLE, "--raw", file.toAbsolutePath().toString(), out.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new DicomFormatException(
                        Reason.UNSUPPORTED,
                        file.getFileName() + ": gdcmconv did not finish within " + TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0 || !Files.isRegularFile(out)) {
                throw new DicomFormatException(
                        Reason.UNSUPPORTED,
                        file.getFileName() + ": gdcmconv --raw failed with exit code " + p.exitValue());
            }
            ScannedDataset ds = Part10Scanner.scan(out);
            if (ds.encapsulated()) {
                throw new DicomFormatException(
                        Reason.UNSUPPORTED, file.getFileName() + ": gdcmconv left the pixel data compressed");
            }
            return ds;
        } catch (IOException e) {
            throw new DicomFormatException(
                    Reason.UNSUPPORTED,
                    file.getFileName() + ": cannot run " + EXECUTABLE + " (install libgdcm-tools): " + e.getMessage(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DicomFormatException(Reason.UNREADABLE, file.getFileName() + ": interrupted while decoding", e);
        } finally {
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // temp files: best effort
        }
    }
}
