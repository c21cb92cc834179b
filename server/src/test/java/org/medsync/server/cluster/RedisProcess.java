package org.medsync.server.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;

import redis.clients.jedis.Jedis;

/** A real Redis (Debian's redis-server) on a free loopback port, without persistence, for one test class. */
public final class RedisProcess implements AutoCloseable {
    private final Process process;
    private final Path dir;
    private final int port;

    private RedisProcess(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    public static boolean installed() {
        return Files.isExecutable(Path.of("/usr/bin/redis-server"));
    }

    public static RedisProcess start() throws Exception {
        Path dir = Files.createTempDirectory("medsync-redis-");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Process p = new ProcessBuilder("/usr/bin/redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no")
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        RedisProcess r = new RedisProcess(p, dir, port);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                String log = Files.readString(dir.resolve("redis.log"));
                r.close();
                throw new IllegalStateException("redis-server exited: " + log);
            }
            try (Jedis j = new Jedis(r.url())) {
                if ("PONG".equals(j.ping())) {
                    return r;
                }
            } catch (RuntimeException notYet) {
                Thread.sleep(100);
            }
        }
        r.close();
        throw new IllegalStateException("redis-server did not answer within 30 s");
    }

    public URI url() {
        return URI.create("redis://127.0.0.1:" + port);
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
