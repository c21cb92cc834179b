package org.medsync.rtv.metadata;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/** The value of a data element, by the kind of its VR. All lists are immutable. */
public sealed interface ElementValue {

    /** Text VRs: the values of a backslash-separated multi-value, unpadded. PN in its DICOM form (A^B). */
    record Strings(List<String> values) implements ElementValue {
        public Strings {
            values = List.copyOf(values);
            for (String s : values) {
                if (s.indexOf('\\') >= 0) {
                    throw new IllegalArgumentException("a value must not contain '\\': " + s);
                }
            }
        }
    }

    /** OB / OW / UN: the bytes, a read-only view (records compare the remaining bytes). */
    record Bytes(ByteBuffer data) implements ElementValue {
        public Bytes {
            data = Objects.requireNonNull(data, "data").slice().asReadOnlyBuffer();
        }

        @Override
        public ByteBuffer data() {
            return data.duplicate();
        }

        public byte[] toByteArray() {
            byte[] b = new byte[data.remaining()];
            data.duplicate().get(b);
            return b;
        }
    }

    /** FD / FL. */
    record Decimals(List<Double> values) implements ElementValue {
        public Decimals {
            values = List.copyOf(values);
        }
    }

    /** UL / US / SL / SS, held as long. */
    record Integers(List<Long> values) implements ElementValue {
        public Integers {
            values = List.copyOf(values);
        }
    }

    /** SQ: the items. */
    record Items(List<Dataset> items) implements ElementValue {
        public Items {
            items = List.copyOf(items);
        }
    }
}
