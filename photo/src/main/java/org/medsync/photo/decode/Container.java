package org.medsync.photo.decode;

/**
 * What the container parsers learn from an upload without touching its pixels: the declared size (checked against
 * the limits before anything is decoded), the EXIF orientation, and the file with its metadata removed.
 */
record Container(String mediaType, int width, int height, int orientation, byte[] stripped) {}
