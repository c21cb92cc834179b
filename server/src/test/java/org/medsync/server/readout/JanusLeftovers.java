package org.medsync.server.readout;

/** Janus processes this JVM started and did not stop (a test that died half-way): killed, so none outlives the tests. */
final class JanusLeftovers {
    private JanusLeftovers() {}

    static void kill() {
        ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/janus")).orElse(false))
                .forEach(p -> {
                    System.err.println("killing a leftover Janus, pid " + p.pid());
                    p.destroyForcibly();
                });
    }
}
