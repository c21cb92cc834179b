package org.medsync.archive.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.api.Test;

class ByteRangeTest {
    @Test
    void readsTheFormsPlayersSend() {
        assertEquals(new ByteRange.Partial(new ByteRange(0, 100)), ByteRange.parse("bytes=0-99", 1000));
        assertEquals(new ByteRange.Partial(new ByteRange(900, 100)), ByteRange.parse("bytes=900-", 1000));
        assertEquals(new ByteRange.Partial(new ByteRange(950, 50)), ByteRange.parse("bytes=-50", 1000));
        assertEquals(new ByteRange.Partial(new ByteRange(990, 10)), ByteRange.parse("bytes=990-5000", 1000));
        assertEquals(new ByteRange.Partial(new ByteRange(0, 1000)), ByteRange.parse("bytes=-5000", 1000));
    }

    @Test
    void ignoresWhatItDoesNotServeAndRefusesWhatLiesPastTheEnd() {
        assertInstanceOf(ByteRange.Whole.class, ByteRange.parse(null, 1000));
        assertInstanceOf(ByteRange.Whole.class, ByteRange.parse("bytes=0-1,5-6", 1000));
        assertInstanceOf(ByteRange.Whole.class, ByteRange.parse("items=0-1", 1000));
        assertInstanceOf(ByteRange.Whole.class, ByteRange.parse("bytes=9-3", 1000));
        assertInstanceOf(ByteRange.Whole.class, ByteRange.parse("bytes=a-b", 1000));
        assertInstanceOf(ByteRange.Whole.class, ByteRange.parse("bytes=99999999999999999999-", 1000));
        assertInstanceOf(ByteRange.Unsatisfiable.class, ByteRange.parse("bytes=1000-", 1000));
        assertInstanceOf(ByteRange.Unsatisfiable.class, ByteRange.parse("bytes=-0", 1000));
    }
}
