package org.medsync.photo.restore.classical;

import org.medsync.photo.image.GrayImage;
import org.medsync.photo.image.Restorer;

/** The classical baseline as a {@link Restorer}: percentile stretch, then non-local means. */
public final class ClassicalRestorer implements Restorer {
    @Override
    public String description() {
        return "percentile tone stretch + OpenCV non-local means (h " + NonLocalMeans.DEFAULT_H + ")";
    }

    @Override
    public GrayImage restore(GrayImage photo) {
        return NonLocalMeans.denoise(ToneMatch.stretch(photo), NonLocalMeans.DEFAULT_H);
    }
}
