package org.medsync.dicom.video;

/** The video codecs DICOM has transfer syntaxes for that MedSync writes. */
public enum VideoCodec {
    /** MPEG-4 AVC / ITU-T H.264. */
    H264,
    /** HEVC / ITU-T H.265. */
    HEVC
}
