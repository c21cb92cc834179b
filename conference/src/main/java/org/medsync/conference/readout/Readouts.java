package org.medsync.conference.readout;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The readouts running on this node, in memory (roster, floor, chat), at most {@code maxLive} at once. A readout
 * becomes live when its first participant joins; when the limit is reached, a readout nobody is in is released
 * (its chat history is lost; the readout itself is kept by the server) to make room.
 */
public final class Readouts {
    private final Map<String, Readout> live = new LinkedHashMap<>();
    private final int maxLive;
    private final Consumer<Readout> onRelease;

    /** {@code onRelease} is called (under this registry's lock) with a readout released to make room. */
    public Readouts(int maxLive, Consumer<Readout> onRelease) {
        if (maxLive < 1) {
            throw new IllegalArgumentException("maxLive must be positive");
        }
        this.maxLive = maxLive;
        this.onRelease = onRelease;
    }

    /**
     * Runs {@code action} with the live readout {@code id}, made live by {@code create} if needed, while no
     * readout can be released: a participant joining in {@code action} cannot land in a released readout.
     * Throws IllegalStateException when {@code maxLive} readouts are live and none is empty.
     */
    public synchronized <T> T withLive(String id, Supplier<Readout> create, Function<Readout, T> action) {
        Readout r = live.get(id);
        if (r == null) {
            if (live.size() >= maxLive && !releaseOneEmpty()) {
                throw new IllegalStateException("this node already runs " + maxLive + " readouts");
            }
            r = create.get();
            if (!r.id().equals(id)) {
                throw new IllegalArgumentException("created readout " + r.id() + " for " + id);
            }
            live.put(id, r);
        }
        return action.apply(r);
    }

    private boolean releaseOneEmpty() {
        for (Readout r : live.values()) {
            synchronized (r.lock()) {
                if (r.size() == 0) {
                    live.remove(r.id());
                    onRelease.accept(r);
                    return true;
                }
            }
        }
        return false;
    }

    public synchronized Optional<Readout> find(String id) {
        return Optional.ofNullable(live.get(id));
    }

    public synchronized List<String> ids() {
        return List.copyOf(live.keySet());
    }

    /** Stops running one readout (e.g. another node runs it now); its participants must be closed by the caller. */
    public synchronized Optional<Readout> release(String id) {
        return Optional.ofNullable(live.remove(id));
    }

    public synchronized int size() {
        return live.size();
    }

    /** Releases every live readout (this node stops running them) and returns them. */
    public synchronized List<Readout> releaseAll() {
        List<Readout> all = new ArrayList<>(live.values());
        live.clear();
        return all;
    }
}
