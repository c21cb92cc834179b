package org.medsync.rtv.metadata;

import java.util.OptionalDouble;
import java.util.UUID;

/** Shared sample grains. */
final class Samples {

    static final UUID SOURCE = UUID.fromString("00112233-4455-6677-8899-aabbccddeeff");
    static final UUID FLOW = UUID.fromString("01020304-0506-0708-090a-0b0c0d0e0f10");
    static final UUID VIDEO_FLOW = UUID.fromString("11111111-2222-3333-4444-555555555555");

    private Samples() {}

    static RtvMeta meta() {
        return new RtvMeta(
                RtvMeta.ST2110_20_PROGRESSIVE,
                RtvMeta.VERSION_1,
                RtvMeta.VIDEO_ENDOSCOPIC_IMAGE_RTC,
                "1.2.3",
                SOURCE,
                FLOW,
                90_000,
                OptionalDouble.of(20.0));
    }

    /** The golden grain: one dynamic item with a frame origin timestamp, and a patient name. */
    static RtvMetadata tiny() {
        Dataset ds = Dataset.of(
                RtvDatasets.dynamicPart(new TaiTimestamp(0x0102_0304_0506L, 0x0708_090AL), Dataset.EMPTY),
                DataElement.text(Tags.PATIENT_NAME, Vr.PN, "DOE^JANE"));
        return new RtvMetadata(meta(), ds);
    }

    /** A grain with a static part the size of a real one, and every VR kind we write. */
    static RtvMetadata full(int padTo) {
        Dataset configured = Dataset.of(
                DataElement.text(Tags.PATIENT_NAME, Vr.PN, "Durand^Élodie"),
                DataElement.text(Tags.PATIENT_ID, Vr.LO, "PAT-0042"),
                DataElement.text(Tags.PATIENT_BIRTH_DATE, Vr.DA, "19700101"),
                DataElement.text(Tags.PATIENT_SEX, Vr.CS, "F"),
                DataElement.text(Tags.STUDY_INSTANCE_UID, Vr.UI, "1.2.826.0.1.3680043.8.498.1"),
                DataElement.text(Tags.SERIES_INSTANCE_UID, Vr.UI, "1.2.826.0.1.3680043.8.498.2"),
                DataElement.text(Tags.STUDY_DATE, Vr.DA, "20250101"),
                DataElement.text(Tags.STUDY_TIME, Vr.TM, "101500.25"),
                DataElement.text(Tags.ACCESSION_NUMBER, Vr.SH, "ACC1"),
                DataElement.text(Tags.STUDY_DESCRIPTION, Vr.LO, "x".repeat(padTo)),
                DataElement.text(Tags.SCHEDULED_PROCEDURE_STEP_ID, Vr.SH, "SPS-7"));
        Dataset dynamic = Dataset.of(
                DataElement.fd(0x00189219, 12.5),
                new DataElement(0x0020_9158, Vr.LT, new ElementValue.Strings(java.util.List.of("probe at 3 o'clock"))));
        Dataset st = RtvDatasets.staticPart(
                RtvMeta.VIDEO_ENDOSCOPIC_IMAGE_RTC,
                "1.2.3",
                720,
                1280,
                10,
                RtvDatasets.flowLink(SOURCE, VIDEO_FLOW, RtvMeta.ST2110_20_PROGRESSIVE, 90_000),
                configured);
        return new RtvMetadata(
                meta(), st.with(RtvDatasets.dynamicPart(TaiTimestamp.ofNanos(1_700_000_037_123_456_789L), dynamic)));
    }
}
