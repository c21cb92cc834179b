package org.medsync.dicom.video;

import java.util.Objects;

/**
 * What a video bit stream is, as its sequence parameter set and container say: the facts the transfer syntax rules of
 * PS3.5 8.2.7-8.2.11 are about and the attributes of the Cine and Image Pixel modules are written from.
 *
 * @param profile the codec's profile name as FFmpeg's ffprobe names it ("High", "Main", "Main 10", "Constrained
 *     Baseline")
 * @param level the level as the stream signals it: level_idc for H.264 (41 is 4.1), general_level_idc for HEVC (30
 *     times the level: 153 is 5.1)
 * @param frameRateNumerator frames per second as a fraction (30000/1001 for 29.97)
 * @param frameCount frames in the stream (Number of Frames)
 * @param bitDepth bits per luma sample
 * @param chromaSubsampling "4:2:0", "4:2:2" or "4:4:4"
 * @param sampleAspectNumerator the sample (pixel) aspect ratio; 1:1 is square pixels
 * @param interlaced true when the stream codes fields rather than progressive frames
 */
public record VideoStream(
        VideoContainer container,
        VideoCodec codec,
        String profile,
        int level,
        int width,
        int height,
        long frameRateNumerator,
        long frameRateDenominator,
        long frameCount,
        int bitDepth,
        String chromaSubsampling,
        int sampleAspectNumerator,
        int sampleAspectDenominator,
        boolean interlaced) {

    public VideoStream {
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(chromaSubsampling, "chromaSubsampling");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("frame size " + width + "x" + height + " is not positive");
        }
        if (frameRateNumerator <= 0 || frameRateDenominator <= 0) {
            throw new IllegalArgumentException(
                    "frame rate " + frameRateNumerator + "/" + frameRateDenominator + " is not positive");
        }
        if (frameCount <= 0) {
            throw new IllegalArgumentException("a video needs at least one frame, not " + frameCount);
        }
        if (sampleAspectNumerator <= 0 || sampleAspectDenominator <= 0) {
            throw new IllegalArgumentException("sample aspect ratio " + sampleAspectNumerator + ":"
                    + sampleAspectDenominator + " is not positive");
        }
    }

    public double framesPerSecond() {
        return (double) frameRateNumerator / frameRateDenominator;
    }

    /** The level as people write it: "4.1" for H.264 level_idc 41, "5.1" for HEVC general_level_idc 153. */
    public String levelName() {
        int tenths = codec == VideoCodec.H264 ? level : level / 3;
        return tenths / 10 + "." + tenths % 10;
    }
}
