package org.medsync.archive.store;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * A real S3 server for tests: s3proxy in this JVM, jclouds' filesystem backend in a fresh directory, on 127.0.0.1 at
 * a free port, with AWS signature v2/v4 authentication (the SDK signs as it would against AWS).
 */
public final class S3ProxyServer implements AutoCloseable {
    static final String ACCESS_KEY = "medsync-test";
    static final String SECRET_KEY = "medsync-test-secret-0123456789";

    private final Path dir;
    private final BlobStoreContext context;
    private final S3Proxy proxy;

    public S3ProxyServer() throws Exception {
        dir = Files.createTempDirectory("medsync-s3proxy-");
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", dir.toString());
        context = ContextBuilder.newBuilder("filesystem")
                .credentials(ACCESS_KEY, SECRET_KEY)
                .overrides(properties)
                .build(BlobStoreContext.class);
        proxy = S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
            }
            Thread.sleep(10);
        }
    }

    /** Where the backend keeps the buckets' bytes: what a storage provider holds. */
    Path dir() {
        return dir;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    public S3ObjectStore.Settings settings(String bucket, long partSize) {
        return new S3ObjectStore.Settings(endpoint(), "us-east-1", bucket, ACCESS_KEY, SECRET_KEY, partSize, true);
    }

    @Override
    public void close() throws IOException {
        try {
            proxy.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IOException("s3proxy did not stop", e);
        } finally {
            context.close();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }
}
