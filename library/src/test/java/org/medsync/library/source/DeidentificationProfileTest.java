package org.medsync.library.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.ValueRepresentation;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsync.dicom.ConfidentialityProfile;
import org.medsync.dicom.Deidentification;
import org.medsync.dicom.DicomFiles;

/**
 * The table test of the one de-identification rule set: every attribute class of PS3.15 Table E.1-1 (and a few
 * the table leaves to "all other attributes"), each at the top level and inside a sequence item, through both
 * paths a de-identified role can receive it by: a whole instance (Part 10, WADO-RS instance) and DICOM JSON
 * (QIDO-RS, WADO-RS metadata). Expectations come from expected-actions.tsv, written out by hand.
 */
class DeidentificationProfileTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Deidentification DEID = new Deidentification("table-test-salt");
    /** A kept sequence (Anatomic Region Sequence) whose one item carries the attribute under test too. */
    private static final AttributeTag CARRIER = new AttributeTag(0x0008, 0x2218);

    private static final String SAMPLE_UID = "1.2.826.0.1.3680043.2.1143.777";

    record Expected(String tag, char action, String name) {}

    @TempDir
    Path dir;

    @Test
    void expectationsCoverEveryRowOfTheProfileTable() throws Exception {
        List<String> table = ConfidentialityProfile.basicWithRetainUids().table().stream()
                .map(ConfidentialityProfile.Row::tag)
                .toList();
        List<String> expected = expectations().stream().map(Expected::tag).toList();
        assertTrue(
                expected.containsAll(table),
                "rows without an expectation: "
                        + table.stream().filter(t -> !expected.contains(t)).toList());
        assertTrue(table.size() > 400, "the table has " + table.size() + " rows");
    }

    @Test
    void jsonAndPart10DeidentificationAgreeOnEveryProfileAttribute() throws Exception {
        JsonDeidentifier json = new JsonDeidentifier(DEID);
        List<String> failures = new ArrayList<>();
        int checked = 0;
        ConfidentialityProfile profile = ConfidentialityProfile.basicWithRetainUids();
        for (Expected e : expectations()) {
            for (AttributeTag tag : concreteTags(e.tag())) {
                char decided = letter(profile.action((tag.getGroup() << 16) | tag.getElement()));
                if (decided != e.action()) {
                    failures.add(e.tag() + " " + e.name() + ": the profile decides " + decided);
                }
                if (tag.getGroup() == 0x0000 || tag.getGroup() == 0x0002) {
                    // Command and file meta elements are no data set content: Part 10 output gets fresh file
                    // meta built from the data set, JSON carries only the transfer syntax. The decision is checked.
                    continue;
                }
                Path file = dir.resolve(e.tag() + "-" + tag.getGroup() + "-" + tag.getElement() + ".dcm");
                Sample sample = write(file, tag);
                AttributeList part10 = read(DicomFiles.part10(file, DEID));
                ObjectNode metadata =
                        (ObjectNode) JSON.readTree(DicomFiles.metadataJson(file, null, (Deidentification) null));
                json.apply(JSON.createArrayNode().add(metadata));
                check(failures, e, "Part 10", sample, Seen.of(part10.get(tag), tag));
                check(failures, e, "JSON", sample, Seen.of(metadata.get(hex(tag))));
                agree(failures, e, "top level", Seen.of(part10.get(tag), tag), Seen.of(metadata.get(hex(tag))));
                AttributeList part10Item =
                        ((SequenceAttribute) part10.get(CARRIER)).getItem(0).getAttributeList();
                JsonNode jsonItem = metadata.path(hex(CARRIER)).path("Value").path(0);
                check(failures, e, "Part 10 in a sequence", sample, Seen.of(part10Item.get(tag), tag));
                check(failures, e, "JSON in a sequence", sample, Seen.of(jsonItem.get(hex(tag))));
                agree(failures, e, "in a sequence", Seen.of(part10Item.get(tag), tag), Seen.of(jsonItem.get(hex(tag))));
                checked++;
            }
        }
        assertTrue(
                failures.isEmpty(),
                failures.size() + " of " + checked + " attributes differ:\n" + String.join("\n", failures));
        assertTrue(checked >= 470, "checked " + checked);
    }

    private static char letter(ConfidentialityProfile.Action a) {
        return switch (a) {
            case KEEP -> 'K';
            case REMOVE -> 'X';
            case EMPTY -> 'Z';
            case DUMMY -> 'D';
            case REPLACE_UID -> 'U';
        };
    }

    @Test
    void deidentifiedInstancesSayHowTheyWereDeidentified() throws Exception {
        Path file = dir.resolve("marks.dcm");
        write(file, TagFromName.PatientName);
        AttributeList part10 = read(DicomFiles.part10(file, DEID));
        ObjectNode metadata = (ObjectNode) JSON.readTree(DicomFiles.metadataJson(file, null, (Deidentification) null));
        new JsonDeidentifier(DEID).apply(metadata);
        assertEquals("YES", Attribute.getSingleStringValueOrNull(part10, TagFromName.PatientIdentityRemoved));
        assertEquals("YES", metadata.at("/00120062/Value/0").asText());
        assertEquals(
                Deidentification.METHOD,
                Attribute.getSingleStringValueOrNull(part10, TagFromName.DeidentificationMethod));
        assertEquals(Deidentification.METHOD, metadata.at("/00120063/Value/0").asText());
    }

    @Test
    void sequencesNestedBeyondTheLimitAreEmptiedOnBothPaths() throws Exception {
        Path file = dir.resolve("deep.dcm");
        write(file, TagFromName.Modality);
        AttributeList list = read(java.nio.file.Files.readAllBytes(file));
        AttributeList innermost = new AttributeList();
        put(innermost, TagFromName.PatientName, "Doe^Jane");
        put(innermost, TagFromName.CodeMeaning, "kept if it were shallower"); // kept at any depth within the limit
        for (int i = 0; i <= ConfidentialityProfile.MAX_DEPTH + 5; i++) {
            SequenceAttribute sq = new SequenceAttribute(CARRIER);
            sq.addItem(innermost);
            innermost = new AttributeList();
            innermost.put(sq);
        }
        list.put(innermost.get(CARRIER));
        list.write(file.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
        byte[] part10 = DicomFiles.part10(file, DEID);
        ObjectNode metadata = (ObjectNode) JSON.readTree(DicomFiles.metadataJson(file, null, (Deidentification) null));
        assertTrue(metadata.toString().contains("Doe^Jane"), "the undeidentified JSON holds the name deep down");
        new JsonDeidentifier(DEID).apply(metadata);
        for (String leaked : List.of("Doe", "shallower")) {
            assertFalse(new String(part10, StandardCharsets.ISO_8859_1).contains(leaked), leaked);
            assertFalse(metadata.toString().contains(leaked), leaked);
        }
    }

    /** What one path delivered for one attribute: absent, or present with its values (or sequence items). */
    record Seen(boolean present, List<String> values, int items, boolean sequence) {
        static Seen of(Attribute a, AttributeTag tag) throws Exception {
            if (a == null) {
                return new Seen(false, List.of(), 0, false);
            }
            if (a instanceof SequenceAttribute sq) {
                List<String> inner = new ArrayList<>();
                for (int i = 0; i < sq.getNumberOfItems(); i++) {
                    String n = Attribute.getSingleStringValueOrNull(
                            sq.getItem(i).getAttributeList(), TagFromName.PatientName);
                    inner.add(String.valueOf(n));
                }
                return new Seen(true, inner, sq.getNumberOfItems(), true);
            }
            String vr = ValueRepresentation.getAsString(a.getVR());
            if (isBinary(vr)) {
                return new Seen(true, a.getVL() == 0 ? List.of() : List.of("<binary>"), 0, false);
            }
            String[] v = a.getStringValues();
            List<String> values = new ArrayList<>();
            if (v != null) {
                for (String s : v) {
                    values.add(s.strip());
                }
            }
            return new Seen(true, values, 0, false);
        }

        static Seen of(JsonNode a) {
            if (a == null || a.isMissingNode()) {
                return new Seen(false, List.of(), 0, false);
            }
            if ("SQ".equals(a.path("vr").asText())) {
                List<String> inner = new ArrayList<>();
                a.path("Value")
                        .forEach(item -> inner.add(
                                item.has("00100010")
                                        ? item.at("/00100010/Value/0/Alphabetic")
                                                .asText("null")
                                        : "null"));
                return new Seen(true, inner, a.path("Value").size(), true);
            }
            if (a.has("InlineBinary") || a.has("BulkDataURI")) {
                return new Seen(true, List.of("<binary>"), 0, false);
            }
            List<String> values = new ArrayList<>();
            a.path("Value")
                    .forEach(v -> values.add(v.isObject() ? v.path("Alphabetic").asText() : v.asText()));
            return new Seen(true, values, 0, false);
        }
    }

    private record Sample(String value, boolean sequence, boolean binary) {}

    private static void check(List<String> failures, Expected e, String path, Sample sample, Seen seen) {
        String problem = switch (e.action()) {
            case 'X' -> seen.present() ? "should be removed, is " + seen.values() : null;
            case 'Z' ->
                !seen.present()
                        ? "should be present and empty, is absent"
                        : !seen.values().isEmpty() && !seen.sequence()
                                ? "should be empty, is " + seen.values()
                                : seen.sequence() && seen.items() != 0
                                        ? "should have no items, has " + seen.items()
                                        : null;
            case 'D' ->
                !seen.present()
                        ? "should hold a dummy, is absent"
                        : seen.sequence()
                                ? cleanedItems(seen)
                                : sample.binary()
                                        ? (seen.values().isEmpty() ? null : "binary should be emptied")
                                        : seen.values().size() != 1
                                                        || seen.values()
                                                                .getFirst()
                                                                .equals(sample.value())
                                                ? "should hold one dummy value, is " + seen.values()
                                                : null;
            case 'K' ->
                !seen.present()
                        ? "should be kept, is absent"
                        : seen.sequence()
                                ? cleanedItems(seen)
                                : sample.binary() || seen.values().equals(List.of(sample.value()))
                                        ? null
                                        : "should be kept as " + sample.value() + ", is " + seen.values();
            case 'U' ->
                !seen.present()
                        ? "should hold a UID stand-in, is absent"
                        : seen.values().equals(List.of(DEID.uid(sample.value())))
                                ? null
                                : "should be " + DEID.uid(sample.value()) + ", is " + seen.values();
            default -> "unknown expectation " + e.action();
        };
        if (problem != null) {
            failures.add(e.tag() + " " + e.name() + " (" + path + "): " + problem);
        }
    }

    /** A kept or dummied sequence keeps its items, and the Patient's Name inside them is de-identified too. */
    private static String cleanedItems(Seen seen) {
        if (seen.items() != 1) {
            return "should keep its one item, has " + seen.items();
        }
        return seen.values().equals(List.of(Deidentification.ANONYMIZED_NAME))
                ? null
                : "item not cleaned: " + seen.values();
    }

    private static void agree(List<String> failures, Expected e, String where, Seen part10, Seen json) {
        if (!Objects.equals(part10, json)) {
            failures.add(
                    e.tag() + " " + e.name() + " (" + where + "): Part 10 gives " + part10 + ", JSON gives " + json);
        }
    }

    /** Writes an instance holding {@code tag} with an identifying-looking value, at the top and inside an item. */
    private static Sample write(Path file, AttributeTag tag) throws Exception {
        AttributeList list = new AttributeList();
        put(list, TagFromName.SOPClassUID, "1.2.840.10008.5.1.4.1.1.7");
        put(list, TagFromName.SOPInstanceUID, "1.2.826.0.1.3680043.2.1143.1");
        put(list, TagFromName.StudyInstanceUID, "1.2.826.0.1.3680043.2.1143.2");
        put(list, TagFromName.SeriesInstanceUID, "1.2.826.0.1.3680043.2.1143.3");
        put(list, TagFromName.Modality, "OT");
        if (tag.getGroup() % 2 == 1) {
            put(list, new AttributeTag(tag.getGroup(), 0x0010), "ACME PRIVATE");
        }
        Sample sample = add(list, tag);
        AttributeList item = new AttributeList();
        put(item, TagFromName.PatientName, "Doe^Jane");
        if (tag.getGroup() % 2 == 1) {
            put(item, new AttributeTag(tag.getGroup(), 0x0010), "ACME PRIVATE");
        }
        add(item, tag);
        SequenceAttribute carrier = new SequenceAttribute(CARRIER);
        carrier.addItem(item);
        list.put(carrier);
        FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, "TABLETEST");
        list.write(file.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
        return sample;
    }

    private static Sample add(AttributeList list, AttributeTag tag) throws Exception {
        String vr = vrOf(tag);
        if (vr.equals("SQ")) {
            SequenceAttribute sq = new SequenceAttribute(tag);
            AttributeList inner = new AttributeList();
            put(inner, TagFromName.PatientName, "Doe^Jane");
            sq.addItem(inner);
            list.put(sq);
            return new Sample(null, true, false);
        }
        if (isBinary(vr)) {
            OtherByteAttribute a = new OtherByteAttribute(tag);
            a.setValues(new byte[] {1, 2, 3, 4});
            list.put(a);
            return new Sample(null, false, true);
        }
        String value = switch (vr) {
            case "DA" -> "20240131";
            case "TM" -> "101112";
            case "DT" -> "20240131101112";
            case "PN" -> "Doe^Jane";
            case "UI" -> SAMPLE_UID;
            case "AS" -> "042Y";
            case "CS" -> "SECRET";
            case "AE" -> "SECRETAE";
            case "IS", "DS", "US", "SS", "UL", "SL", "FL", "FD", "UV", "SV" -> "7";
            default -> "Jane Doe 42";
        };
        Attribute a = AttributeFactory.newAttribute(tag, vr.getBytes(StandardCharsets.US_ASCII));
        a.addValue(value);
        list.put(a);
        return new Sample(value, false, false);
    }

    private static void put(AttributeList list, AttributeTag tag, String value) throws Exception {
        Attribute a = AttributeFactory.newAttribute(tag, vrOf(tag).getBytes(StandardCharsets.US_ASCII));
        a.addValue(value);
        list.put(a);
    }

    /** The dictionary's VR; LO for tags too new for it; OB for curve and overlay data. */
    private static String vrOf(AttributeTag tag) {
        if (tag.getGroup() % 2 == 1) {
            return tag.getElement() == 0x0010 ? "LO" : "LT";
        }
        if ((tag.getGroup() & 0xFF00) == 0x5000 || (tag.getGroup() & 0xFF00) == 0x6000) {
            return tag.getElement() == 0x4000 ? "LT" : "OB";
        }
        byte[] vr = AttributeList.getDictionary().getValueRepresentationFromTag(tag);
        return vr == null ? "LO" : ValueRepresentation.getAsString(vr);
    }

    private static boolean isBinary(String vr) {
        return switch (vr) {
            case "OB", "OW", "OF", "OD", "OL", "OV", "UN" -> true;
            default -> false;
        };
    }

    /** The tags a table row stands for: itself, or examples of its pattern. */
    private static List<AttributeTag> concreteTags(String tag) {
        return switch (tag) {
            case "PRIVATE" -> List.of(new AttributeTag(0x0009, 0x1001), new AttributeTag(0x0029, 0x1010));
            case "50xxxxxx" -> List.of(new AttributeTag(0x5000, 0x3000), new AttributeTag(0x5002, 0x0005));
            case "60xx3000" -> List.of(new AttributeTag(0x6000, 0x3000), new AttributeTag(0x6002, 0x3000));
            case "60xx4000" -> List.of(new AttributeTag(0x6000, 0x4000), new AttributeTag(0x601E, 0x4000));
            default ->
                List.of(new AttributeTag(
                        Integer.parseInt(tag.substring(0, 4), 16), Integer.parseInt(tag.substring(4), 16)));
        };
    }

    private static String hex(AttributeTag tag) {
        return String.format("%04X%04X", tag.getGroup(), tag.getElement());
    }

    private static AttributeList read(byte[] part10) throws Exception {
        AttributeList list = new AttributeList();
        list.read(new DicomInputStream(new ByteArrayInputStream(part10)));
        return list;
    }

    private static List<Expected> expectations() throws Exception {
        Map<String, Expected> out = new LinkedHashMap<>();
        try (var in = DeidentificationProfileTest.class.getResourceAsStream("expected-actions.tsv")) {
            BufferedReader r =
                    new BufferedReader(new InputStreamReader(Objects.requireNonNull(in), StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                out.put(f[0], new Expected(f[0], f[1].charAt(0), f[2]));
            }
        }
        return List.copyOf(out.values());
    }
}
