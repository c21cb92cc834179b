package org.medsync.dicom;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The one rule set for everything a de-identified role receives: PS3.15 Table E.1-1's Basic Profile with the
 * Retain UIDs Option and without the Retain Safe Private Option, as an allow-list. Attributes the table lists
 * get the table's action; attributes in MedSync's short list of image attributes ({@code retained.tsv}) are
 * kept; every other attribute, every private attribute and every overlay (60xx) and curve (50xx) group is
 * removed. Both the Part 10 path ({@link Deidentification}) and the DICOM JSON path (the library's
 * JsonDeidentifier) ask this class, so they cannot drift apart.
 */
public final class ConfidentialityProfile {

    /** What happens to one attribute. */
    public enum Action {
        /** K: kept as it is (a sequence's items are still cleaned by the same rules). */
        KEEP,
        /** X: removed. */
        REMOVE,
        /** Z: kept with an empty value (a sequence with no items). */
        EMPTY,
        /** D: replaced by a dummy value of its VR (a sequence keeps its items, each cleaned by the same rules). */
        DUMMY,
        /** U: each UID replaced by a keyed, stable stand-in, so references between objects still hold. */
        REPLACE_UID;

        /**
         * The action for a table code. A combination (X/Z, X/D, X/Z/D, Z/D, X/Z/U*) lets the profile pick by
         * the attribute's type in the IOD, which a viewer-side filter does not know: it resolves to X when X
         * is offered (nothing disclosed, and MedSync's viewer needs none of these), else to Z.
         */
        static Action ofCode(String code) {
            if (code.contains("X")) {
                return REMOVE;
            }
            if (code.contains("Z")) {
                return EMPTY;
            }
            return switch (code) {
                case "D" -> DUMMY;
                case "U" -> REPLACE_UID;
                case "K" -> KEEP;
                default -> throw new IllegalArgumentException("unknown PS3.15 action code '" + code + "'");
            };
        }
    }

    /** One row of Table E.1-1 as shipped: its tag (pattern), Basic Profile code, Retain UIDs code or "-", name. */
    public record Row(String tag, String basic, String retainUids, String name) {}

    /** Sequence items nested deeper than this are emptied, not passed on unexamined: no real object nests so deep. */
    public static final int MAX_DEPTH = 32;

    private static final int PATIENT_NAME = 0x00100010;
    private static final int PATIENT_ID = 0x00100020;

    private static final ConfidentialityProfile INSTANCE = new ConfidentialityProfile();

    private final List<Row> table;
    private final Map<Integer, Action> actions = new HashMap<>();
    private final Set<Integer> retained = new HashSet<>();

    private ConfidentialityProfile() {
        List<Row> rows = new ArrayList<>();
        for (String[] f : read("ps3.15-table-e.1-1.tsv", 4)) {
            Row row = new Row(f[0], f[1], f[2], f[3]);
            rows.add(row);
            if (row.tag().matches("[0-9A-F]{8}")) {
                actions.put(
                        Integer.parseUnsignedInt(row.tag(), 16),
                        Action.ofCode(row.retainUids().equals("-") ? row.basic() : row.retainUids()));
            } else if (!row.tag().equals("PRIVATE")
                    && !row.tag().startsWith("50xx")
                    && !row.tag().startsWith("60xx")) {
                throw new IllegalStateException("unexpected pattern in the profile table: " + row.tag());
            }
        }
        // Z allows "a non-zero length dummy value": a constant name, and for the ID a keyed pseudonym, so that
        // one patient's studies still group together for a student without saying who the patient is.
        actions.put(PATIENT_NAME, Action.DUMMY);
        actions.put(PATIENT_ID, Action.DUMMY);
        for (String[] f : read("retained.tsv", 2)) {
            int tag = Integer.parseUnsignedInt(f[0], 16);
            if (actions.containsKey(tag)) {
                throw new IllegalStateException(f[0] + " is both in the profile table and in the retained list");
            }
            retained.add(tag);
        }
        table = Collections.unmodifiableList(rows);
    }

    public static ConfidentialityProfile basicWithRetainUids() {
        return INSTANCE;
    }

    /** The action for an attribute at any nesting depth. */
    public Action action(int tag) {
        int group = tag >>> 16;
        if ((group & 1) == 1 || (group & 0xFF00) == 0x5000 || (group & 0xFF00) == 0x6000) {
            return Action.REMOVE; // private; curves and overlays (Table E.1-1: 50xx,xxxx and 60xx,3000/4000)
        }
        Action a = actions.get(tag);
        if (a != null) {
            return a;
        }
        return retained.contains(tag) ? Action.KEEP : Action.REMOVE;
    }

    /** The action for a tag written as 8 hex digits (the DICOM JSON key); anything else is removed. */
    public Action action(String hexTag) {
        if (hexTag == null || !hexTag.matches("[0-9A-Fa-f]{8}")) {
            return Action.REMOVE;
        }
        return action(Integer.parseUnsignedInt(hexTag, 16));
    }

    /**
     * Whether a de-identified caller sees this attribute's stored value unchanged, so that matching on it
     * tells them nothing they could not list: the test for a search key they may use.
     */
    public boolean disclosesUnchanged(int tag) {
        return action(tag) == Action.KEEP;
    }

    /**
     * As {@link #disclosesUnchanged(int)} for a search key as PS3.18 writes it: a keyword ({@code Modality}),
     * a tag ({@code 00080060}) or a sequence path ({@code 00081110.00081155}), every element of which must be
     * disclosed unchanged. Unknown keywords are not.
     */
    public boolean disclosesUnchanged(String key) {
        if (key == null || key.isEmpty()) {
            return false;
        }
        for (String element : key.split("\\.", -1)) {
            AttributeTag tag = element.matches("[0-9A-Fa-f]{8}")
                    ? new AttributeTag(
                            Integer.parseInt(element.substring(0, 4), 16), Integer.parseInt(element.substring(4), 16))
                    : AttributeList.getDictionary().getTagFromName(element);
            if (tag == null || !disclosesUnchanged((tag.getGroup() << 16) | tag.getElement())) {
                return false;
            }
        }
        return true;
    }

    /** Table E.1-1 as shipped, for the documentation and the table test. */
    public List<Row> table() {
        return table;
    }

    /** A dummy value for action D, by VR; null for binary VRs, which are emptied instead. */
    static String dummy(String vr) {
        return switch (vr == null ? "" : vr.toUpperCase(Locale.ROOT)) {
            case "DA" -> "19000101";
            case "TM" -> "000000";
            case "DT" -> "19000101000000";
            case "AS" -> "000Y";
            case "IS", "DS", "US", "SS", "UL", "SL", "FL", "FD", "UV", "SV" -> "0";
            case "OB", "OW", "OF", "OD", "OL", "OV", "UN", "AT", "SQ" -> null;
            default -> Deidentification.ANONYMIZED_NAME; // PN, LO, SH, CS, LT, ST, UT, UC, UR, AE: a fixed word
        };
    }

    private static List<String[]> read(String resource, int fields) {
        List<String[]> out = new ArrayList<>();
        try (InputStream in = ConfidentialityProfile.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                if (f.length != fields) {
                    throw new IllegalStateException(resource + ": expected " + fields + " fields in '" + line + "'");
                }
                out.add(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
