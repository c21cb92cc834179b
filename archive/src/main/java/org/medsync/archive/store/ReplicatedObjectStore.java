package org.medsync.archive.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The same blobs in several named locations (a directory and a bucket, two buckets), so that losing or damaging one
 * copy loses nothing: the fixity job finds the bad copy by re-hashing it and rewrites it from a good one.
 *
 * <p>A put writes every location. A location that fails does not fail the put while another holds the blob (the
 * recording is safe in one place and the surgeon's upload must not be refused for a full disk elsewhere), but the
 * failure is logged at ERROR and handed to the {@link CopyListener}, which records the copy as missing so the fixity
 * job repairs it first. Reads take the first location that has the blob; a delete deletes everywhere.
 */
public final class ReplicatedObjectStore implements ObjectStore {
    private static final Logger log = LoggerFactory.getLogger(ReplicatedObjectStore.class);

    /** One place the blobs are kept, by a stable name ("primary", "copy") that fixity records use. */
    public record Location(String name, ObjectStore store) {
        public Location {
            Objects.requireNonNull(store, "store");
            if (name == null || !name.matches("[a-z0-9][a-z0-9-]{0,31}")) {
                throw new IllegalArgumentException(
                        "a location name is 1-32 lower-case letters, digits and '-': '" + name + "'");
            }
        }
    }

    /** Told of a copy a put could not write, so it is repaired later rather than forgotten. */
    @FunctionalInterface
    public interface CopyListener {
        void copyFailed(String blob, String location, String reason);
    }

    private final List<Location> locations;
    private volatile CopyListener listener = (blob, location, reason) -> {};

    public ReplicatedObjectStore(List<Location> locations) {
        if (locations.size() < 2) {
            throw new IllegalArgumentException("copies need two locations or more, not " + locations.size());
        }
        Set<String> names = new HashSet<>();
        for (Location l : locations) {
            if (!names.add(l.name())) {
                throw new IllegalArgumentException("two locations named '" + l.name() + "'");
            }
        }
        this.locations = List.copyOf(locations);
    }

    /** The locations, in read order. */
    public List<Location> locations() {
        return locations;
    }

    /** Where failed copies are reported (the archive records them for the fixity job). */
    public void onCopyFailed(CopyListener listener) {
        this.listener = Objects.requireNonNull(listener);
    }

    @Override
    public StoredObject put(Path file) throws IOException {
        return putEverywhere(file, locations, store -> store.put(file));
    }

    /** Every location that locks objects writes this one locked until {@code retainUntil}. */
    @Override
    public StoredObject put(Path file, Instant retainUntil) throws IOException {
        return putEverywhere(file, locations, store -> store.put(file, retainUntil));
    }

    /**
     * Every other location streams the file once; the first location, which is read first, comes last and may take
     * the file itself (a rename).
     */
    @Override
    public StoredObject putKnown(Path file, StoredObject known, Instant retainUntil, boolean move) throws IOException {
        List<Location> order = new ArrayList<>(locations.subList(1, locations.size()));
        order.add(locations.getFirst());
        return putEverywhere(
                file,
                order,
                store -> store.putKnown(
                        file,
                        known,
                        retainUntil,
                        move && store == locations.getFirst().store()));
    }

    /** Extends the lock in every location that locks; a location that fails is logged, the others still extend. */
    @Override
    public void retain(String sha256, Instant retainUntil) throws IOException {
        IOException first = null;
        for (Location l : locations) {
            try {
                l.store().retain(sha256, retainUntil);
            } catch (IOException e) {
                log.error(
                        "The lock of blob {} in location {} could not be extended: {}",
                        sha256,
                        l.name(),
                        e.getMessage());
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public boolean locksObjects() {
        return locations.stream().anyMatch(l -> l.store().locksObjects());
    }

    /** How one location stores the file (with or without a lock). */
    @FunctionalInterface
    private interface Put {
        StoredObject into(ObjectStore store) throws IOException;
    }

    private StoredObject putEverywhere(Path file, List<Location> order, Put put) throws IOException {
        StoredObject stored = null;
        Map<String, IOException> failed = new LinkedHashMap<>();
        for (Location l : order) {
            try {
                StoredObject o = put.into(l.store());
                if (stored != null && !stored.equals(o)) {
                    // The file changed between two locations' reads: neither key can be trusted to name it.
                    throw new IOException(file + " changed while it was stored: " + l.name() + " stored " + o
                            + ", an earlier location " + stored);
                }
                stored = o;
            } catch (IOException e) {
                failed.put(l.name(), e);
            }
        }
        if (stored == null) {
            IOException all = new IOException("no location could store " + file + ": " + failed.keySet());
            failed.values().forEach(all::addSuppressed);
            throw all;
        }
        for (Map.Entry<String, IOException> f : failed.entrySet()) {
            log.error(
                    "Copy of blob {} could not be written to location {}: {}; recorded as missing for repair",
                    stored.sha256(),
                    f.getKey(),
                    f.getValue().getMessage());
            listener.copyFailed(
                    stored.sha256(), f.getKey(), String.valueOf(f.getValue().getMessage()));
        }
        return stored;
    }

    @Override
    public Optional<Long> size(String sha256) throws IOException {
        IOException unreachable = null;
        for (Location l : locations) {
            try {
                Optional<Long> size = l.store().size(sha256);
                if (size.isPresent()) {
                    return size;
                }
            } catch (IOException e) {
                unreachable = unreachable == null ? e : unreachable;
            }
        }
        if (unreachable != null) {
            throw unreachable; // absent where we could look, but a location we could not reach may have it
        }
        return Optional.empty();
    }

    @Override
    public InputStream open(String sha256, long offset, long length) throws IOException {
        List<IOException> errors = new ArrayList<>();
        for (Location l : locations) {
            try {
                return l.store().open(sha256, offset, length);
            } catch (NoSuchFileException e) {
                // the next location may have it
            } catch (IOException e) {
                log.warn("Location {} cannot be read for blob {}: {}", l.name(), sha256, e.getMessage());
                errors.add(e);
            }
        }
        NoSuchFileException none =
                new NoSuchFileException("no location holds blob " + sha256 + " (" + describe() + ")");
        errors.forEach(none::addSuppressed);
        throw none;
    }

    @Override
    public void delete(String sha256) throws IOException {
        IOException first = null;
        for (Location l : locations) {
            try {
                l.store().delete(sha256);
            } catch (IOException e) {
                if (first == null) {
                    first = new IOException("blob " + sha256 + " could not be deleted everywhere", e);
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public String describe() {
        List<String> parts = new ArrayList<>();
        for (Location l : locations) {
            parts.add(l.name() + ": " + l.store().describe());
        }
        return "copies in " + String.join("; ", parts);
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (Location l : locations) {
            try {
                l.store().close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
