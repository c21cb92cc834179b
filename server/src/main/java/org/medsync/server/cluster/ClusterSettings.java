package org.medsync.server.cluster;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import org.medsync.library.secrets.Secrets;

/**
 * Cluster settings (docs/configuration.md, "Several nodes"). Without {@code cluster.redis-url} the server is a
 * single node: every readout runs in this process.
 */
public record ClusterSettings(URI redisUrl, String nodeName, Duration nodeTtl) {

    public ClusterSettings {
        if (redisUrl != null
                && !(redisUrl.getScheme() != null
                        && redisUrl.getScheme().matches("rediss?")
                        && redisUrl.getHost() != null)) {
            throw new IllegalArgumentException(
                    "cluster.redis-url must look like redis://host:6379 (or rediss:// for TLS)");
        }
        if (!nodeName.matches("[A-Za-z0-9._-]{1,40}")) {
            throw new IllegalArgumentException("cluster.node-name must be 1-40 of A-Z a-z 0-9 . _ -");
        }
        if (nodeTtl.toMillis() < 1500 || nodeTtl.toSeconds() > 300) {
            throw new IllegalArgumentException("cluster.node-ttl-seconds must be 2..300");
        }
    }

    public boolean enabled() {
        return redisUrl != null;
    }

    public static ClusterSettings from(Properties p) {
        String url = p.getProperty("cluster.redis-url", "").trim();
        String name = p.getProperty("cluster.node-name", "").trim();
        String ttl = p.getProperty("cluster.node-ttl-seconds", "").trim();
        long seconds;
        try {
            seconds = ttl.isEmpty() ? 6 : Long.parseLong(ttl);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cluster.node-ttl-seconds must be a whole number, not '" + ttl + "'");
        }
        return new ClusterSettings(
                url.isEmpty() ? null : URI.create(url),
                name.isEmpty() ? hostName() : name,
                Duration.ofSeconds(seconds));
    }

    private static String hostName() {
        try {
            String h = InetAddress.getLocalHost()
                    .getHostName()
                    .toLowerCase(Locale.ROOT)
                    .replaceAll("[^a-z0-9._-]", "-");
            return h.isEmpty() ? "node" : h.substring(0, Math.min(40, h.length()));
        } catch (UnknownHostException e) {
            return "node";
        }
    }

    /** Without a password in the Redis URL (see {@link Secrets}). */
    @Override
    public String toString() {
        return Secrets.recordString(this);
    }
}
