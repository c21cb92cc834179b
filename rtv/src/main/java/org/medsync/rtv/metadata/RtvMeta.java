package org.medsync.rtv.metadata;

import java.util.Objects;
import java.util.OptionalDouble;
import java.util.UUID;

/**
 * The RTV Meta Information (group 0002) of a PS3.22 metadata payload.
 *
 * @param transferSyntaxUid the transfer syntax of the flow this metadata describes (video:
 *                          {@link #ST2110_20_PROGRESSIVE}), NOT of the data set that follows,
 *                          which is always Explicit VR Little Endian
 * @param version           RTV Meta Information Version (0002,0031), 2 bytes, 0x0001
 * @param samplingRate      RTP clock rate of the described flow (90000 for video)
 * @param frameDurationMs   (0002,0038) in milliseconds, optional
 */
public record RtvMeta(
        String transferSyntaxUid,
        int version,
        String sopClassUid,
        String sopInstanceUid,
        UUID sourceId,
        UUID flowId,
        long samplingRate,
        OptionalDouble frameDurationMs) {

    /** SMPTE ST 2110-20 uncompressed progressive active video. */
    public static final String ST2110_20_PROGRESSIVE = "1.2.840.10008.1.2.7.1";

    public static final String ST2110_20_INTERLACED = "1.2.840.10008.1.2.7.2";
    public static final String ST2110_30_AUDIO = "1.2.840.10008.1.2.7.3";
    public static final String EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
    public static final int VERSION_1 = 0x0001;

    /** PS3.4 RTV SOP classes. */
    public static final String VIDEO_ENDOSCOPIC_IMAGE_RTC = "1.2.840.10008.10.1";

    public static final String VIDEO_PHOTOGRAPHIC_IMAGE_RTC = "1.2.840.10008.10.2";
    public static final String AUDIO_WAVEFORM_RTC = "1.2.840.10008.10.3";
    public static final String RENDITION_SELECTION_DOCUMENT_RTC = "1.2.840.10008.10.4";

    public RtvMeta {
        Objects.requireNonNull(transferSyntaxUid, "transferSyntaxUid");
        Objects.requireNonNull(sopClassUid, "sopClassUid");
        Objects.requireNonNull(sopInstanceUid, "sopInstanceUid");
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(flowId, "flowId");
        Objects.requireNonNull(frameDurationMs, "frameDurationMs");
        if (version < 0 || version > 0xFFFF || samplingRate < 0 || samplingRate > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("version is 16 bits, sampling rate 32 bits");
        }
    }

    /** Video flow meta, version 1. */
    public static RtvMeta video(
            String sopClassUid, String sopInstanceUid, UUID sourceId, UUID flowId, double frameDurationMs) {
        return new RtvMeta(
                ST2110_20_PROGRESSIVE,
                VERSION_1,
                sopClassUid,
                sopInstanceUid,
                sourceId,
                flowId,
                90_000,
                OptionalDouble.of(frameDurationMs));
    }

    /** The same with another (0002,0010): used to hand a copy to ordinary DICOM parsers. */
    public RtvMeta withTransferSyntax(String uid) {
        return new RtvMeta(uid, version, sopClassUid, sopInstanceUid, sourceId, flowId, samplingRate, frameDurationMs);
    }
}
