package org.medsync.library.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsync.dicom.part10.FrameIndex;
import org.medsync.dicom.part10.Part10Scanner;
import org.medsync.dicom.synthetic.SyntheticCtHead;

class FrameIndexCacheTest {

    @Test
    void manyInstancesNeverHoldMoreThanTheBound(@TempDir Path dir) throws Exception {
        List<Path> slices = SyntheticCtHead.write(dir, new SyntheticCtHead.Options(8, 16, 3));
        // A single-frame instance records one byte range and costs 2: a bound of 6 keeps three of them.
        FrameIndexCache cache = new FrameIndexCache(6);
        for (int i = 0; i < slices.size(); i++) {
            cache.get(new FrameIndexCache.Key("local", "1", "2", String.valueOf(i)), slices.get(i));
            assertTrue(cache.size() <= 3, "entries after " + (i + 1) + ": " + cache.size());
        }
        assertEquals(3, cache.size());
    }

    @Test
    void aChangedFileIsIndexedAgain_anUnchangedOneNever(@TempDir Path dir) throws Exception {
        Path slice = SyntheticCtHead.write(dir, new SyntheticCtHead.Options(1, 16, 4))
                .getFirst();
        FrameIndexCache cache = new FrameIndexCache(1 << 10);
        FrameIndexCache.Key key = new FrameIndexCache.Key("local", "1", "2", "3");
        FrameIndex first = cache.get(key, slice);
        long scans = Part10Scanner.scans();
        assertSame(first, cache.get(key, slice));
        assertEquals(scans, Part10Scanner.scans());
        Files.setLastModifiedTime(
                slice, FileTime.fromMillis(Files.getLastModifiedTime(slice).toMillis() + 5000));
        assertNotSame(first, cache.get(key, slice));
        assertEquals(scans + 1, Part10Scanner.scans());
    }
}
