package org.medsync.rtv.metadata;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A DICOM data set: elements in ascending tag order (PS3.5 7.1), each tag at most once. Immutable;
 * {@link #with} returns a new set. Tags compare as unsigned 32-bit numbers.
 */
public record Dataset(SortedMap<Integer, DataElement> elements) {

    public static final Dataset EMPTY = new Dataset(new TreeMap<>(Integer::compareUnsigned));

    public Dataset {
        TreeMap<Integer, DataElement> copy = new TreeMap<>(Integer::compareUnsigned);
        elements.forEach((t, e) -> {
            if (t != e.tag()) {
                throw new IllegalArgumentException("key " + Tags.text(t) + " holds element " + Tags.text(e.tag()));
            }
            copy.put(t, e);
        });
        elements = Collections.unmodifiableSortedMap(copy);
    }

    public static Dataset of(DataElement... elements) {
        return of(List.of(elements));
    }

    public static Dataset of(Collection<DataElement> elements) {
        TreeMap<Integer, DataElement> m = new TreeMap<>(Integer::compareUnsigned);
        for (DataElement e : elements) {
            if (m.put(e.tag(), e) != null) {
                throw new IllegalArgumentException("tag " + Tags.text(e.tag()) + " twice");
            }
        }
        return new Dataset(m);
    }

    /** This set with the given elements added or replacing those with the same tags. */
    public Dataset with(DataElement... more) {
        TreeMap<Integer, DataElement> m = new TreeMap<>(Integer::compareUnsigned);
        m.putAll(elements);
        for (DataElement e : more) {
            m.put(e.tag(), e);
        }
        return new Dataset(m);
    }

    /** This set with every element of {@code other} added, {@code other} winning on equal tags. */
    public Dataset merge(Dataset other) {
        return with(other.elements.values().toArray(DataElement[]::new));
    }

    public Optional<DataElement> get(int tag) {
        return Optional.ofNullable(elements.get(tag));
    }

    public boolean contains(int tag) {
        return elements.containsKey(tag);
    }

    /** First value of a text element, "" when absent or empty. */
    public String string(int tag) {
        DataElement e = elements.get(tag);
        if (e != null
                && e.value() instanceof ElementValue.Strings s
                && !s.values().isEmpty()) {
            return s.values().getFirst();
        }
        return "";
    }

    public Optional<byte[]> bytes(int tag) {
        DataElement e = elements.get(tag);
        return e != null && e.value() instanceof ElementValue.Bytes b ? Optional.of(b.toByteArray()) : Optional.empty();
    }

    public List<Dataset> items(int tag) {
        DataElement e = elements.get(tag);
        return e != null && e.value() instanceof ElementValue.Items i ? i.items() : List.of();
    }

    public Optional<Long> integer(int tag) {
        DataElement e = elements.get(tag);
        return e != null
                        && e.value() instanceof ElementValue.Integers i
                        && !i.values().isEmpty()
                ? Optional.of(i.values().getFirst())
                : Optional.empty();
    }

    public Optional<Double> decimal(int tag) {
        DataElement e = elements.get(tag);
        return e != null
                        && e.value() instanceof ElementValue.Decimals d
                        && !d.values().isEmpty()
                ? Optional.of(d.values().getFirst())
                : Optional.empty();
    }

    /** A human-readable value for overlays: text joined by '\', numbers, "[n bytes]", "[n items]". */
    public String display(int tag) {
        DataElement e = elements.get(tag);
        if (e == null) {
            return "";
        }
        return switch (e.value()) {
            case ElementValue.Strings s -> String.join("\\", s.values());
            case ElementValue.Bytes b -> "[" + b.data().remaining() + " bytes]";
            case ElementValue.Decimals d ->
                d.values().stream().map(String::valueOf).collect(Collectors.joining("\\"));
            case ElementValue.Integers i ->
                i.values().stream().map(String::valueOf).collect(Collectors.joining("\\"));
            case ElementValue.Items i -> "[" + i.items().size() + " items]";
        };
    }

    public int size() {
        return elements.size();
    }
}
