package org.medsync.rtv.transmitter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.medsync.rtv.metadata.DataElement;
import org.medsync.rtv.metadata.Dataset;
import org.medsync.rtv.metadata.Vr;

class FrameSynchronizerTest {

    static Dataset probe(String where) {
        return Dataset.of(DataElement.text(0x00204000, Vr.LT, where));
    }

    @Test
    void eachFrameGetsTheUpdateCurrentAtItsAlignmentPoint() {
        FrameSynchronizer s = new FrameSynchronizer();
        assertEquals(Dataset.EMPTY, s.at(1_000));
        s.post(1_500, probe("A"));
        s.post(2_000, probe("B"));
        assertEquals(Dataset.EMPTY, s.at(1_000), "a frame aligned before the post keeps the old value");
        assertEquals(probe("A"), s.at(1_500), "at the alignment point itself the new value applies");
        assertEquals(probe("A"), s.at(1_999));
        assertEquals(probe("B"), s.at(2_000));
        assertEquals(probe("B"), s.at(9_000), "until replaced");
    }
}
