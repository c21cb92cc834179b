package org.medsync.dicom.part10;

/**
 * Where one top-level element sits in a scanned buffer. {@code length} is -1 for undefined length.
 *
 * @param tag         (group &lt;&lt; 16) | element
 * @param vr          two-letter VR as encoded, or the dictionary VR of the few tags we know in implicit syntax
 *                    ("UN" otherwise)
 * @param valueOffset first byte of the value (for encapsulated pixel data: the first item tag)
 * @param length      value length in bytes, -1 if undefined
 * @param bigEndian   byte order of the value
 */
public record Element(int tag, String vr, int valueOffset, int length, boolean bigEndian) {}
