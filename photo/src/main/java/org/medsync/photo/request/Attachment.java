package org.medsync.photo.request;

import java.util.regex.Pattern;

/**
 * What a photo is attached to, as the upload's {@code attachTo} field names it: {@code study:<StudyInstanceUID>},
 * {@code readout:<id>} or {@code consult} (a new consult, whose Secondary Capture opens a new study).
 */
public record Attachment(Kind kind, String ref) {
    public enum Kind {
        STUDY,
        READOUT,
        CONSULT
    }

    private static final Pattern UID = Pattern.compile("[0-9]+(\\.[0-9]+)*");
    private static final Pattern READOUT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** Parses the field; refuses anything else with a message fit for a 400 answer (it never echoes the input). */
    public static Attachment parse(String field) {
        if (field == null || field.isBlank()) {
            throw new IllegalArgumentException(
                    "attachTo is missing: send study:<StudyInstanceUID>, readout:<id> or consult");
        }
        String f = field.trim();
        if (f.equals("consult")) {
            return new Attachment(Kind.CONSULT, null);
        }
        if (f.startsWith("study:")) {
            String uid = f.substring(6);
            if (uid.length() > 64 || !UID.matcher(uid).matches()) {
                throw new IllegalArgumentException("attachTo study: needs a DICOM UID (digits and dots, at most 64)");
            }
            return new Attachment(Kind.STUDY, uid);
        }
        if (f.startsWith("readout:")) {
            String id = f.substring(8);
            if (!READOUT_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("attachTo readout: needs a readout id (letters, digits, - and _)");
            }
            return new Attachment(Kind.READOUT, id);
        }
        throw new IllegalArgumentException("attachTo must be study:<StudyInstanceUID>, readout:<id> or consult");
    }

    public String wire() {
        return switch (kind) {
            case STUDY -> "study:" + ref;
            case READOUT -> "readout:" + ref;
            case CONSULT -> "consult";
        };
    }
}
