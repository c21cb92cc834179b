package org.medsync.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.ValueRepresentation;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * De-identification of whole instances for roles that must not see who the patient is, by the one rule set
 * of {@link ConfidentialityProfile} (PS3.15 Basic Profile with the Retain UIDs Option, allow-list).
 *
 * <ul>
 *   <li>Patient's Name becomes {@value #ANONYMIZED_NAME}.</li>
 *   <li>Patient ID becomes {@code ANON-} + the first 16 hex digits of HMAC-SHA256(key = salt, PatientID):
 *       stable for one salt (so one patient's studies stay together), not reversible without the salt.</li>
 *   <li>UIDs the profile replaces even with Retain UIDs (action U) become {@code 2.25.} + 128 bits of
 *       HMAC-SHA256(salt, UID): the same UID always gets the same stand-in.</li>
 *   <li>Patient Identity Removed (0012,0062) = YES, De-identification Method (0012,0063) set.</li>
 * </ul>
 *
 * @param salt secret mixed into the pseudonyms; the server passes a per-install secret.
 *             {@link #defaults()} reads system property {@code medsync.deidentification.salt}, then
 *             environment variable {@code MEDSYNC_DEIDENTIFICATION_SALT}, then falls back to a built-in
 *             constant (pseudonyms are then only as secret as this source code).
 */
public record Deidentification(String salt) {

    public static final String ANONYMIZED_NAME = "ANONYMIZED";
    public static final String METHOD = "MedSync: PS3.15 Basic Profile, Retain UIDs Option";
    private static final String BUILT_IN_SALT = "medsync-built-in-deidentification-salt-v1";
    private static final Logger LOG = LoggerFactory.getLogger(Deidentification.class);

    public Deidentification {
        Objects.requireNonNull(salt, "salt");
        if (salt.isEmpty()) {
            throw new IllegalArgumentException("salt must not be empty");
        }
    }

    /** The per-install salt: see the record documentation for where it comes from. */
    public static Deidentification defaults() {
        String salt = System.getProperty("medsync.deidentification.salt");
        if (salt == null || salt.isEmpty()) {
            salt = System.getenv("MEDSYNC_DEIDENTIFICATION_SALT");
        }
        if (salt == null || salt.isEmpty()) {
            BuiltInSaltWarning.once();
            salt = BUILT_IN_SALT;
        }
        return new Deidentification(salt);
    }

    /** The stable pseudonym that replaces {@code patientId} (null is treated as empty). */
    public String pseudonym(String patientId) {
        return "ANON-" + HexFormat.of().withUpperCase().formatHex(hmac(patientId == null ? "" : patientId), 0, 8);
    }

    /** The stable stand-in for a UID the profile replaces (action U): {@code 2.25.} and 128 keyed bits. */
    public String uid(String uid) {
        return "2.25." + new BigInteger(1, Arrays.copyOf(hmac("uid:" + uid.strip()), 16));
    }

    /**
     * The one value a de-identified attribute holds in place of {@code value} under action D: the keyed
     * pseudonym for Patient ID, a UID stand-in for a UI, a dummy of the VR otherwise; null when there is
     * nothing to stand in for (a blank ID or UID) or the VR has no sensible dummy (binary): it stays empty.
     */
    public String dummy(int tag, String vr, String value) {
        if (tag == 0x00100020) {
            // No ID stays no ID: one pseudonym for every blank ID would join unrelated patients.
            return value == null || value.isBlank() ? null : pseudonym(value);
        }
        if ("UI".equals(vr)) {
            return value == null || value.isBlank() ? null : uid(value);
        }
        return ConfidentialityProfile.dummy(vr);
    }

    private byte[] hmac(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Applies the profile in place. */
    void apply(AttributeList list) throws DicomException {
        clean(list, ConfidentialityProfile.basicWithRetainUids(), 0);
        Attribute removed = new CodeStringAttribute(TagFromName.PatientIdentityRemoved);
        removed.addValue("YES");
        list.put(removed);
        Attribute method = new LongStringAttribute(TagFromName.DeidentificationMethod);
        method.addValue(METHOD);
        list.put(method);
    }

    private void clean(AttributeList list, ConfidentialityProfile profile, int depth) throws DicomException {
        if (depth > ConfidentialityProfile.MAX_DEPTH) {
            list.clear();
            return;
        }
        for (AttributeTag tag : List.copyOf(list.keySet())) {
            Attribute a = list.get(tag);
            int t = (tag.getGroup() << 16) | tag.getElement();
            switch (profile.action(t)) {
                case REMOVE -> list.remove(tag);
                case EMPTY -> {
                    if (a instanceof SequenceAttribute) {
                        list.put(new SequenceAttribute(tag));
                    } else {
                        a.removeValues();
                    }
                }
                case KEEP -> cleanItems(a, profile, depth);
                case DUMMY -> {
                    if (a instanceof SequenceAttribute) {
                        cleanItems(a, profile, depth);
                    } else {
                        String dummy = dummy(
                                t,
                                ValueRepresentation.getAsString(a.getVR()),
                                Attribute.getSingleStringValueOrNull(list, tag));
                        a.removeValues();
                        if (dummy != null) {
                            a.addValue(dummy);
                        }
                    }
                }
                case REPLACE_UID -> {
                    String[] values = a.getStringValues();
                    a.removeValues();
                    if (values != null) {
                        for (String v : values) {
                            if (v != null && !v.isBlank()) {
                                a.addValue(uid(v));
                            }
                        }
                    }
                }
            }
        }
    }

    private void cleanItems(Attribute a, ConfidentialityProfile profile, int depth) throws DicomException {
        if (!(a instanceof SequenceAttribute sq)) {
            return;
        }
        for (int i = 0; i < sq.getNumberOfItems(); i++) {
            clean(sq.getItem(i).getAttributeList(), profile, depth + 1);
        }
    }

    private static final class BuiltInSaltWarning {
        static {
            LOG.warn("no de-identification salt configured (medsync.deidentification.salt or "
                    + "MEDSYNC_DEIDENTIFICATION_SALT): Patient ID pseudonyms use the built-in salt");
        }

        static void once() {
            // class initialisation logs exactly once
        }
    }
}
