package org.medsync.conference.floor;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Who drives a readout: at most one holder at any time, decided on the server in the order requests arrive.
 * Not thread-safe: the readout calls it under its own lock, which is what makes "exactly one driver, also
 * when two ask at once" hold (the second request sees the first one's grant).
 *
 * <pre>
 *   FREE --request(mayDrive)--> HELD(p)          HELD(p) --release(p) / leave(p)--> FREE
 *   HELD(p) --request(q)--> HELD(p), q queued    HELD(p) --handOver(p, q)--> HELD(q)
 *   HELD(p) --request(q, take, mayTake)--> HELD(q)
 * </pre>
 */
public final class Floor {
    /** Why a floor action was refused. */
    public enum Refusal {
        NOT_ALLOWED,
        NOT_HOLDER,
        UNKNOWN_PEER,
        ALREADY_HOLDER
    }

    /** The result of an action: the new state when it changed, a refusal, or nothing changed. */
    public sealed interface Outcome {
        record Changed(State state) implements Outcome {}

        record Unchanged(State state) implements Outcome {}

        record Refused(Refusal reason) implements Outcome {}
    }

    /** The floor as broadcast: epoch grows on every change; holder 0 is nobody. */
    public record State(long epoch, int holder, List<Integer> requests) {
        public State {
            requests = List.copyOf(requests);
        }
    }

    private long epoch;
    private int holder;
    private final Set<Integer> requests = new LinkedHashSet<>();

    public State state() {
        return new State(epoch, holder, new ArrayList<>(requests));
    }

    public int holder() {
        return holder;
    }

    /** A participant asks; {@code take} with {@code mayTake} (an attending) takes the floor from the holder. */
    public Outcome request(int peer, boolean mayDrive, boolean take, boolean mayTake) {
        if (!mayDrive || (take && !mayTake)) {
            return new Outcome.Refused(Refusal.NOT_ALLOWED);
        }
        if (holder == peer) {
            return new Outcome.Refused(Refusal.ALREADY_HOLDER);
        }
        if (holder == 0 || take) {
            return grant(peer);
        }
        if (requests.add(peer)) {
            return changed();
        }
        return new Outcome.Unchanged(state());
    }

    public Outcome release(int peer) {
        if (holder != peer) {
            return new Outcome.Refused(Refusal.NOT_HOLDER);
        }
        holder = 0;
        return changed();
    }

    public Outcome handOver(int from, int to, boolean toMayDrive, boolean toPresent) {
        if (holder != from) {
            return new Outcome.Refused(Refusal.NOT_HOLDER);
        }
        if (!toPresent) {
            return new Outcome.Refused(Refusal.UNKNOWN_PEER);
        }
        if (!toMayDrive) {
            return new Outcome.Refused(Refusal.NOT_ALLOWED);
        }
        if (to == from) {
            return new Outcome.Unchanged(state());
        }
        return grant(to);
    }

    /** A participant left or dropped: the floor frees itself if they held it; their request is withdrawn. */
    public Outcome leave(int peer) {
        boolean wasHolder = holder == peer;
        boolean hadRequest = requests.remove(peer);
        if (wasHolder) {
            holder = 0;
        }
        return wasHolder || hadRequest ? changed() : new Outcome.Unchanged(state());
    }

    private Outcome grant(int peer) {
        holder = peer;
        requests.remove(peer);
        return changed();
    }

    private Outcome changed() {
        epoch++;
        return new Outcome.Changed(state());
    }
}
