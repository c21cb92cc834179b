package org.medsync.archive.vault;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The encrypted blob format, version 1 (docs/archive-evidence.md "Encryption at rest" is its specification): a
 * 30-byte header, then the content in chunks of {@link #CHUNK} bytes, each sealed on its own with AES-256-GCM so a
 * range is read by decrypting only the chunks it covers. Each chunk's additional data binds the header, the content's
 * SHA-256, the chunk's index and whether it is the last: a chunk moved, swapped in from another object or cut off
 * fails authentication instead of playing. Public so that the format can be used without an archive: a recovery tool,
 * the benchmark ({@code scripts/bench archive --only crypt}).
 */
public final class EncryptedBlob {
    public static final String CIPHER = "aes-256-gcm";
    public static final byte[] MAGIC = {'M', 'S', 'V', 'A', 'U', 'L', 'T', '\n'};
    public static final int VERSION = 1;
    public static final int HEADER = 30;
    public static final int TAG = 16;
    /**
     * 64 KiB: an HLS segment of a 6 Mb/s stream (a few MB) spans tens of chunks, so a seek decrypts at most 128 KiB it
     * does not return, and the tags cost 0.02 %.
     */
    public static final int CHUNK = 64 * 1024;

    private static final long MAX_CHUNKS = 1L << 32;
    /** The largest chunk a reader accepts: a damaged header must not make it allocate gigabytes. */
    private static final int MAX_CHUNK = 16 << 20;

    private static final SecureRandom RANDOM = new SecureRandom();

    private EncryptedBlob() {}

    /** The parsed header of a blob. */
    public record Header(byte[] bytes, int chunkSize, long size, byte[] noncePrefix) {
        public long chunks() {
            return chunkCount(size, chunkSize);
        }

        /** Where chunk {@code i} starts in the blob. */
        public long chunkOffset(long i) {
            return HEADER + i * (chunkSize + (long) TAG);
        }

        public int plainLength(long i) {
            return (int) Math.min(chunkSize, size - i * chunkSize);
        }
    }

    public static long chunkCount(long size, int chunkSize) {
        // Empty content is one empty chunk, so a blob cut back to its header does not pass for it.
        return Math.max(1, (size + chunkSize - 1) / chunkSize);
    }

    public static long blobSize(long size, int chunkSize) {
        return HEADER + size + chunkCount(size, chunkSize) * TAG;
    }

    /**
     * Writes the blob of {@code size} bytes of content read from {@code in}, whose SHA-256 is {@code sha256}, and
     * returns the SHA-256 of what it encrypted, for the caller to compare (a file changed in between is refused).
     */
    public static byte[] encrypt(InputStream in, long size, byte[] sha256, SecretKey key, OutputStream out)
            throws IOException {
        Header h = newHeader(size);
        out.write(h.bytes());
        MessageDigest hash = sha256();
        byte[] plain = new byte[CHUNK];
        byte[] sealed = new byte[CHUNK + TAG];
        Cipher c = gcm();
        for (long i = 0; i < h.chunks(); i++) {
            int n = h.plainLength(i);
            if (in.readNBytes(plain, 0, n) != n) {
                throw new IOException("the content ended before its " + size + " bytes");
            }
            hash.update(plain, 0, n);
            out.write(sealed, 0, seal(c, h, sha256, key, i, plain, 0, n, sealed, 0));
        }
        if (in.read() >= 0) {
            throw new IOException("the content is longer than its " + size + " bytes");
        }
        return hash.digest();
    }

    /** The header of a new blob of {@code size} content bytes in chunks of {@link #CHUNK}, with a fresh nonce prefix. */
    public static Header newHeader(long size) throws IOException {
        if (size < 0 || chunkCount(size, CHUNK) > MAX_CHUNKS) {
            throw new IOException("an object of " + size + " bytes is beyond the blob format's 2^32 chunks");
        }
        byte[] prefix = new byte[8];
        RANDOM.nextBytes(prefix);
        byte[] header = ByteBuffer.allocate(HEADER)
                .put(MAGIC)
                .putShort((short) VERSION)
                .putInt(CHUNK)
                .putLong(size)
                .put(prefix)
                .array();
        return new Header(header, CHUNK, size, prefix);
    }

    /** Seals chunk {@code i} ({@code n} content bytes at {@code plain[off]}) into {@code out}; returns its length. */
    static int seal(
            Cipher c,
            Header h,
            byte[] sha256,
            SecretKey key,
            long i,
            byte[] plain,
            int off,
            int n,
            byte[] out,
            int at) {
        try {
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG * 8, nonce(h.noncePrefix(), i)));
            c.updateAAD(aad(h, sha256, i));
            return c.doFinal(plain, off, n, out, at);
        } catch (ShortBufferException e) {
            throw new IllegalStateException("a sealed chunk's buffer holds a chunk and its tag", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has AES-256-GCM", e);
        }
    }

    /**
     * Opens sealed chunk {@code i} ({@code n} bytes at {@code sealed[off]}) into {@code plain}; returns the content
     * length, or -1 when the chunk fails authentication.
     */
    static int open(
            Cipher c, Header h, byte[] sha256, SecretKey key, long i, byte[] sealed, int off, int n, byte[] plain) {
        try {
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG * 8, nonce(h.noncePrefix(), i)));
            c.updateAAD(aad(h, sha256, i));
            return c.doFinal(sealed, off, n, plain, 0);
        } catch (AEADBadTagException e) {
            return -1;
        } catch (ShortBufferException e) {
            throw new IllegalStateException("a chunk's buffer holds a chunk", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has AES-256-GCM", e);
        }
    }

    static Cipher gcm() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has AES-256-GCM", e);
        }
    }

    /**
     * Parses a blob's header, refusing what this version cannot read.
     *
     * @param object names the object in messages
     */
    public static Header header(byte[] bytes, String object) throws IOException {
        if (bytes.length < HEADER) {
            throw new IOException("object " + object + ": its blob is cut short (" + bytes.length + " bytes, less than"
                    + " the " + HEADER + "-byte header)");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, 0, HEADER);
        byte[] magic = new byte[MAGIC.length];
        b.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IOException("object " + object + ": its blob is not an encrypted archive blob (bad magic)");
        }
        int version = Short.toUnsignedInt(b.getShort());
        if (version != VERSION) {
            throw new IOException("object " + object + ": blob format version " + version + " is not known here");
        }
        int chunkSize = b.getInt();
        long size = b.getLong();
        if (chunkSize <= 0 || chunkSize > MAX_CHUNK || size < 0 || chunkCount(size, chunkSize) > MAX_CHUNKS) {
            throw new IOException("object " + object + ": its blob header is damaged (chunk size " + chunkSize
                    + ", size " + size + ")");
        }
        byte[] prefix = new byte[8];
        b.get(prefix);
        return new Header(Arrays.copyOf(bytes, HEADER), chunkSize, size, prefix);
    }

    /**
     * The content bytes {@code [offset, offset + length)} from {@code chunks}, the blob read from the start of the
     * chunk holding {@code offset}.
     */
    public static InputStream decrypt(
            Header h, byte[] sha256, SecretKey key, InputStream chunks, long offset, long length, String object) {
        return new Decrypting(h, sha256, key, chunks, offset, length, object);
    }

    static byte[] nonce(byte[] prefix, long chunk) {
        return ByteBuffer.allocate(12).put(prefix).putInt((int) chunk).array();
    }

    static byte[] aad(Header h, byte[] sha256, long chunk) {
        return ByteBuffer.allocate(HEADER + 32 + 5)
                .put(h.bytes())
                .put(sha256)
                .putInt((int) chunk)
                .put((byte) (chunk == h.chunks() - 1 ? 1 : 0))
                .array();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Decrypts chunk after chunk, each checked before any of its bytes is handed out. */
    private static final class Decrypting extends InputStream {
        private final Header h;
        private final byte[] sha256;
        private final SecretKey key;
        private final InputStream in;
        private final String object;
        private final Cipher cipher;
        private final byte[] sealed;
        private final byte[] plain;
        private long chunk;
        private int position;
        private int limit;
        private long remaining;

        Decrypting(Header h, byte[] sha256, SecretKey key, InputStream in, long offset, long length, String object) {
            this.h = h;
            this.sha256 = sha256;
            this.key = key;
            this.in = in;
            this.object = object;
            this.sealed = new byte[h.chunkSize() + TAG];
            this.plain = new byte[h.chunkSize()];
            this.chunk = offset / h.chunkSize();
            this.position = (int) (offset % h.chunkSize());
            this.limit = -1;
            this.remaining = Math.max(0, length < 0 ? h.size() - offset : Math.min(length, h.size() - offset));
            try {
                this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("every Java runtime has AES-256-GCM", e);
            }
        }

        private boolean fill() throws IOException {
            if (remaining <= 0) {
                return false;
            }
            if (limit >= 0) {
                chunk++;
                position = 0;
            }
            int n = h.plainLength(chunk) + TAG;
            int read = in.readNBytes(sealed, 0, n);
            if (read != n) {
                throw new IOException("object " + object + ": its blob is truncated in chunk " + chunk + " of "
                        + h.chunks() + " (" + read + " of " + n + " bytes)");
            }
            try {
                cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG * 8, nonce(h.noncePrefix(), chunk)));
                cipher.updateAAD(aad(h, sha256, chunk));
                limit = cipher.doFinal(sealed, 0, n, plain, 0);
            } catch (AEADBadTagException e) {
                throw new IOException(
                        "object " + object + ": chunk " + chunk + " of its blob fails authentication"
                                + " (altered, moved, truncated, from another object, or under another key)",
                        e);
            } catch (ShortBufferException e) {
                throw new IllegalStateException("a chunk's buffer holds a chunk", e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("every Java runtime has AES-256-GCM", e);
            }
            return true;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (limit < 0 || position >= limit) {
                if (!fill()) {
                    return -1;
                }
            }
            int n = (int) Math.min(Math.min(len, limit - position), remaining);
            if (n <= 0) {
                return -1;
            }
            System.arraycopy(plain, position, b, off, n);
            position += n;
            remaining -= n;
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
