package org.medsync.dicom.video;

/**
 * How the video bit stream is carried inside the encapsulated Pixel Data. PS3.5 8.2.7 to 8.2.11 allow an MPEG-2
 * Transport Stream or an MPEG-4 (MP4) container, not a bare Annex B elementary stream: the container's PTS/DTS give
 * the frame timing that a bare stream does not carry.
 */
public enum VideoContainer {
    MP4,
    MPEG_TS
}
