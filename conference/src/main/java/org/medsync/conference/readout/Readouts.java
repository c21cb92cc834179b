package org.medsync.conference.readout;

import org.medsync.conference.protocol.ServerMessage;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The readouts of one server, in memory (a readout lasts until the server restarts). */
public final class Readouts {
    private final Map<String, Readout> byId = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private final int maxReadouts;
    private final int maxWorklist;
    private final int chatLimit;

    public Readouts(Clock clock, int maxReadouts, int maxWorklist, int chatLimit) {
        this.clock = clock;
        this.maxReadouts = maxReadouts;
        this.maxWorklist = maxWorklist;
        this.chatLimit = chatLimit;
    }

    public Readout create(String title, String createdBy, List<ServerMessage.WorklistItem> worklist) {
        if (worklist.isEmpty() || worklist.size() > maxWorklist) {
            throw new IllegalArgumentException("a worklist has 1 to " + maxWorklist + " studies");
        }
        if (byId.size() >= maxReadouts) {
            throw new IllegalStateException("the server already holds " + maxReadouts + " readouts");
        }
        byte[] raw = new byte[12];
        random.nextBytes(raw);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Readout r = new Readout(id, title, createdBy, clock.instant(), worklist, chatLimit);
        byId.put(id, r);
        return r;
    }

    /** Whether a guest admitted by an invite may see this study: only the worklists of readouts they joined. */
    public boolean guestMaySee(String guest, String source, String studyUid) {
        for (Readout r : byId.values()) {
            if (r.isAdmitted(guest)) {
                for (ServerMessage.WorklistItem w : r.worklist()) {
                    if (w.source().equals(source) && w.studyInstanceUid().equals(studyUid)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    public Optional<Readout> find(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(byId.get(id));
    }
}
