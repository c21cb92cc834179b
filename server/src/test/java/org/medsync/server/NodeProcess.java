package org.medsync.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A MedSync node in a JVM of its own (a separate OS process), for the cluster tests: {@link #main} starts a
 * {@link TestServer} with the given settings, prints its HTTP address and runs until its standard input closes.
 * Nothing is shared with the test's JVM but what real nodes share: the database, the study store and Redis.
 */
public final class NodeProcess implements AutoCloseable {
    private static final String READY = "medsync-node http=";
    private final Process process;
    private final URI http;

    private NodeProcess(Process process, URI http) {
        this.process = process;
        this.http = http;
    }

    public static NodeProcess start(Properties settings) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx1g",
                "-cp",
                System.getProperty("java.class.path"),
                NodeProcess.class.getName()));
        settings.forEach((k, v) -> command.add(k + "=" + v));
        Process p = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        CompletableFuture<URI> ready = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("node-process-out").start(() -> {
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith(READY)) {
                        ready.complete(URI.create(line.substring(READY.length()).trim()));
                    } else {
                        System.out.println("[node process] " + line);
                    }
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
            ready.completeExceptionally(new IllegalStateException(
                    "the node process exited with " + p.onExit().join().exitValue()));
        });
        try {
            return new NodeProcess(p, ready.get(180, TimeUnit.SECONDS));
        } catch (TimeoutException e) {
            p.destroyForcibly();
            throw new IllegalStateException("the node process did not start within 180 s", e);
        }
    }

    public static void main(String[] args) throws Exception {
        Properties p = new Properties();
        for (String a : args) {
            int eq = a.indexOf('=');
            p.setProperty(a.substring(0, eq), a.substring(eq + 1));
        }
        try (TestServer server = TestServer.start(false, p)) {
            System.out.println(READY + server.http());
            System.out.flush();
            while (System.in.read() != -1) {
                // runs until the test closes our standard input
            }
        }
        System.exit(0);
    }

    public URI http() {
        return http;
    }

    public long pid() {
        return process.pid();
    }

    /** Kills the node as kill -9 does (SIGKILL): no shutdown hook, no cleanup, and waits until it is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /**
     * Closes the node's standard input: it stops cleanly (says goodbye to the cluster); killed after 30 s, or at once
     * when interrupted (the interrupt is kept for the caller).
     */
    @Override
    public void close() throws IOException {
        process.getOutputStream().close();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
