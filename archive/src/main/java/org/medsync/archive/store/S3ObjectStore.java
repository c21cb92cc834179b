package org.medsync.archive.store;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.ObjectLockRetention;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRetentionRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Objects in an S3-compatible bucket under {@code objects/ab/cd/<sha256>} (the layout of {@link FileObjectStore}, so
 * a bucket can be filled from a directory with a plain copy). Several nodes share one bucket: a key names its content,
 * so concurrent puts of the same bytes write the same object and no coordination is needed.
 *
 * <p>A put hashes the file first (the key must be known before the upload starts), then sends it in one request or,
 * above {@link Settings#partSize()}, as a multipart upload: S3 makes either visible only once complete, so a crash
 * leaves no partial object under a real key (at most an unfinished multipart upload, which a bucket lifecycle rule
 * aborts). The SDK is told to send and check checksums only where S3 requires them: s3proxy and several other
 * S3-compatible servers refuse the flexible-checksum headers of current SDKs (501 NotImplemented), and the key
 * already is the content's SHA-256.
 *
 * <p>With {@link ObjectLock} on (a bucket created with Object Lock, hence versioned), a put with a retain-until date
 * writes the object locked in that mode until then, and {@link #retain} extends the lock (PutObjectRetention) when
 * a recording's retention end moves later. S3 requires an integrity checksum on such requests: a single put sends
 * the SHA-256 it already computed for the key, a multipart upload lets the SDK compute one per part.
 */
public final class S3ObjectStore implements ObjectStore {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    /** S3's limits: at most 10,000 parts, each at least 5 MiB except the last. */
    private static final int MAX_PARTS = 10_000;

    static final long MIN_PART_SIZE = 5L << 20;

    /**
     * How objects are locked (S3 Object Lock, archive.s3.object-lock): COMPLIANCE, no one (not even the bucket's root
     * account) can delete or shorten the lock before it ends; GOVERNANCE, users with s3:BypassGovernanceRetention
     * can; OFF, objects are not locked.
     */
    public enum ObjectLock {
        OFF,
        GOVERNANCE,
        COMPLIANCE;

        /** From archive.s3.object-lock: {@code off}, {@code governance} or {@code compliance}. */
        public static ObjectLock parse(String text) {
            for (ObjectLock l : values()) {
                if (l.name().equalsIgnoreCase(text == null ? "" : text.strip())) {
                    return l;
                }
            }
            throw new IllegalArgumentException(
                    "archive.s3.object-lock is off, governance or compliance, not '" + text + "'");
        }

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Settings settings;
    private final S3Client s3;

    /**
     * Where the bucket is and how to reach it.
     *
     * @param endpoint the S3 endpoint (e.g. {@code http://127.0.0.1:9000}); null: AWS itself for {@code region}
     * @param partSize above this many bytes a put is a multipart upload of parts this size (at least 5 MiB)
     * @param createBucket create the bucket if it does not exist (embedded and test servers); off for a bucket
     *     provisioned by an operator, which then only needs object permissions
     * @param objectLock whether objects are written locked until their retention end (the bucket must have Object
     *     Lock enabled; archive.s3.object-lock)
     */
    public record Settings(
            URI endpoint,
            String region,
            String bucket,
            String accessKey,
            String secretKey,
            long partSize,
            boolean createBucket,
            ObjectLock objectLock) {
        public static final long DEFAULT_PART_SIZE = 64L << 20;

        /** Without Object Lock. */
        public Settings(
                URI endpoint,
                String region,
                String bucket,
                String accessKey,
                String secretKey,
                long partSize,
                boolean createBucket) {
            this(endpoint, region, bucket, accessKey, secretKey, partSize, createBucket, ObjectLock.OFF);
        }

        public Settings {
            Objects.requireNonNull(objectLock, "object lock (OFF for none)");
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(accessKey, "access key");
            Objects.requireNonNull(secretKey, "secret key");
            if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
                throw new IllegalArgumentException("not an S3 bucket name: '" + bucket + "'");
            }
            if (partSize < MIN_PART_SIZE) {
                throw new IllegalArgumentException("S3 parts are at least 5 MiB, not " + partSize + " bytes");
            }
        }

        /** The secret key is not part of the text form (logs, errors). */
        @Override
        public String toString() {
            return "s3://" + bucket + (endpoint == null ? " in " + region : " at " + endpoint);
        }
    }

    public S3ObjectStore(Settings settings) throws IOException {
        this.settings = settings;
        var builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(settings.accessKey(), settings.secretKey())))
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofMinutes(2))
                        .build())
                // Path-style (http://host/bucket/key): S3-compatible servers on a hospital network have no
                // wildcard DNS for virtual-host buckets.
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        this.s3 = builder.build();
        try {
            ensureBucket();
        } catch (IOException | RuntimeException e) {
            s3.close();
            throw e;
        }
    }

    private void ensureBucket() throws IOException {
        try {
            s3.headBucket(b -> b.bucket(settings.bucket()));
        } catch (S3Exception e) {
            if (e.statusCode() != 404 || !settings.createBucket()) {
                throw failure("bucket " + settings.bucket() + " is not usable", e);
            }
            try {
                s3.createBucket(b -> b.bucket(settings.bucket()));
            } catch (S3Exception created) {
                // Another node created it between our head and our create.
                if (!"BucketAlreadyOwnedByYou".equals(errorCode(created))) {
                    throw failure("cannot create bucket " + settings.bucket(), created);
                }
            } catch (SdkException created) {
                throw failure("cannot create bucket " + settings.bucket(), created);
            }
        } catch (SdkException e) {
            throw failure("cannot reach bucket " + settings.bucket(), e);
        }
    }

    @Override
    public StoredObject put(Path file) throws IOException {
        return put(file, null);
    }

    @Override
    public boolean locksObjects() {
        return settings.objectLock() != ObjectLock.OFF;
    }

    @Override
    public StoredObject put(Path file, Instant retainUntil) throws IOException {
        Instant lock = locksObjects() ? retainUntil : null;
        MessageDigest sha256 = FileObjectStore.sha256();
        long size = 0;
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
            for (int n; (n = in.read(buffer.clear())) > 0; ) {
                sha256.update(buffer.flip());
                size += n;
            }
        }
        return putHashed(file, new StoredObject(HexFormat.of().formatHex(sha256.digest()), size), lock);
    }

    /** The blob is streamed once; its SHA-256 is the writer's, not read again here. */
    @Override
    public StoredObject putKnown(Path file, StoredObject known, Instant retainUntil, boolean move) throws IOException {
        if (Files.size(file) != known.size()) {
            throw new IOException(
                    file + " has " + Files.size(file) + " bytes, not the " + known.size() + " of " + known);
        }
        StoredObject stored = putHashed(file, known, locksObjects() ? retainUntil : null);
        if (move) {
            Files.deleteIfExists(file);
        }
        return stored;
    }

    private StoredObject putHashed(Path file, StoredObject object, Instant lock) throws IOException {
        String hash = object.sha256();
        long size = object.size();
        String key = keyOf(hash);
        Optional<Long> existing = size(hash);
        if (existing.isPresent() && existing.get() == size) {
            // Stored before, perhaps for a recording kept less long: its lock must now last as long as ours.
            retain(hash, lock);
            return new StoredObject(hash, size);
        }
        try {
            if (size <= settings.partSize()) {
                s3.putObject(
                        putRequest(settings.bucket(), hash, settings.objectLock(), lock), RequestBody.fromFile(file));
            } else {
                putMultipart(file, key, size, lock);
            }
        } catch (SdkException e) {
            throw failure("cannot store " + hash, e);
        }
        // The file may have changed between hashing and sending; the stored size at least must match.
        long stored = size(hash).orElseThrow(() -> new IOException("object " + hash + " missing right after its put"));
        if (stored != size) {
            throw new IOException("object " + hash + " stored with " + stored + " bytes, expected " + size + ": " + file
                    + " changed while it was stored");
        }
        return new StoredObject(hash, size);
    }

    /**
     * The request of a single put: the object's SHA-256 as its S3 checksum (S3 verifies it, and requires one when
     * the object is locked) and, with a lock, its mode and retain-until date.
     */
    static PutObjectRequest putRequest(String bucket, String sha256, ObjectLock mode, Instant retainUntil) {
        PutObjectRequest.Builder b =
                PutObjectRequest.builder().bucket(bucket).key(keyOf(sha256)).contentType("application/octet-stream");
        if (mode != ObjectLock.OFF && retainUntil != null) {
            b.objectLockMode(ObjectLockMode.fromValue(mode.name()))
                    .objectLockRetainUntilDate(retainUntil)
                    .checksumSHA256(
                            Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256)));
        }
        return b.build();
    }

    /** The request that starts a multipart upload, locked like {@link #putRequest} and with SHA-256 part checksums. */
    static CreateMultipartUploadRequest createMultipartRequest(
            String bucket, String key, ObjectLock mode, Instant retainUntil) {
        CreateMultipartUploadRequest.Builder b =
                CreateMultipartUploadRequest.builder().bucket(bucket).key(key).contentType("application/octet-stream");
        if (mode != ObjectLock.OFF && retainUntil != null) {
            b.objectLockMode(ObjectLockMode.fromValue(mode.name()))
                    .objectLockRetainUntilDate(retainUntil)
                    .checksumAlgorithm(ChecksumAlgorithm.SHA256);
        }
        return b.build();
    }

    /** The request that extends an object's lock (PutObjectRetention). */
    static PutObjectRetentionRequest retentionRequest(String bucket, String sha256, ObjectLock mode, Instant until) {
        if (mode == ObjectLock.OFF) {
            throw new IllegalArgumentException("no retention request without Object Lock");
        }
        return PutObjectRetentionRequest.builder()
                .bucket(bucket)
                .key(keyOf(sha256))
                .retention(ObjectLockRetention.builder()
                        .mode(ObjectLockRetentionMode.fromValue(mode.name()))
                        .retainUntilDate(until)
                        .build())
                .build();
    }

    @Override
    public void retain(String sha256, Instant retainUntil) throws IOException {
        if (!locksObjects() || retainUntil == null) {
            return;
        }
        String key = keyOf(sha256);
        try {
            Instant current = null;
            try {
                var r = s3.getObjectRetention(b -> b.bucket(settings.bucket()).key(key));
                current = r.retention() == null ? null : r.retention().retainUntilDate();
            } catch (S3Exception e) {
                // No retention on the object yet (404 NoSuchObjectLockConfiguration): set one.
                if (e.statusCode() != 404) {
                    throw e;
                }
            }
            // A lock is only ever extended: in compliance mode S3 refuses to shorten one, and another recording
            // sharing the object may need the longer one.
            if (current == null || current.isBefore(retainUntil)) {
                s3.putObjectRetention(retentionRequest(settings.bucket(), sha256, settings.objectLock(), retainUntil));
            }
        } catch (SdkException e) {
            throw failure("cannot lock " + sha256 + " until " + retainUntil, e);
        }
    }

    private void putMultipart(Path file, String key, long size, Instant lock) throws IOException {
        long partSize = Math.max(settings.partSize(), ceilDiv(size, MAX_PARTS));
        boolean checksums = lock != null;
        String uploadId = s3.createMultipartUpload(
                        createMultipartRequest(settings.bucket(), key, settings.objectLock(), lock))
                .uploadId();
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            List<CompletedPart> parts = new ArrayList<>();
            int number = 1;
            for (long offset = 0; offset < size; offset += partSize, number++) {
                long length = Math.min(partSize, size - offset);
                long start = offset;
                int partNumber = number;
                UploadPartResponse part = s3.uploadPart(
                        b -> {
                            b.bucket(settings.bucket())
                                    .key(key)
                                    .uploadId(uploadId)
                                    .partNumber(partNumber)
                                    .contentLength(length);
                            if (checksums) {
                                b.checksumAlgorithm(ChecksumAlgorithm.SHA256);
                            }
                        },
                        RequestBody.fromContentProvider(
                                () -> new ChannelSlice(in, start, length), length, "application/octet-stream"));
                parts.add(CompletedPart.builder()
                        .partNumber(number)
                        .eTag(part.eTag())
                        .checksumSHA256(checksums ? part.checksumSHA256() : null)
                        .build());
            }
            s3.completeMultipartUpload(
                    b -> b.bucket(settings.bucket()).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
        } catch (IOException | SdkException e) {
            try {
                s3.abortMultipartUpload(
                        b -> b.bucket(settings.bucket()).key(key).uploadId(uploadId));
            } catch (SdkException abort) {
                e.addSuppressed(abort);
            }
            throw e;
        }
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    @Override
    public Optional<Long> size(String sha256) throws IOException {
        String key = keyOf(sha256);
        try {
            HeadObjectResponse head =
                    s3.headObject(b -> b.bucket(settings.bucket()).key(key));
            return Optional.of(head.contentLength());
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw failure("cannot look up " + sha256, e);
        } catch (SdkException e) {
            throw failure("cannot look up " + sha256, e);
        }
    }

    @Override
    public InputStream open(String sha256, long offset, long length) throws IOException {
        String key = keyOf(sha256);
        if (offset < 0 || length < -1) {
            throw new IllegalArgumentException("bad range: offset " + offset + ", length " + length);
        }
        long size =
                size(sha256).orElseThrow(() -> new NoSuchFileException("no object " + sha256 + " in " + describe()));
        // S3 refuses a range that starts at or after the end (416); the file store answers no bytes: so do we.
        if (length == 0 || offset >= size) {
            return InputStream.nullInputStream();
        }
        String range = "bytes=" + offset + "-" + (length < 0 ? "" : Math.min(size, offset + length) - 1);
        try {
            return s3.getObject(b -> b.bucket(settings.bucket()).key(key).range(range));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new NoSuchFileException("no object " + sha256 + " in " + describe());
            }
            throw failure("cannot read " + sha256, e);
        } catch (SdkException e) {
            throw failure("cannot read " + sha256, e);
        }
    }

    @Override
    public void delete(String sha256) throws IOException {
        String key = keyOf(sha256);
        try {
            s3.deleteObject(b -> b.bucket(settings.bucket()).key(key));
        } catch (SdkException e) {
            throw failure("cannot delete " + sha256, e);
        }
    }

    @Override
    public String describe() {
        return settings.toString();
    }

    @Override
    public void close() {
        s3.close();
    }

    static String keyOf(String sha256) {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a SHA-256 object key: '" + sha256 + "'");
        }
        return "objects/" + sha256.substring(0, 2) + "/" + sha256.substring(2, 4) + "/" + sha256;
    }

    private IOException failure(String what, SdkException e) {
        String code = e instanceof S3Exception s ? " (" + s.statusCode() + " " + errorCode(s) + ")" : "";
        return new IOException(what + " in " + describe() + code + ": " + e.getMessage(), e);
    }

    private static String errorCode(S3Exception e) {
        return e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
    }

    /** Bytes {@code [offset, offset + length)} of an open file, read with positional reads (the channel is shared). */
    private static final class ChannelSlice extends InputStream {
        private final FileChannel channel;
        private long position;
        private final long end;

        ChannelSlice(FileChannel channel, long offset, long length) {
            this.channel = channel;
            this.position = offset;
            this.end = offset + length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (position >= end) {
                return -1;
            }
            int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - position)), position);
            if (n > 0) {
                position += n;
            }
            return n;
        }
    }
}
