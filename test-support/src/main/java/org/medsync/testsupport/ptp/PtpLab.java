package org.medsync.testsupport.ptp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Two real ptp4l instances, a grandmaster and a client, in two network namespaces joined by a veth
 * pair, software timestamping, ST 2059-2 message rates. The client runs {@code free_running 1}: it
 * measures its offset but never steps or slews the host clock the namespaces share. Namespace names
 * are unique per lab; {@link #close} (and a shutdown hook, should the JVM die first) removes them.
 * Needs root, iproute2 and linuxptp ({@link #unavailable}).
 */
public final class PtpLab implements AutoCloseable {

    private static final Path PTP4L = Path.of("/usr/sbin/ptp4l");
    private static final Path PMC = Path.of("/usr/sbin/pmc");

    private final Path dir;
    private final int domain;
    private final String gmNs;
    private final String clientNs;
    private final String gmIf;
    private final String clientIf;
    private final Thread cleanup;
    private Process grandmaster;
    private Process client;

    /** Why a lab cannot run here, or empty when it can. */
    public static Optional<String> unavailable() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of(
                    "PTP lab needs root (network namespaces); running as " + System.getProperty("user.name"));
        }
        if (!Files.isExecutable(PTP4L) || !Files.isExecutable(PMC)) {
            return Optional.of("ptp4l/pmc missing: apt-get install linuxptp (scripts/setup --test does)");
        }
        if (!Files.isExecutable(Path.of("/usr/sbin/ip")) && !Files.isExecutable(Path.of("/usr/bin/ip"))) {
            return Optional.of("ip (iproute2) missing");
        }
        return Optional.empty();
    }

    private PtpLab(Path dir, int domain) {
        this.dir = dir;
        this.domain = domain;
        String id = HexFormat.of()
                .toHexDigits(ThreadLocalRandom.current().nextInt())
                .substring(0, 6);
        this.gmNs = "msptp-gm-" + id;
        this.clientNs = "msptp-cl-" + id;
        this.gmIf = "mspg" + id;
        this.clientIf = "mspc" + id;
        this.cleanup = new Thread(this::removeNamespaces, "ptp-lab-cleanup");
    }

    /** Creates the namespaces and starts both ptp4l. */
    public static PtpLab start(Path dir, int domain) throws IOException, InterruptedException {
        PtpLab lab = new PtpLab(dir, domain);
        Runtime.getRuntime().addShutdownHook(lab.cleanup);
        try {
            lab.network();
            lab.startGrandmaster();
            lab.client = lab.ptp4l(lab.clientNs, lab.clientIf, "client", "slaveOnly 1\nfree_running 1\n");
            return lab;
        } catch (IOException | InterruptedException | RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    private void network() throws IOException, InterruptedException {
        ip("netns", "add", gmNs);
        ip("netns", "add", clientNs);
        ip("link", "add", gmIf, "type", "veth", "peer", "name", clientIf);
        ip("link", "set", gmIf, "netns", gmNs);
        ip("link", "set", clientIf, "netns", clientNs);
        ip("-n", gmNs, "addr", "add", "10.211.0.1/30", "dev", gmIf);
        ip("-n", clientNs, "addr", "add", "10.211.0.2/30", "dev", clientIf);
        ip("-n", gmNs, "link", "set", gmIf, "up");
        ip("-n", clientNs, "link", "set", clientIf, "up");
    }

    public void startGrandmaster() throws IOException {
        if (grandmaster == null || !grandmaster.isAlive()) {
            grandmaster = ptp4l(gmNs, gmIf, "grandmaster", "priority1 100\n");
        }
    }

    /** Kills the grandmaster (SIGKILL: it falls silent, as a failing one would). */
    public void stopGrandmaster() throws InterruptedException {
        if (grandmaster != null) {
            grandmaster.destroyForcibly();
            grandmaster.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private Process ptp4l(String ns, String iface, String name, String extra) throws IOException {
        Path cfg = dir.resolve(name + ".cfg");
        Files.writeString(
                cfg,
                "[global]\ndomainNumber " + domain + "\nlogSyncInterval -3\nlogAnnounceInterval -2\n"
                        + "announceReceiptTimeout 3\nlogMinDelayReqInterval -3\ntime_stamping software\n"
                        + "uds_address " + socket(name) + "\n" + extra);
        return new ProcessBuilder("ip", "netns", "exec", ns, PTP4L.toString(), "-f", cfg.toString(), "-i", iface, "-m")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve(name + ".log").toFile()))
                .start();
    }

    private Path socket(String name) {
        return dir.resolve("ptp4l-" + name);
    }

    public Path clientSocket() {
        return socket("client");
    }

    public Path grandmasterSocket() {
        return socket("grandmaster");
    }

    public int domain() {
        return domain;
    }

    /** linuxptp's own pmc against one ptp4l: its text answer, for comparing with ours. */
    public String pmc(Path socket, String... commands) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(
                List.of(PMC.toString(), "-u", "-b", "0", "-d", Integer.toString(domain), "-s", socket.toString()));
        cmd.addAll(List.of(commands));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("pmc did not finish in 10 s");
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    /** Both logs, for a failing test's message. */
    public String logs() {
        StringBuilder b = new StringBuilder();
        for (String n : List.of("grandmaster", "client")) {
            try {
                b.append("--- ").append(n).append(" ---\n").append(Files.readString(dir.resolve(n + ".log")));
            } catch (IOException e) {
                b.append("(no ").append(n).append(" log)\n");
            }
        }
        return b.toString();
    }

    private static void ip(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " failed: " + out.strip());
        }
    }

    private void removeNamespaces() {
        for (Process p : new Process[] {grandmaster, client}) {
            if (p != null) {
                p.destroyForcibly();
                try {
                    p.waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        for (String ns : List.of(gmNs, clientNs)) {
            try {
                // deleting a namespace deletes the veth end inside it, and with it the pair
                ip("netns", "del", ns);
            } catch (IOException | InterruptedException e) {
                // not created (a failed start) or already gone
            }
        }
    }

    @Override
    public void close() {
        removeNamespaces();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException e) {
            // the JVM is shutting down and the hook runs anyway
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // the test's temp folder is removed by JUnit as well
        }
    }

    /** How long a lock takes to appear after start, on a loaded 2-core host. */
    public static final Duration LOCK_WAIT = Duration.ofSeconds(20);
}
