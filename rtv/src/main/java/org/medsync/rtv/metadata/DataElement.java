package org.medsync.rtv.metadata;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/** One data element: tag (group << 16 | element), VR and value; the value kind must fit the VR. */
public record DataElement(int tag, Vr vr, ElementValue value) {

    public DataElement {
        Objects.requireNonNull(vr, "vr");
        Objects.requireNonNull(value, "value");
        boolean fits = switch (value) {
            case ElementValue.Strings s -> vr.text();
            case ElementValue.Bytes b -> vr.binary();
            case ElementValue.Decimals d -> vr == Vr.FD || vr == Vr.FL;
            case ElementValue.Integers i -> vr == Vr.UL || vr == Vr.US || vr == Vr.SL || vr == Vr.SS;
            case ElementValue.Items i -> vr == Vr.SQ;
        };
        if (!fits) {
            throw new IllegalArgumentException(
                    Tags.text(tag) + ": a " + value.getClass().getSimpleName() + " value cannot have VR " + vr);
        }
    }

    public static DataElement text(int tag, Vr vr, String... values) {
        return new DataElement(tag, vr, new ElementValue.Strings(List.of(values)));
    }

    public static DataElement bytes(int tag, byte[] data) {
        return new DataElement(tag, Vr.OB, new ElementValue.Bytes(ByteBuffer.wrap(data.clone())));
    }

    public static DataElement ul(int tag, long value) {
        return new DataElement(tag, Vr.UL, new ElementValue.Integers(List.of(value)));
    }

    public static DataElement us(int tag, int value) {
        return new DataElement(tag, Vr.US, new ElementValue.Integers(List.of((long) value)));
    }

    public static DataElement fd(int tag, double value) {
        return new DataElement(tag, Vr.FD, new ElementValue.Decimals(List.of(value)));
    }

    public static DataElement sequence(int tag, Dataset... items) {
        return new DataElement(tag, Vr.SQ, new ElementValue.Items(List.of(items)));
    }

    public int group() {
        return tag >>> 16;
    }
}
