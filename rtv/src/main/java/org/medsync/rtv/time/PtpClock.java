package org.medsync.rtv.time;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.medsync.ptp.clock.ManagementTransport;
import org.medsync.ptp.clock.PtpMonitor;
import org.medsync.ptp.clock.PtpStatus;
import org.medsync.sdp.TsRefClk;

/**
 * A device's view of its time source. ptp4l (and phc2sys with hardware timestamping) keeps the host
 * clock on the grandmaster, so frames are aligned on the host clock as before; this class watches
 * ptp4l through its management socket, says in the SDP which clock the timestamps follow, and raises
 * {@code ptp-unlocked} when lock is lost ({@code ptp-locked} when it returns). Without PTP settings
 * the device is free-running and says so with its own MAC.
 */
public final class PtpClock implements AutoCloseable {

    /** Alert code while not locked. */
    public static final String UNLOCKED = "ptp-unlocked";
    /** Alert code when lock returns. */
    public static final String LOCKED = "ptp-locked";

    private final BiConsumer<String, String> alerts;
    private final Runnable onChange;
    private PtpMonitor monitor;
    private volatile Optional<String> activeAlert = Optional.empty();
    private volatile boolean everLocked;

    /**
     * @param alerts   receives (code, message) of every lock change, from the monitor's thread
     * @param onChange runs after every lock change (the SDP changes with it)
     */
    public PtpClock(BiConsumer<String, String> alerts, Runnable onChange) {
        this.alerts = alerts;
        this.onChange = onChange;
    }

    /** Watches ptp4l with these settings from now on, or nothing (free-running). */
    public synchronized void use(Optional<PtpMonitor.Settings> settings) {
        if (monitor != null && settings.isPresent() && monitor.settings().equals(settings.get())) {
            return;
        }
        if (monitor != null) {
            monitor.close();
            monitor = null;
        }
        activeAlert = Optional.empty();
        everLocked = false;
        settings.ifPresent(s -> monitor = new PtpMonitor(s, ManagementTransport::unixSocket, this::changed).start());
    }

    public synchronized Optional<PtpMonitor.Settings> settings() {
        return Optional.ofNullable(monitor).map(PtpMonitor::settings);
    }

    /** The last verdict; empty when PTP is not configured. */
    public synchronized Optional<PtpStatus> status() {
        return Optional.ofNullable(monitor).map(PtpMonitor::status);
    }

    /** The unlocked alert's message while it lasts. */
    public Optional<String> activeAlert() {
        return activeAlert;
    }

    private void changed(PtpStatus s) {
        if (s.locked()) {
            if (activeAlert.isPresent() || !everLocked) {
                alerts.accept(
                        LOCKED,
                        "locked to grandmaster "
                                + s.grandmaster().map(g -> g.eui64()).orElse("?") + " in domain " + s.domain());
            }
            activeAlert = Optional.empty();
            everLocked = true;
        } else {
            String m = "not locked to a PTP grandmaster: " + s.reason();
            activeAlert = Optional.of(m);
            alerts.accept(UNLOCKED, m);
        }
        onChange.run();
    }

    /**
     * What the SDP says the RTP timestamps follow: the grandmaster and domain while locked, else this
     * sender's own MAC (RFC 7273 localmac) on {@code iface}.
     */
    public TsRefClk refClk(String sourceAddress, String iface) {
        Optional<PtpStatus> s = status();
        if (s.isPresent() && s.get().locked() && s.get().grandmaster().isPresent()) {
            return TsRefClk.Ptp.ieee1588(
                    s.get().grandmaster().get().eui64(), s.get().domain());
        }
        return new TsRefClk.LocalMac(mac(sourceAddress, iface));
    }

    /**
     * The MAC of the interface holding {@code sourceAddress}, else of {@code iface}; loopback has none,
     * and its all-zero address is what we then say.
     */
    static String mac(String sourceAddress, String iface) {
        byte[] hw = null;
        try {
            NetworkInterface n = sourceAddress == null
                    ? null
                    : NetworkInterface.getByInetAddress(InetAddress.getByName(sourceAddress));
            if (n == null && iface != null) {
                n = NetworkInterface.getByName(iface);
            }
            hw = n == null ? null : n.getHardwareAddress();
        } catch (SocketException | UnknownHostException e) {
            // no such interface here: fall through to the all-zero address
        }
        if (hw == null || hw.length != 6) {
            hw = new byte[6];
        }
        StringBuilder b = new StringBuilder(17);
        for (int i = 0; i < 6; i++) {
            if (i > 0) {
                b.append('-');
            }
            b.append(String.format("%02X", hw[i]));
        }
        return b.toString();
    }

    @Override
    public synchronized void close() {
        use(Optional.empty());
    }
}
