package org.medsync.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.PersonNameAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SequenceItem;
import com.pixelmed.dicom.TagFromName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * De-identification for teaching copies: a practical subset of the PS3.15 Annex E Basic Application
 * Confidentiality Profile with the Retain UIDs and Retain Device/Description options.
 *
 * <ul>
 *   <li>Patient's Name becomes {@value #ANONYMIZED_NAME}.</li>
 *   <li>Patient ID becomes {@code ANON-} + the first 16 hex digits of HMAC-SHA256(key = salt, PatientID):
 *       stable for one salt (so one patient's studies stay together), not reversible without the salt.</li>
 *   <li>Type 2 identifying attributes (birth date, accession number, referring physician, study ID, study
 *       date and time) are kept but emptied; other identifying attributes (addresses, phones, other IDs,
 *       institution, physicians, operators, series/acquisition/content dates and times, comments) and all
 *       private attributes are removed, also inside sequences.</li>
 *   <li>Patient Identity Removed (0012,0062) = YES, De-identification Method (0012,0063) set.</li>
 *   <li>UIDs, descriptions, sex, age and all image attributes are kept.</li>
 * </ul>
 *
 * @param salt secret mixed into the Patient ID pseudonym; the server passes a per-install secret.
 *             {@link #defaults()} reads system property {@code medsync.deidentification.salt}, then
 *             environment variable {@code MEDSYNC_DEIDENTIFICATION_SALT}, then falls back to a built-in
 *             constant (pseudonyms are then only as secret as this source code).
 */
public record Deidentification(String salt) {

    public static final String ANONYMIZED_NAME = "ANONYMIZED";
    public static final String METHOD = "MedSync: PS3.15 Basic Profile subset, Retain UIDs, Retain Descriptions";
    private static final String BUILT_IN_SALT = "medsync-built-in-deidentification-salt-v1";
    private static final Logger LOG = LoggerFactory.getLogger(Deidentification.class);

    /** Emptied: Type 2 in the IODs we serve, so they stay present with no value. */
    private static final List<AttributeTag> EMPTY = List.of(
            TagFromName.PatientBirthDate, TagFromName.AccessionNumber, TagFromName.ReferringPhysicianName,
            TagFromName.StudyID, TagFromName.StudyDate, TagFromName.StudyTime);

    /** Removed wherever they occur. */
    private static final List<AttributeTag> REMOVE = List.of(
            TagFromName.PatientBirthTime, TagFromName.PatientMotherBirthName,
            TagFromName.OtherPatientIDs, TagFromName.OtherPatientIDsSequence, TagFromName.OtherPatientNames,
            TagFromName.IssuerOfPatientID, TagFromName.PatientAddress, TagFromName.PatientTelephoneNumbers,
            TagFromName.MedicalRecordLocator, TagFromName.MilitaryRank, TagFromName.BranchOfService,
            TagFromName.CountryOfResidence, TagFromName.RegionOfResidence, TagFromName.EthnicGroup,
            TagFromName.Occupation, TagFromName.PatientReligiousPreference, TagFromName.AdditionalPatientHistory,
            TagFromName.PatientComments, TagFromName.PatientInsurancePlanCodeSequence,
            TagFromName.ResponsiblePerson, TagFromName.ResponsibleOrganization,
            TagFromName.InstitutionName, TagFromName.InstitutionAddress, TagFromName.InstitutionalDepartmentName,
            TagFromName.InstitutionCodeSequence, TagFromName.ReferringPhysicianAddress,
            TagFromName.ReferringPhysicianTelephoneNumbers, TagFromName.ReferringPhysicianIdentificationSequence,
            TagFromName.PerformingPhysicianName, TagFromName.PerformingPhysicianIdentificationSequence,
            TagFromName.NameOfPhysiciansReadingStudy, TagFromName.PhysiciansReadingStudyIdentificationSequence,
            TagFromName.PhysiciansOfRecord, TagFromName.PhysiciansOfRecordIdentificationSequence,
            TagFromName.RequestingPhysician, TagFromName.ScheduledPerformingPhysicianName,
            TagFromName.OperatorsName, TagFromName.OperatorIdentificationSequence, TagFromName.StationName,
            TagFromName.DeviceSerialNumber, TagFromName.SeriesDate, TagFromName.SeriesTime,
            TagFromName.AcquisitionDate, TagFromName.AcquisitionTime, TagFromName.AcquisitionDateTime,
            TagFromName.ContentDate, TagFromName.ContentTime, TagFromName.InstanceCreationDate,
            TagFromName.InstanceCreationTime, TagFromName.PerformedProcedureStepStartDate,
            TagFromName.PerformedProcedureStepStartTime, TagFromName.PerformedProcedureStepID,
            TagFromName.RequestedProcedureID, new AttributeTag(0x0040, 0x0009),
            TagFromName.ReferencedPatientSequence, TagFromName.ImageComments, TagFromName.StudyComments,
            TagFromName.RequestAttributesSequence, TagFromName.SourceApplicationEntityTitle,
            TagFromName.PatientState, TagFromName.MedicalAlerts, TagFromName.Allergies);

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
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((patientId == null ? "" : patientId).getBytes(StandardCharsets.UTF_8));
            return "ANON-" + HexFormat.of().withUpperCase().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Applies the profile in place. */
    void apply(AttributeList list) throws DicomException {
        String patientId = Attribute.getSingleStringValueOrNull(list, TagFromName.PatientID);
        list.removePrivateAttributes();
        clean(list, 0);
        Attribute name = new PersonNameAttribute(TagFromName.PatientName);
        name.addValue(ANONYMIZED_NAME);
        list.put(name);
        Attribute id = new LongStringAttribute(TagFromName.PatientID);
        id.addValue(pseudonym(patientId));
        list.put(id);
        Attribute removed = new CodeStringAttribute(TagFromName.PatientIdentityRemoved);
        removed.addValue("YES");
        list.put(removed);
        Attribute method = new LongStringAttribute(TagFromName.DeidentificationMethod);
        method.addValue(METHOD);
        list.put(method);
    }

    private static void clean(AttributeList list, int depth) throws DicomException {
        for (AttributeTag tag : REMOVE) {
            list.remove(tag);
        }
        for (AttributeTag tag : EMPTY) {
            Attribute a = list.get(tag);
            if (a != null) {
                a.removeValues();
            }
        }
        if (depth > 0) {
            list.remove(TagFromName.PatientName);
            list.remove(TagFromName.PatientID);
        }
        for (Attribute a : list.values()) {
            if (a instanceof SequenceAttribute sq && depth < 32) {
                for (int i = 0; i < sq.getNumberOfItems(); i++) {
                    SequenceItem item = sq.getItem(i);
                    item.getAttributeList().removePrivateAttributes();
                    clean(item.getAttributeList(), depth + 1);
                }
            }
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
