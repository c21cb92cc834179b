package org.medsync.dicom.video;

import java.util.List;
import java.util.Locale;

/**
 * The DICOM transfer syntaxes for H.264 and HEVC video (PS3.5 8.2.7, 8.2.8, 8.2.10, 8.2.11; UIDs from PS3.6 Annex
 * A), and which streams each may carry. A stream must conform to the syntax's profile and level both as it signals
 * them and as its frame size and rate are (a stream that signals level 4.0 but runs 1080p at 50 fps does not fit Level
 * 4.1), with square pixels and 4:2:0 chroma.
 */
public enum VideoTransferSyntax {
    MPEG4_HIGH_41("1.2.840.10008.1.2.4.102", "MPEG-4 AVC/H.264 High Profile / Level 4.1", VideoCodec.H264),
    MPEG4_HIGH_41_BD(
            "1.2.840.10008.1.2.4.103", "MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1", VideoCodec.H264),
    MPEG4_HIGH_42_2D(
            "1.2.840.10008.1.2.4.104", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video", VideoCodec.H264),
    HEVC_MAIN_51("1.2.840.10008.1.2.4.107", "HEVC/H.265 Main Profile / Level 5.1", VideoCodec.HEVC),
    HEVC_MAIN10_51("1.2.840.10008.1.2.4.108", "HEVC/H.265 Main 10 Profile / Level 5.1", VideoCodec.HEVC);

    /** H.264 profiles a High Profile decoder decodes (ITU-T H.264 A.2.4: High includes Main and Constrained Baseline). */
    private static final List<String> H264_PROFILES = List.of("high", "main", "constrained baseline");

    private final String uid;
    private final String title;
    private final VideoCodec codec;

    VideoTransferSyntax(String uid, String title, VideoCodec codec) {
        this.uid = uid;
        this.title = title;
        this.codec = codec;
    }

    public String uid() {
        return uid;
    }

    public String title() {
        return title;
    }

    public VideoCodec codec() {
        return codec;
    }

    /**
     * Whether the encapsulated stream may be split into several fragments. The H.264 syntaxes require one fragment
     * holding the whole stream (so at most 2^32-2 bytes); HEVC's allow several (PS3.5 8.2.10: the recipient
     * concatenates them).
     */
    public boolean fragmentable() {
        return codec == VideoCodec.HEVC;
    }

    /** Bits Allocated, Bits Stored and High Bit this syntax prescribes (Main 10: 16, 10, 9; all others 8, 8, 7). */
    public int bitsAllocated() {
        return this == HEVC_MAIN10_51 ? 16 : 8;
    }

    public int bitsStored() {
        return this == HEVC_MAIN10_51 ? 10 : 8;
    }

    /** The ISO standard named in Lossy Image Compression Method (0028,2114) (PS3.3 C.7.6.1.1.5.1). */
    public String compressionMethod() {
        return codec == VideoCodec.H264 ? "ISO_14496_10" : "ISO_23008_2";
    }

    public static VideoTransferSyntax ofUid(String uid) {
        for (VideoTransferSyntax ts : values()) {
            if (ts.uid.equals(uid)) {
                return ts;
            }
        }
        throw new IllegalArgumentException("not a DICOM video transfer syntax MedSync writes: " + uid);
    }

    /**
     * The syntax for a stream: for H.264, Level 4.1 (the most widely supported) when the stream fits it, else Level
     * 4.2 for 2D video; for HEVC, Main or Main 10 by the stream's profile. BD-compatible (.103) is never chosen by
     * itself: it is a subset of Level 4.1 for Blu-ray players; ask for it with {@link #check}.
     *
     * @throws VideoRejectedException naming the first rule the stream breaks, for the last syntax tried
     */
    public static VideoTransferSyntax choose(VideoStream s) throws VideoRejectedException {
        if (s.codec() == VideoCodec.HEVC) {
            VideoTransferSyntax ts = s.profile().equalsIgnoreCase("main 10") ? HEVC_MAIN10_51 : HEVC_MAIN_51;
            ts.check(s);
            return ts;
        }
        try {
            MPEG4_HIGH_41.check(s);
            return MPEG4_HIGH_41;
        } catch (VideoRejectedException notLevel41) {
            try {
                MPEG4_HIGH_42_2D.check(s);
                return MPEG4_HIGH_42_2D;
            } catch (VideoRejectedException notLevel42) {
                throw new VideoRejectedException(notLevel41.getMessage() + "; and " + notLevel42.getMessage());
            }
        }
    }

    /** Passes when this syntax may carry the stream; else says the first rule it breaks. */
    public void check(VideoStream s) throws VideoRejectedException {
        if (s.codec() != codec) {
            throw refuse("the stream is " + s.codec() + ", this syntax carries " + codec);
        }
        if (!s.chromaSubsampling().equals("4:2:0")) {
            throw refuse("chroma is " + s.chromaSubsampling() + "; DICOM video is 4:2:0 (YBR_PARTIAL_420) only");
        }
        if (s.sampleAspectNumerator() != s.sampleAspectDenominator()) {
            throw refuse("pixels are not square (sample aspect ratio " + s.sampleAspectNumerator() + ":"
                    + s.sampleAspectDenominator() + "); DICOM video requires 1:1");
        }
        String profile = s.profile().toLowerCase(Locale.ROOT);
        switch (this) {
            case MPEG4_HIGH_41, MPEG4_HIGH_41_BD, MPEG4_HIGH_42_2D -> {
                if (!H264_PROFILES.contains(profile)) {
                    throw refuse("H.264 profile " + s.profile() + " is not decodable by a High Profile decoder"
                            + " (High, Main or Constrained Baseline, 8-bit 4:2:0)");
                }
                if (s.bitDepth() != 8) {
                    throw refuse("the stream has " + s.bitDepth() + "-bit samples; H.264 High Profile is 8-bit");
                }
                boolean level41 = this != MPEG4_HIGH_42_2D;
                int maxLevel = level41 ? 41 : 42;
                if (s.level() > maxLevel) {
                    throw refuse("the stream signals level " + s.levelName() + ", above " + (level41 ? "4.1" : "4.2"));
                }
                // ITU-T H.264 Table A-1: MaxFS (macroblocks a frame) and MaxMBPS (macroblocks a second).
                long maxFrameMbs = level41 ? 8192 : 8704;
                long maxMbPerSecond = level41 ? 245_760 : 522_240;
                long widthMbs = (s.width() + 15) / 16;
                long heightMbs = (s.height() + 15) / 16;
                long frameMbs = widthMbs * heightMbs;
                if (frameMbs > maxFrameMbs
                        || widthMbs * widthMbs > 8 * maxFrameMbs
                        || heightMbs * heightMbs > 8 * maxFrameMbs) {
                    throw refuse(s.width() + "x" + s.height() + " is larger than a level " + (level41 ? "4.1" : "4.2")
                            + " frame (" + maxFrameMbs + " macroblocks)");
                }
                if (frameMbs * s.frameRateNumerator() > maxMbPerSecond * s.frameRateDenominator()) {
                    throw refuse(s.width() + "x" + s.height() + " at " + fps(s) + " fps exceeds level "
                            + (level41 ? "4.1" : "4.2") + "'s " + maxMbPerSecond + " macroblocks a second");
                }
                if (this == MPEG4_HIGH_42_2D && s.interlaced()) {
                    throw refuse("level 4.2 codes frames only (frame_mbs_only_flag 1); the stream is interlaced");
                }
                if (this == MPEG4_HIGH_41_BD && !blurayFormat(s)) {
                    throw refuse(s.width() + "x" + s.height() + (s.interlaced() ? "i" : "p") + " at " + fps(s)
                            + " fps is not one of the formats of PS3.5 Table 8-4 (1080i25, 1080i29.97, 1080p24,"
                            + " 1080p23.976, 720p50, 720p59.94, 720p24, 720p23.976)");
                }
            }
            case HEVC_MAIN_51, HEVC_MAIN10_51 -> {
                boolean main10 = this == HEVC_MAIN10_51;
                if (main10 ? !(profile.equals("main 10") || profile.equals("main")) : !profile.equals("main")) {
                    throw refuse("HEVC profile " + s.profile() + " is not " + (main10 ? "Main 10" : "Main"));
                }
                if (s.bitDepth() > (main10 ? 10 : 8)) {
                    throw refuse("the stream has " + s.bitDepth() + "-bit samples; " + title + " allows at most "
                            + (main10 ? 10 : 8));
                }
                if (s.level() > 153) {
                    throw refuse("the stream signals level " + s.levelName() + ", above 5.1");
                }
                // ITU-T H.265 Table A.8: MaxLumaPs and MaxLumaSr for level 5.1 (Main tier).
                long lumaPs = (long) s.width() * s.height();
                long maxLumaPs = 8_912_896;
                if (lumaPs > maxLumaPs
                        || (long) s.width() * s.width() > 8 * maxLumaPs
                        || (long) s.height() * s.height() > 8 * maxLumaPs) {
                    throw refuse(s.width() + "x" + s.height() + " is larger than a level 5.1 picture");
                }
                if (lumaPs * s.frameRateNumerator() > 534_773_760L * s.frameRateDenominator()) {
                    throw refuse(s.width() + "x" + s.height() + " at " + fps(s)
                            + " fps exceeds level 5.1's 534773760 luma samples a second");
                }
            }
        }
    }

    private static boolean blurayFormat(VideoStream s) {
        boolean ntsc24 = s.frameRateNumerator() * 1001 == 24_000L * s.frameRateDenominator();
        boolean film = s.frameRateNumerator() == 24L * s.frameRateDenominator() || ntsc24;
        if (s.width() == 1920 && s.height() == 1080) {
            boolean pal = s.frameRateNumerator() == 25L * s.frameRateDenominator();
            boolean ntsc = s.frameRateNumerator() * 1001 == 30_000L * s.frameRateDenominator();
            return s.interlaced() ? pal || ntsc : film;
        }
        if (s.width() == 1280 && s.height() == 720 && !s.interlaced()) {
            boolean fifty = s.frameRateNumerator() == 50L * s.frameRateDenominator();
            boolean sixty = s.frameRateNumerator() * 1001 == 60_000L * s.frameRateDenominator();
            return fifty || sixty || film;
        }
        return false;
    }

    private static String fps(VideoStream s) {
        return String.format(Locale.ROOT, "%.3f", s.framesPerSecond()).replaceAll("\\.?0+$", "");
    }

    private VideoRejectedException refuse(String why) {
        return new VideoRejectedException(title + " (" + uid + ") cannot carry this video: " + why);
    }
}
