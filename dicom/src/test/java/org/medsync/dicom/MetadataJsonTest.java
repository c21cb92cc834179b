package org.medsync.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.json.Json;
import javax.json.JsonNumber;
import javax.json.JsonObject;
import javax.json.JsonReader;
import javax.json.JsonString;
import javax.json.JsonValue;
import org.junit.jupiter.api.Test;

class MetadataJsonTest {

    private static JsonObject parse(byte[] json) {
        try (JsonReader r = Json.createReader(new ByteArrayInputStream(json))) {
            return r.readObject();
        }
    }

    @Test
    void metadataJson_ctSmall_isPs318Shaped() throws Exception {
        JsonObject o = parse(DicomFiles.metadataJson(Samples.pydicom("CT_small.dcm"), "http://x/bulk/1", false));
        JsonObject name = o.getJsonObject("00100010");
        assertEquals("PN", name.getString("vr"));
        assertEquals(
                JsonValue.ValueType.OBJECT, name.getJsonArray("Value").get(0).getValueType());
        assertTrue(name.getJsonArray("Value").getJsonObject(0).containsKey("Alphabetic"));
        JsonObject rows = o.getJsonObject("00280010");
        assertEquals("US", rows.getString("vr"));
        assertEquals(128, rows.getJsonArray("Value").getJsonNumber(0).intValue());
        JsonObject spacing = o.getJsonObject("00280030");
        assertEquals("DS", spacing.getString("vr"));
        assertTrue(spacing.getJsonArray("Value").get(0) instanceof JsonNumber);
        JsonObject ts = o.getJsonObject("00020010");
        assertEquals(
                "1.2.840.10008.1.2.1", ((JsonString) ts.getJsonArray("Value").get(0)).getString());
        JsonObject px = o.getJsonObject("7FE00010");
        assertEquals("OW", px.getString("vr"));
        assertEquals("http://x/bulk/1", px.getString("BulkDataURI"));
        assertFalse(o.containsKey("00020000"));
        assertFalse(o.containsKey("00020003"));
        JsonObject instanceNumber = o.getJsonObject("00200013");
        assertEquals("IS", instanceNumber.getString("vr"));
        assertTrue(instanceNumber.getJsonArray("Value").get(0) instanceof JsonNumber);
    }

    @Test
    void metadataJson_deidentified_replacesPatientData() throws Exception {
        Path ct = Samples.pydicom("CT_small.dcm");
        DicomInstance original = DicomFiles.readHeader(ct);
        JsonObject o = parse(DicomFiles.metadataJson(ct, null, new Deidentification("test-salt")));
        assertEquals(
                "ANONYMIZED",
                o.getJsonObject("00100010")
                        .getJsonArray("Value")
                        .getJsonObject(0)
                        .getString("Alphabetic"));
        String pid = o.getJsonObject("00100020").getJsonArray("Value").getString(0);
        assertTrue(pid.startsWith("ANON-"), pid);
        assertEquals(new Deidentification("test-salt").pseudonym(original.patientId()), pid);
        assertNotEquals(new Deidentification("other-salt").pseudonym(original.patientId()), pid);
        assertFalse(o.getJsonObject("00100030") != null
                && o.getJsonObject("00100030").containsKey("Value"));
        assertFalse(o.getJsonObject("00080020") != null
                && o.getJsonObject("00080020").containsKey("Value"));
        assertFalse(o.containsKey("00080080"), "institution name removed");
        assertEquals("YES", o.getJsonObject("00120062").getJsonArray("Value").getString(0));
        assertEquals(
                original.sopInstanceUid(),
                o.getJsonObject("00080018").getJsonArray("Value").getString(0));
        assertFalse(o.containsKey("7FE00010"), "no URI given, no Pixel Data");
    }

    @Test
    void metadataJson_encapsulated_hasObPixelDataAndItsSyntax() throws Exception {
        JsonObject o = parse(DicomFiles.metadataJson(Samples.octave("US-PAL-8-10x-echo.dcm"), "u", false));
        assertEquals("OB", o.getJsonObject("7FE00010").getString("vr"));
        assertEquals(
                "1.2.840.10008.1.2.5",
                o.getJsonObject("00020010").getJsonArray("Value").getString(0));
        // Palette LUT data is small binary: inline.
        assertTrue(o.getJsonObject("00281201").containsKey("InlineBinary"));
    }

    @Test
    void part10_deidentified_keepsUidsAndFrames() throws Exception {
        Path us = Samples.octave("US-PAL-8-10x-echo.dcm");
        byte[] copy = DicomFiles.part10(us, new Deidentification("s"));
        Path out = Files.createTempFile("deid", ".dcm");
        try {
            Files.write(out, copy);
            DicomFiles.validate(out);
            DicomInstance a = DicomFiles.readHeader(us);
            DicomInstance b = DicomFiles.readHeader(out);
            assertEquals("ANONYMIZED", b.patientName());
            assertEquals(a.sopInstanceUid(), b.sopInstanceUid());
            assertEquals(a.transferSyntaxUid(), b.transferSyntaxUid());
            assertEquals(10, b.numberOfFrames());
            for (int i = 1; i <= 10; i += 9) {
                assertArrayEquals(
                        DicomFiles.frame(us, i).bytes(),
                        DicomFiles.frame(out, i).bytes());
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }

    @Test
    void part10_notDeidentified_isTheStoredFile() throws Exception {
        Path ct = Samples.pydicom("CT_small.dcm");
        assertArrayEquals(Files.readAllBytes(ct), DicomFiles.part10(ct, false));
    }

    @Test
    void part10_rawDataSet_getsMetaInformation() throws Exception {
        byte[] bytes = DicomFiles.part10(Samples.pydicom("ExplVR_LitEndNoMeta.dcm"), false);
        assertEquals('D', bytes[128]);
        assertEquals('M', bytes[131]);
    }
}
