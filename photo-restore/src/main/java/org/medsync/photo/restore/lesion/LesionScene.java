package org.medsync.photo.restore.lesion;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.medsync.photo.image.GrayImage;

/**
 * A test image for the AI read: one source image with lesions inserted at some body positions, and as many lesion-free
 * body positions far from them, each a window the classifier scores. The same windows are cut from the photo of
 * this image and from its restoration, so original, photographed and restored cases are the same cases.
 *
 * @param image the displayed image with its lesions
 * @param cases the windows (top-left corner) and whether each holds a lesion
 */
public record LesionScene(GrayImage image, List<Case> cases) {
    /** One window: top-left {@code (x, y)}, {@code lesion} its label. */
    public record Case(int x, int y, boolean lesion) {}

    /** Positive and negative windows must not share pixels: centres at least a window plus a lesion apart. */
    static final int SPACING = LesionWindow.SIZE + 2 * Body.CLEARANCE;

    /** A lesion's centre is this far at most (each axis) from its window's centre: not always dead centre. */
    static final int JITTER = 8;

    /**
     * Up to {@code pairs} positive and as many negative windows on {@code source}, seeded: the same source, pairs
     * and seed give the same scene. Fewer pairs where the body has too little room; an even count always.
     */
    public static LesionScene of(GrayImage source, int pairs, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<int[]> candidates = new ArrayList<>(Body.centres(source, 4));
        // Fisher-Yates with the seeded generator, so the choice does not depend on the list's implementation.
        for (int i = candidates.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int[] t = candidates.get(i);
            candidates.set(i, candidates.get(j));
            candidates.set(j, t);
        }
        List<int[]> chosen = new ArrayList<>();
        for (int[] c : candidates) {
            if (chosen.size() == 2 * pairs) {
                break;
            }
            boolean far =
                    chosen.stream().allMatch(o -> Math.max(Math.abs(o[0] - c[0]), Math.abs(o[1] - c[1])) >= SPACING);
            if (far) {
                chosen.add(c);
            }
        }
        if (chosen.size() % 2 == 1) {
            chosen.removeLast();
        }
        float[] pixels = source.pixels().clone();
        List<Case> cases = new ArrayList<>();
        int half = LesionWindow.SIZE / 2;
        for (int i = 0; i < chosen.size(); i++) {
            int[] c = chosen.get(i);
            boolean lesion = i % 2 == 0;
            if (lesion) {
                int jx = random.nextInt(2 * JITTER + 1) - JITTER;
                int jy = random.nextInt(2 * JITTER + 1) - JITTER;
                Lesion.draw(random, c[0] + jx, c[1] + jy).paint(pixels, source.width(), source.height());
            }
            cases.add(new Case(c[0] - half, c[1] - half, lesion));
        }
        return new LesionScene(new GrayImage(source.width(), source.height(), pixels), List.copyOf(cases));
    }
}
