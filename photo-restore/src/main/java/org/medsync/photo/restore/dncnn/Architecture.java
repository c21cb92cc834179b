package org.medsync.photo.restore.dncnn;

import java.util.Arrays;

/**
 * The network: DnCNN's residual learning (the net outputs what to subtract from its input) with the dilated 3x3
 * convolutions of its sibling IRCNN (Zhang et al. 2017), so that eight layers see 35x35 pixels, enough for a moire
 * period of 10 px and a blur of a few pixels, at about 32k parameters: small enough to train on two cores within
 * the hour and to restore 512x512 within a second. ReLU after every layer but the last; no batch normalisation
 * (it would only complicate the exported graph at this depth).
 */
public final class Architecture {
    /** Feature channels of the hidden layers. */
    public static final int CHANNELS = 24;

    /** Dilation of each 3x3 convolution, first to last; padding equals dilation so sizes are kept. */
    private static final int[] DILATIONS = {1, 2, 3, 4, 3, 2, 1, 1};

    private Architecture() {}

    public static int layers() {
        return DILATIONS.length;
    }

    public static int dilation(int layer) {
        return DILATIONS[layer];
    }

    public static int inChannels(int layer) {
        return layer == 0 ? 1 : CHANNELS;
    }

    public static int outChannels(int layer) {
        return layer == DILATIONS.length - 1 ? 1 : CHANNELS;
    }

    /** Pixels each side an output pixel depends on (17 for the dilations above). */
    public static int radius() {
        return Arrays.stream(DILATIONS).sum();
    }

    public static int parameterCount() {
        int n = 0;
        for (int i = 0; i < layers(); i++) {
            n += outChannels(i) * inChannels(i) * 9 + outChannels(i);
        }
        return n;
    }

    public static String summary() {
        return layers() + " conv layers 3x3, " + CHANNELS + " channels, dilations " + Arrays.toString(DILATIONS) + ", "
                + parameterCount() + " parameters, receptive field " + (2 * radius() + 1) + " px";
    }
}
