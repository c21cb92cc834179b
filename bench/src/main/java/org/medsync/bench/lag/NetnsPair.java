package org.medsync.bench.lag;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The two network namespaces bench/native/netns-pair.sh made for this run: this JVM runs in A (server and
 * driver), the follower runs in B, joined by one veth link. Commands for B go through {@code ip netns exec}.
 */
record NetnsPair(String nsA, String nsB, String devA, String addrA, String addrB) {

    static NetnsPair fromEnvironment() {
        Map<String, String> env = System.getenv();
        String a = env.get("LAG_NS_A");
        String b = env.get("LAG_NS_B");
        if (a == null || b == null) {
            throw new IllegalStateException(
                    "the lag benchmark runs inside a namespace pair: start it with `scripts/bench lag`"
                            + " (bench/native/netns-pair.sh), as root");
        }
        return new NetnsPair(a, b, env.get("LAG_DEV_A"), env.get("LAG_ADDR_A"), env.get("LAG_ADDR_B"));
    }

    /** A command line that runs {@code command} in namespace B. */
    List<String> inB(String... command) {
        List<String> out = new ArrayList<>(List.of("ip", "netns", "exec", nsB));
        out.addAll(List.of(command));
        return out;
    }

    /** Runs a short command to completion; a non-zero exit is an error carrying its output. */
    static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        if (rc != 0) {
            throw new IOException(String.join(" ", command) + " exited with " + rc + ": " + out.strip());
        }
        return out;
    }
}
