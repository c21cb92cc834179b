package org.medsync.photo.image;

/**
 * Undoes what the display and the camera did to a rectified photo (tone curve, moiré, glare, blur, noise, JPEG).
 * The server finds implementations with {@link java.util.ServiceLoader}, so a restoration model ships as its own
 * module and the photo pipeline runs (without restoration, and says so) where none is installed.
 */
public interface Restorer {
    /** What restored the image, as written into the Secondary Capture's Derivation Description. */
    String description();

    /** The restored image, same size as the input. Never mutates {@code photo}. */
    GrayImage restore(GrayImage photo);
}
