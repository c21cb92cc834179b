package org.medsync.rtv.metadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.medsync.rtv.metadata.MetadataFormatException.Reason;

/**
 * The PS3.22 content of a metadata grain:
 *
 * <pre>
 *  static part (at least once a second): Specific Character Set, SOP Class/Instance, patient, study,
 *      series, equipment, image pixel description of the video (Rows, Columns, Bits 16/10/9), and
 *      Real-Time Bulk Data Flow Sequence (0034,000A)                     -> the video flow
 *          > Source Identifier (0034,0005) OB 16
 *          > Flow Identifier Sequence (0034,0001)
 *              >> Flow Identifier (0034,0002) OB 16
 *              >> Flow Transfer Syntax UID (0034,0003) UI 1.2.840.10008.1.2.7.1
 *              >> Flow RTP Sampling Rate (0034,0004) UL 90000
 *  dynamic part (every grain): Current Frame Functional Groups Sequence (0006,0001), ONE item
 *          > Frame Origin Timestamp (0034,0007) OB 10 (48-bit s + 32-bit ns since 1970 TAI)
 *          > the dynamic attributes set by the control API (e.g. a probe position)
 * </pre>
 */
public final class RtvDatasets {

    private RtvDatasets() {}

    /** The link from this metadata flow to the video flow it describes. */
    public static DataElement flowLink(UUID sourceId, UUID videoFlowId, String flowTransferSyntax, long rtpRate) {
        Dataset flow = Dataset.of(
                DataElement.bytes(Tags.FLOW_IDENTIFIER, RtvMetadata.uuidBytes(videoFlowId)),
                DataElement.text(Tags.FLOW_TRANSFER_SYNTAX_UID, Vr.UI, flowTransferSyntax),
                DataElement.ul(Tags.FLOW_RTP_SAMPLING_RATE, rtpRate));
        Dataset item = Dataset.of(
                DataElement.bytes(Tags.SOURCE_IDENTIFIER, RtvMetadata.uuidBytes(sourceId)),
                DataElement.sequence(Tags.FLOW_IDENTIFIER_SEQUENCE, flow));
        return DataElement.sequence(Tags.REAL_TIME_BULK_DATA_FLOW_SEQUENCE, item);
    }

    /**
     * The static part: what the configurator sent (patient, study, procedure) over our defaults for
     * the device and the video description.
     */
    public static Dataset staticPart(
            String sopClassUid,
            String sopInstanceUid,
            int rows,
            int columns,
            int bitsStored,
            DataElement flowLink,
            Dataset configured) {
        List<DataElement> d = new ArrayList<>();
        d.add(DataElement.text(0x00080005, Vr.CS, "ISO_IR 192"));
        d.add(DataElement.text(Tags.SOP_CLASS_UID, Vr.UI, sopClassUid));
        d.add(DataElement.text(Tags.SOP_INSTANCE_UID, Vr.UI, sopInstanceUid));
        d.add(DataElement.text(
                Tags.MODALITY, Vr.CS, RtvMeta.VIDEO_ENDOSCOPIC_IMAGE_RTC.equals(sopClassUid) ? "ES" : "XC"));
        d.add(DataElement.text(Tags.MANUFACTURER, Vr.LO, "MedSync"));
        d.add(DataElement.text(Tags.MANUFACTURER_MODEL_NAME, Vr.LO, "MedSync RTV transmitter"));
        d.add(DataElement.us(Tags.SAMPLES_PER_PIXEL, 3));
        d.add(DataElement.text(Tags.PHOTOMETRIC_INTERPRETATION, Vr.CS, "YBR_FULL_422"));
        d.add(DataElement.us(Tags.ROWS, rows));
        d.add(DataElement.us(Tags.COLUMNS, columns));
        d.add(DataElement.us(Tags.BITS_ALLOCATED, bitsStored > 8 ? 16 : 8));
        d.add(DataElement.us(Tags.BITS_STORED, bitsStored));
        d.add(DataElement.us(Tags.HIGH_BIT, bitsStored - 1));
        d.add(flowLink);
        return Dataset.of(d).merge(configured);
    }

    /** The dynamic part of one grain. */
    public static DataElement dynamicPart(TaiTimestamp frameOrigin, Dataset dynamicAttributes) {
        Dataset item = dynamicAttributes.with(DataElement.bytes(Tags.FRAME_ORIGIN_TIMESTAMP, frameOrigin.toBytes()));
        return DataElement.sequence(Tags.CURRENT_FRAME_FUNCTIONAL_GROUPS_SEQUENCE, item);
    }

    /** The one item of (0006,0001). @throws MetadataFormatException NOT_RTV when not exactly one */
    public static Dataset currentFrame(Dataset grain) {
        List<Dataset> items = grain.items(Tags.CURRENT_FRAME_FUNCTIONAL_GROUPS_SEQUENCE);
        if (items.size() != 1) {
            throw new MetadataFormatException(
                    Reason.NOT_RTV, "(0006,0001) must hold exactly one item, has " + items.size());
        }
        return items.getFirst();
    }

    /** Frame Origin Timestamp of the current frame, when present and 10 bytes. */
    public static Optional<TaiTimestamp> frameOrigin(Dataset grain) {
        List<Dataset> items = grain.items(Tags.CURRENT_FRAME_FUNCTIONAL_GROUPS_SEQUENCE);
        if (items.size() != 1) {
            return Optional.empty();
        }
        return items.getFirst()
                .bytes(Tags.FRAME_ORIGIN_TIMESTAMP)
                .filter(b -> b.length == TaiTimestamp.SIZE)
                .map(b -> {
                    try {
                        return TaiTimestamp.fromBytes(b);
                    } catch (IllegalArgumentException e) {
                        return null;
                    }
                });
    }

    /** Whether this grain carries the static part (we test for the bulk data flow link). */
    public static boolean hasStaticPart(Dataset grain) {
        return grain.contains(Tags.REAL_TIME_BULK_DATA_FLOW_SEQUENCE);
    }

    /** The static part of a grain: everything but (0006,0001). */
    public static Dataset withoutDynamicPart(Dataset grain) {
        List<DataElement> d = new ArrayList<>(grain.elements().values());
        d.removeIf(e -> e.tag() == Tags.CURRENT_FRAME_FUNCTIONAL_GROUPS_SEQUENCE);
        return Dataset.of(d);
    }
}
