package org.medsync.ptp.clock;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.medsync.ptp.management.ClockIdentity;
import org.medsync.ptp.management.DataSet;
import org.medsync.ptp.management.ManagementId;
import org.medsync.ptp.management.ManagementMessage;
import org.medsync.ptp.management.PortIdentity;
import org.medsync.ptp.management.PortState;
import org.medsync.ptp.management.PtpFormatException;

/**
 * Asks a ptp4l for its data sets every {@code poll} and judges whether the host clock is locked to a
 * grandmaster. Lock is lost when the port leaves SLAVE/UNCALIBRATED, the grandmaster disappears, the
 * offset exceeds the tolerance, or no new Sync arrived for 1.5 Sync intervals (at least 500 ms): the
 * last catches a silent grandmaster long before ptp4l's own announce timeout. Listeners hear every
 * change of the lock state, from the monitor's thread.
 */
public final class PtpMonitor implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(PtpMonitor.class.getName());
    private static final Duration ANSWER_TIMEOUT = Duration.ofMillis(300);

    /**
     * @param socket   ptp4l's {@code uds_address}
     * @param domain   the PTP domain ptp4l runs in (its management answers only that domain)
     * @param tolerance largest |offset from master| still counted as locked
     */
    public record Settings(Path socket, int domain, Duration poll, Duration tolerance) {
        public static final Path DEFAULT_SOCKET = Path.of("/var/run/ptp4l");

        public Settings {
            Objects.requireNonNull(socket, "socket");
            if (domain < 0 || domain > 127) {
                throw new IllegalArgumentException("PTP domain " + domain + " is not 0..127");
            }
            if (poll.isNegative() || poll.isZero() || tolerance.isNegative()) {
                throw new IllegalArgumentException("poll must be positive and tolerance not negative");
            }
        }

        /** ST 2059-2's default domain is 127; poll 4 times a second, lock within 1 ms. */
        public static Settings of(Path socket, int domain) {
            return new Settings(socket, domain, Duration.ofMillis(250), Duration.ofMillis(1));
        }
    }

    /** Opens a transport; {@link ManagementTransport#unixSocket} in production. */
    public interface Opener {
        ManagementTransport open(Path socket) throws IOException;
    }

    private final Settings settings;
    private final Opener opener;
    private final Consumer<PtpStatus> onChange;
    private final PortIdentity self;
    private final Thread thread;
    private volatile PtpStatus status;
    private volatile boolean closed;
    private ManagementTransport transport;
    private int sequence;
    private long lastIngress = Long.MIN_VALUE;
    private long ingressSeenAt;

    public PtpMonitor(Settings settings, Opener opener, Consumer<PtpStatus> onChange) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.opener = Objects.requireNonNull(opener, "opener");
        this.onChange = Objects.requireNonNull(onChange, "onChange");
        // pmc identifies itself by a port number from its process id; any number tells our answers apart
        this.self = new PortIdentity(
                new ClockIdentity(0), ThreadLocalRandom.current().nextInt(1, 0xFFFF));
        this.status = PtpStatus.unavailable("not asked yet", settings.domain(), Instant.now());
        this.thread = Thread.ofPlatform().daemon().name("ptp-monitor").unstarted(this::run);
    }

    public PtpMonitor start() {
        thread.start();
        return this;
    }

    public Settings settings() {
        return settings;
    }

    public PtpStatus status() {
        return status;
    }

    private void run() {
        boolean wasLocked = false;
        boolean first = true;
        while (!closed) {
            PtpStatus s = poll();
            status = s;
            if (first || s.locked() != wasLocked) {
                try {
                    onChange.accept(s);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "PTP lock listener failed", e);
                }
                wasLocked = s.locked();
                first = false;
            }
            try {
                Thread.sleep(settings.poll());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One round of GETs and the verdict; never throws. */
    PtpStatus poll() {
        Instant now = Instant.now();
        try {
            if (transport == null) {
                transport = opener.open(settings.socket());
            }
            Map<ManagementId, DataSet> sets = new EnumMap<>(ManagementId.class);
            for (ManagementId id : ManagementId.values()) {
                DataSet d = ask(id);
                if (d == null) {
                    return PtpStatus.unavailable(
                            "no answer from ptp4l at " + settings.socket() + " for " + id + " in domain "
                                    + settings.domain() + " (is ptp4l running, in that domain?)",
                            settings.domain(),
                            now);
                }
                if (d instanceof DataSet.Error e) {
                    return PtpStatus.unavailable(
                            String.format("ptp4l refused %s: error 0x%04X %s", id, e.errorId(), e.displayData()),
                            settings.domain(),
                            now);
                }
                sets.put(id, d);
            }
            return judge(
                    (DataSet.Default) sets.get(ManagementId.DEFAULT_DATA_SET),
                    (DataSet.Parent) sets.get(ManagementId.PARENT_DATA_SET),
                    (DataSet.Port) sets.get(ManagementId.PORT_DATA_SET),
                    (DataSet.TimeStatus) sets.get(ManagementId.TIME_STATUS_NP),
                    System.nanoTime(),
                    now);
        } catch (IOException e) {
            if (transport != null) {
                transport.close();
                transport = null;
            }
            return PtpStatus.unavailable(e.getMessage(), settings.domain(), now);
        }
    }

    private DataSet ask(ManagementId id) throws IOException {
        int seq = sequence++ & 0xFFFF;
        transport.send(ManagementMessage.get(id, settings.domain(), self, seq));
        long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            Optional<byte[]> d = transport.receive(Duration.ofNanos(left));
            if (d.isEmpty()) {
                return null;
            }
            try {
                ManagementMessage m = ManagementMessage.decode(d.get());
                // answers to an earlier, timed-out question, or a second port's answer, are skipped
                if (m.sequenceId() == seq && m.action() == ManagementMessage.Action.RESPONSE) {
                    return m.body();
                }
            } catch (PtpFormatException e) {
                LOG.log(System.Logger.Level.WARNING, "ptp4l answered garbage: {0}", e.getMessage());
            }
        }
    }

    PtpStatus judge(
            DataSet.Default def,
            DataSet.Parent parent,
            DataSet.Port port,
            DataSet.TimeStatus time,
            long nanoTime,
            Instant now) {
        if (time.ingressTimeNanos() != lastIngress) {
            lastIngress = time.ingressTimeNanos();
            ingressSeenAt = nanoTime;
        }
        ClockIdentity gm = parent.grandmasterIdentity();
        PortState state = port.portState();
        Optional<ClockIdentity> gmOpt = Optional.of(gm);
        boolean selfGm = gm.equals(def.clockIdentity());
        if (selfGm && (state == PortState.MASTER || state == PortState.GRAND_MASTER)) {
            return new PtpStatus(true, "", gmOpt, def.domainNumber(), Optional.of(0L), Optional.of(state), now);
        }
        long offset = time.masterOffsetNanos();
        long syncNanos = Math.round(Math.pow(2, port.logSyncInterval()) * 1e9);
        long staleAfter = Math.max(500_000_000L, syncNanos * 3 / 2);
        String reason;
        if (state != PortState.SLAVE && state != PortState.UNCALIBRATED) {
            reason = "port " + state + ", not following a grandmaster";
        } else if (!time.gmPresent()) {
            reason = "no grandmaster present";
        } else if (nanoTime - ingressSeenAt > staleAfter) {
            reason = "no Sync from grandmaster " + gm + " for " + (nanoTime - ingressSeenAt) / 1_000_000 + " ms";
        } else if (Math.abs(offset) > settings.tolerance().toNanos()) {
            reason = "offset " + offset + " ns exceeds the tolerance of "
                    + settings.tolerance().toNanos() + " ns";
        } else {
            reason = "";
        }
        return new PtpStatus(
                reason.isEmpty(), reason, gmOpt, def.domainNumber(), Optional.of(offset), Optional.of(state), now);
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (transport != null) {
            transport.close();
        }
    }
}
