package org.medsync.server.readout;

import java.util.List;

/** Janus processes this JVM started and did not stop (a test that died half-way): killed, so none outlives the tests. */
final class JanusLeftovers {
    private JanusLeftovers() {}

    /** Kills them; returns how many there were. */
    static int kill() {
        List<ProcessHandle> janus = ProcessHandle.current()
                .descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/janus")).orElse(false))
                .toList();
        for (ProcessHandle p : janus) {
            System.err.println("killing a leftover Janus, pid " + p.pid());
            p.destroyForcibly();
        }
        return janus.size();
    }
}
