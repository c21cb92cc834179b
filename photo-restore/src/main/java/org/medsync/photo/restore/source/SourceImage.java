package org.medsync.photo.restore.source;

import org.medsync.photo.image.GrayImage;

/**
 * One displayed image the simulator photographs: {@code id} names file and frame (never a patient name),
 * {@code group} the patient/series it belongs to (the unit held out).
 */
public record SourceImage(String id, String group, Split split, GrayImage image) {}
