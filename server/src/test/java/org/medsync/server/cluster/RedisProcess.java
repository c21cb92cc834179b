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
    private Process process;
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
        RedisProcess r = new RedisProcess(launch(dir, port), dir, port);
        try {
            r.awaitPong();
        } catch (Exception e) {
            r.close();
            throw e;
        }
        return r;
    }

    /** Stops Redis and starts it again on the same port, empty (no persistence): what a broker restart does. */
    public void restart() throws Exception {
        stop();
        startAgain();
    }

    /** Starts a stopped Redis again on the same port, empty. */
    public void startAgain() throws Exception {
        process = launch(dir, port);
        awaitPong();
    }

    private static Process launch(Path dir, int port) throws IOException {
        return new ProcessBuilder(
                        "/usr/bin/redis-server",
                        "--port",
                        String.valueOf(port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--dir",
                        dir.toString(),
                        "--daemonize",
                        "no")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("redis.log").toFile()))
                .start();
    }

    private void awaitPong() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited: " + Files.readString(dir.resolve("redis.log")));
            }
            try (Jedis j = new Jedis(url())) {
                if ("PONG".equals(j.ping())) {
                    return;
                }
            } catch (RuntimeException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("redis-server did not answer within 30 s");
    }

    public URI url() {
        return URI.create("redis://127.0.0.1:" + port);
    }

    /** Stops Redis (SIGTERM), as an outage would; {@link #startAgain} brings it back. */
    public void stop() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        stop();
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
