package org.medsync.conference.readout;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medsync.conference.floor.Floor;
import org.medsync.conference.protocol.ServerMessage;
import org.medsync.conference.protocol.ViewSnapshot;

/**
 * One readout as its home node runs it: its worklist, who is in it, the floor, the chat history and the
 * driver's latest view. All mutation happens under {@link #lock()} (held by the signaling hub while it handles
 * one message), so the floor, the roster and what is broadcast change together.
 */
public final class Readout {
    /** A participant as the server sees it; peer ids are assigned here and never reused within a readout. */
    public static final class Participant {
        public final int peer;
        public final String username;
        public final String name;
        public final ReadoutRole role;
        /** Admitted by an invite, without an account: shown as a guest to everyone. */
        public final boolean guest;

        int worklistIndex = -1;
        boolean ready;
        boolean following = true;
        boolean muted;

        Participant(int peer, String username, String name, ReadoutRole role, boolean guest) {
            this.peer = peer;
            this.username = username;
            this.name = name;
            this.role = role;
            this.guest = guest;
        }

        public ServerMessage.Peer wire() {
            return new ServerMessage.Peer(peer, name, role.wireName(), worklistIndex, ready, following, muted, guest);
        }
    }

    private final Object lock = new Object();
    private final String id;
    private final String title;
    private final String createdBy;
    private final Instant created;
    private final List<ServerMessage.WorklistItem> worklist;
    private final int chatLimit;
    private final Floor floor = new Floor();
    private final Map<Integer, Participant> participants = new LinkedHashMap<>();
    private final Deque<ChatLine> chat = new ArrayDeque<>();
    private int nextPeer = 1;
    private long nextChat = 1;
    private int worklistIndex;
    private ViewSnapshot snapshot;

    public Readout(
            String id,
            String title,
            String createdBy,
            Instant created,
            List<ServerMessage.WorklistItem> worklist,
            int chatLimit) {
        if (worklist.isEmpty()) {
            throw new IllegalArgumentException("a readout needs at least one study");
        }
        this.id = id;
        this.title = title;
        this.createdBy = createdBy;
        this.created = created;
        this.worklist = List.copyOf(worklist);
        this.chatLimit = chatLimit;
    }

    public Object lock() {
        return lock;
    }

    public String id() {
        return id;
    }

    public String title() {
        return title;
    }

    public String createdBy() {
        return createdBy;
    }

    public Instant created() {
        return created;
    }

    public List<ServerMessage.WorklistItem> worklist() {
        return worklist;
    }

    public Floor floor() {
        return floor;
    }

    // --- under lock ---

    public Participant join(String username, String name, ReadoutRole role, boolean guest) {
        Participant p = new Participant(nextPeer++, username, name, role, guest);
        participants.put(p.peer, p);
        return p;
    }

    public Participant leave(int peer) {
        return participants.remove(peer);
    }

    public Participant participant(int peer) {
        return participants.get(peer);
    }

    public Collection<Participant> participants() {
        return participants.values();
    }

    public int size() {
        return participants.size();
    }

    public ServerMessage.Roster roster() {
        List<ServerMessage.Peer> peers = new ArrayList<>();
        for (Participant p : participants.values()) {
            peers.add(p.wire());
        }
        return new ServerMessage.Roster(peers);
    }

    public void status(int peer, int index, boolean ready, boolean following, boolean muted) {
        Participant p = participants.get(peer);
        if (p != null) {
            p.worklistIndex = index;
            p.ready = ready;
            p.following = following;
            p.muted = muted;
        }
    }

    /**
     * A chat line, and whether a student or observer read along when it was written: only then did its writer
     * see the warning that de-identified participants read the chat (docs/security.md).
     */
    private record ChatLine(ServerMessage.Chat chat, boolean deidentifiedReaderPresent) {}

    /** Keeps a chat line stamped with its sender's name, role and guest mark as the server knows them. */
    public ServerMessage.Chat addChat(Participant from, long timeMillis, String text) {
        ServerMessage.Chat c = new ServerMessage.Chat(
                nextChat++, from.peer, from.name, timeMillis, text, from.role.wireName(), from.guest);
        boolean warned = participants.values().stream().anyMatch(q -> q.role.seesDeidentified());
        chat.addLast(new ChatLine(c, warned));
        while (chat.size() > chatLimit) {
            chat.removeFirst();
        }
        return c;
    }

    /**
     * The chat history a newcomer of {@code role} receives. A de-identified newcomer gets only the lines written
     * while a student or observer was already there: the others were written for clinicians alone, without
     * the warning, and may name the patient.
     */
    public List<ServerMessage.Chat> chatHistoryFor(ReadoutRole role) {
        return chat.stream()
                .filter(l -> !role.seesDeidentified() || l.deidentifiedReaderPresent())
                .map(ChatLine::chat)
                .toList();
    }

    public int worklistIndex() {
        return worklistIndex;
    }

    public void moveTo(int index) {
        if (index < 0 || index >= worklist.size()) {
            throw new IllegalArgumentException("worklist index " + index);
        }
        if (index != worklistIndex) {
            snapshot = null;
        }
        worklistIndex = index;
    }

    /** The driver's latest full view on the current worklist entry, as it encoded it (null: none yet). */
    public ViewSnapshot snapshot() {
        return snapshot;
    }

    public void snapshot(ViewSnapshot full) {
        this.snapshot = full;
    }

    public ServerMessage.Floor floorMessage() {
        Floor.State s = floor.state();
        return new ServerMessage.Floor(s.epoch(), s.holder(), s.requests());
    }
}
