package org.medsync.rtv.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsync.dicom.DicomFiles;
import org.medsync.dicom.DicomInstance;
import org.medsync.dicom.part10.Part10Scanner;
import org.medsync.dicom.part10.ScannedDataset;

/**
 * Our metadata payloads are ordinary DICOM once the syntax trap is handled: the RTP payload (no
 * RTP header) written to a file is a Part 10 file whose (0002,0010) names the VIDEO syntax
 * 1.2.840.10008.1.2.7.1, while the data set is Explicit VR LE. Two independent parsers read it:
 * our strict Part 10 scanner (which treats unknown syntaxes as explicit LE, so it reads the payload
 * as sent) and PixelMed through DicomFiles.readHeader, given a copy whose (0002,0010) we rewrote
 * to 1.2.840.10008.1.2.1 — the trap, handled the way PS3.22 tells receivers to. (PixelMed 20220618
 * happens to read the payload as sent too: it falls back to explicit LE for a syntax it does not
 * know. A toolkit that knows 1.2.840.10008.1.2.7.1, or refuses unknown syntaxes, needs the rewrite.)
 */
class DicomInteropTest {

    @TempDir
    Path tmp;

    @Test
    void payloadAsSent_isScannedByTheStrictPart10Scanner() throws Exception {
        RtvMetadata m = Samples.full(10);
        Path f = tmp.resolve("grain.dcm");
        Files.write(f, m.toBytes());
        ScannedDataset ds = Part10Scanner.scan(f);
        assertEquals(RtvMeta.ST2110_20_PROGRESSIVE, ds.transferSyntaxUid());
        assertTrue(ds.explicitVr());
        assertTrue(ds.has(0x00060001), "Current Frame Functional Groups Sequence");
        assertTrue(ds.has(0x0034000A), "Real-Time Bulk Data Flow Sequence");
        assertEquals("PAT-0042", ds.string(Tags.PATIENT_ID));
        assertEquals(1280, ds.uint16(Tags.COLUMNS, -1));
    }

    @Test
    void payloadAsSent_pixelMedFallsBackToExplicitLe() throws Exception {
        Path f = tmp.resolve("grain-as-sent.dcm");
        Files.write(f, Samples.full(10).toBytes());
        DicomInstance d = DicomFiles.readHeader(f);
        assertEquals("PAT-0042", d.patientId());
        assertEquals(RtvMeta.ST2110_20_PROGRESSIVE, d.transferSyntaxUid());
    }

    @Test
    void payloadWithSyntaxRewritten_isReadByPixelMed() throws Exception {
        RtvMetadata m = Samples.full(10);
        RtvMetadata forParsers =
                new RtvMetadata(m.meta().withTransferSyntax(RtvMeta.EXPLICIT_VR_LITTLE_ENDIAN), m.dataset());
        Path f = tmp.resolve("grain-explicit.dcm");
        Files.write(f, forParsers.toBytes());
        DicomInstance d = DicomFiles.readHeader(f);
        assertEquals("PAT-0042", d.patientId());
        assertEquals("Durand^Élodie", d.patientName());
        assertEquals("1.2.826.0.1.3680043.8.498.1", d.studyInstanceUid());
        assertEquals(RtvMeta.VIDEO_ENDOSCOPIC_IMAGE_RTC, d.sopClassUid());
        assertEquals(720, d.rows());
        assertEquals(1280, d.columns());
    }
}
