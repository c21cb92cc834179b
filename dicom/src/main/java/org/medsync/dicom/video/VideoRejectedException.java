package org.medsync.dicom.video;

/** A video that no DICOM video transfer syntax can carry as it is; the message says which rule it breaks. */
public final class VideoRejectedException extends Exception {
    public VideoRejectedException(String message) {
        super(message);
    }
}
