package org.medsync.bench.archive;

/**
 * A synthetic, surgery-like scene as an FFmpeg filter graph, so that the encoders see what they meet in an OR rather
 * than testsrc's flat colour fields: reddish tissue with structure at two scales (fixed luma-heavy noise, blurred at
 * 1/8 and 1/2 of the size and blended), a slow camera pan over it (scroll), a grey instrument moving in front,
 * the dark circle of an endoscope's optics (vignette), and fresh sensor noise in every frame. Deterministic
 * (seeded), so every run encodes the same pictures.
 */
public final class SyntheticSurgery {
    private SyntheticSurgery() {}

    /** The graph for {@code width x height} at {@code fps}, ending in {@code pixelFormat}; its output is unlabelled. */
    public static String graph(int width, int height, int fps, String pixelFormat) {
        int w = width + 16 - width % 16;
        int h = height + 16 - height % 16;
        return ("color=c=0x8a3a30:s=%dx%d:r=%d,noise=c0s=90:c1s=12:c2s=12:all_seed=11,gblur=sigma=2.5,"
                        + "scale=%d:%d:flags=bicubic,format=yuv420p[tissue];"
                        + "color=c=0x808080:s=%dx%d:r=%d,noise=c0s=70:c1s=6:c2s=6:all_seed=5,gblur=sigma=1.2,"
                        + "scale=%d:%d:flags=bicubic,format=yuv420p[detail];"
                        + "[tissue][detail]blend=all_mode=overlay,scroll=h=0.0007:v=0.0004,crop=%d:%d:0:0,"
                        + "drawbox=x='%d+%d*sin(t*0.9)':y='%d+%d*cos(t*1.3)':w=%d:h=%d:color=0xB0B0B0@1:t=fill,"
                        + "vignette=angle=PI/3.4,noise=c0s=5:c1s=2:c2s=2:allf=t+u:all_seed=3,format=%s")
                .formatted(
                        w / 8,
                        h / 8,
                        fps,
                        w,
                        h,
                        w / 2,
                        h / 2,
                        fps,
                        w,
                        h,
                        width,
                        height,
                        width * 36 / 100,
                        width * 21 / 100,
                        height * 46 / 100,
                        height * 11 / 100,
                        width * 27 / 100,
                        Math.max(2, height * 5 / 100),
                        pixelFormat);
    }
}
