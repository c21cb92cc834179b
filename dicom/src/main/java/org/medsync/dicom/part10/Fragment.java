package org.medsync.dicom.part10;

/**
 * One item of encapsulated Pixel Data (PS3.5 A.4).
 *
 * @param itemOffset  offset of the item tag relative to the first fragment item after the Basic Offset Table
 *                    (the origin the Basic Offset Table counts from)
 * @param valueOffset absolute offset of the fragment bytes in the buffer
 * @param length      fragment length in bytes
 */
public record Fragment(long itemOffset, int valueOffset, int length) {}
