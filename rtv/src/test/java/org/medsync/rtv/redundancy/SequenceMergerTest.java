package org.medsync.rtv.redundancy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The ST 2022-7 merge: every packet that arrived on either path passed on exactly once, in spite of the paths. */
class SequenceMergerTest {

    private static final long SSRC = 0x1234_5678L;

    /** Feeds (path, sequence) copies; returns the sequence numbers passed on, in order. */
    private static List<Integer> merge(SequenceMerger m, int[][] copies) {
        List<Integer> out = new ArrayList<>();
        long t = 0;
        for (int[] c : copies) {
            if (m.accept(c[0], SSRC, c[1], t++)) {
                out.add(c[1]);
            }
        }
        return out;
    }

    @Test
    void gapsOnEitherPath_areFilledByTheOther_andEachPathsLossIsItsOwn() {
        SequenceMerger m = new SequenceMerger(2);
        List<int[]> copies = new ArrayList<>();
        for (int s = 100; s < 200; s++) {
            if (s < 141 || s > 146) {
                copies.add(new int[] {0, s}); // primary loses 141..146, between two multiples of 7
            }
            if (s % 7 != 0) {
                copies.add(new int[] {1, s}); // secondary loses every 7th
            }
        }
        List<Integer> out = merge(m, copies.toArray(int[][]::new));
        List<Integer> expected = new ArrayList<>();
        for (int s = 100; s < 200; s++) {
            expected.add(s);
        }
        assertEquals(expected, out, "each sequence number once, in order");
        assertEquals(6, m.path(0).lost());
        assertEquals(14, m.path(1).lost(), "105, 112, ..., 196 (100..199 holds 14 multiples of 7)");
        assertEquals(94, m.path(0).packets());
        assertEquals(94 + 86 - 100, m.duplicates());
    }

    @Test
    void aPathThatLags_stillFillsTheOthersGaps_withinTheWindow() {
        SequenceMerger m = new SequenceMerger(2);
        List<Integer> out = new ArrayList<>();
        int lag = 5000; // packets: the secondary is ~28 ms behind at 1080p50
        for (int i = 0; i < 20_000 + lag; i++) {
            int s = i & 0xFFFF;
            if (i < 20_000 && (i < 8000 || i >= 9000)) {
                if (m.accept(0, SSRC, s, i)) {
                    out.add(i);
                }
            }
            int late = i - lag;
            if (late >= 0 && late < 20_000 && m.accept(1, SSRC, late & 0xFFFF, i)) {
                out.add(late);
            }
        }
        assertEquals(20_000, out.size(), "the primary's 1000-packet hole filled from the lagging secondary");
        assertEquals(20_000, out.stream().distinct().count());
        assertEquals(0, m.tooLate());
    }

    @Test
    void aCopyOlderThanTheWindow_isDroppedAsTooLate() {
        SequenceMerger m = new SequenceMerger(2);
        for (int i = 0; i <= SequenceMerger.WINDOW + 10; i++) {
            if (i != 5) {
                assertTrue(m.accept(0, SSRC, i & 0xFFFF, i));
            }
        }
        assertFalse(m.accept(1, SSRC, 5, 0), "5 is more than the window behind the newest");
        assertEquals(1, m.tooLate());
        assertTrue(m.accept(1, SSRC, 20, 0) == false && m.duplicates() == 1, "20 was passed on from the primary");
    }

    @Test
    void reorderingBetweenAndWithinPaths_passesEachPacketOnce() {
        SequenceMerger m = new SequenceMerger(2);
        Random r = new Random(7);
        List<int[]> copies = new ArrayList<>();
        for (int s = 0; s < 5000; s++) {
            copies.add(new int[] {0, s});
            copies.add(new int[] {1, s});
        }
        // shuffle inside blocks of 64 copies: reordering, never more than the window
        for (int b = 0; b + 64 <= copies.size(); b += 64) {
            for (int i = b + 63; i > b; i--) {
                int j = b + r.nextInt(i - b + 1);
                int[] x = copies.get(i);
                copies.set(i, copies.get(j));
                copies.set(j, x);
            }
        }
        List<Integer> out = merge(m, copies.toArray(int[][]::new));
        assertEquals(5000, out.size());
        assertEquals(5000, out.stream().distinct().count());
        assertEquals(5000, m.duplicates());
        assertEquals(0, m.path(0).lost(), "reordering on a path is not loss");
        assertEquals(0, m.path(1).lost());
    }

    @Test
    void sequenceWrap_isContinuous() {
        SequenceMerger m = new SequenceMerger(2);
        List<int[]> copies = new ArrayList<>();
        for (int i = 65_000; i < 67_000; i++) {
            int s = i & 0xFFFF;
            if (i != 65_535) {
                copies.add(new int[] {0, s}); // primary loses the last number before the wrap
            }
            if (i != 65_536) {
                copies.add(new int[] {1, s}); // secondary loses 0, the first after it
            }
        }
        List<Integer> out = merge(m, copies.toArray(int[][]::new));
        assertEquals(2000, out.size());
        assertEquals(65_535, (int) out.get(535));
        assertEquals(0, (int) out.get(536));
        assertEquals(1, m.path(0).lost());
        assertEquals(1, m.path(1).lost());
        assertEquals(1998, m.duplicates());
    }

    @Test
    void duplicatesOnOnePath_arePassedOnOnce() {
        SequenceMerger m = new SequenceMerger(1);
        assertEquals(List.of(1, 2, 3), merge(m, new int[][] {{0, 1}, {0, 1}, {0, 2}, {0, 3}, {0, 2}}));
        assertEquals(2, m.duplicates());
    }

    @Test
    void senderRestart_newSsrc_startsOver_andTheOldSsrcsStragglersAreDropped() {
        SequenceMerger m = new SequenceMerger(2);
        assertTrue(m.accept(0, SSRC, 40_000, 0));
        assertTrue(m.accept(0, SSRC, 40_001, 0));
        assertTrue(m.accept(0, 99, 7, 0), "new SSRC, far lower sequence: passed on");
        assertFalse(m.accept(1, SSRC, 40_002, 0), "a straggler of the old stream");
        assertTrue(m.accept(1, 99, 8, 0));
        assertFalse(m.accept(0, 99, 8, 0));
        assertEquals(1, m.resyncs());
    }

    @Test
    void sequenceRestartUnderTheSameSsrc_startsOverAfterARunOfTooOldPackets() {
        SequenceMerger m = new SequenceMerger(1);
        for (int i = 0; i < SequenceMerger.WINDOW + 100; i++) {
            m.accept(0, SSRC, (30_000 + i) & 0xFFFF, i);
        }
        // the sender restarts 25,000 numbers behind its last one (more than the window): dropped as too old
        // for a run, then started over from
        int restart = 30_000 + SequenceMerger.WINDOW + 100 - 25_000;
        int passed = 0;
        for (int i = 0; i < SequenceMerger.RESYNC_AFTER + 10; i++) {
            passed += m.accept(0, SSRC, (restart + i) & 0xFFFF, i) ? 1 : 0;
        }
        assertEquals(10, passed);
        assertEquals(1, m.resyncs());
    }

    @Test
    void noPaths_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SequenceMerger(0));
    }
}
