package org.medsync.rtv.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The bearer token of a control API (docs/rtv-control.md "Authentication"): 32 random bytes, base64url,
 * kept in a file only its owner can read. The value never appears in {@link #toString()} or in logs; a
 * presented token is compared in constant time.
 */
public final class ControlToken {

    /** Shorter secrets are refused: a token file someone typed by hand is as weak as a password. */
    static final int MIN_LENGTH = 32;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final String value;
    private final byte[] digest;
    private final String origin;

    private ControlToken(String value, String origin) {
        if (value.length() < MIN_LENGTH || !value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException(origin + ": a control token is at least " + MIN_LENGTH
                    + " printable ASCII characters without spaces");
        }
        this.value = value;
        this.digest = sha256(value);
        this.origin = origin;
    }

    /** A fresh random token, not stored anywhere. */
    public static ControlToken random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return new ControlToken(Base64.getUrlEncoder().withoutPadding().encodeToString(b), "generated token");
    }

    /**
     * Reads a token file. One line; surrounding white space is ignored.
     *
     * @throws IOException if it cannot be read, or group or others may read or write it (as ssh does for keys)
     * @throws IllegalArgumentException if it does not hold a token
     */
    public static ControlToken load(Path file) throws IOException {
        requireOwnerOnly(file, "token file");
        return new ControlToken(
                Files.readString(file, StandardCharsets.US_ASCII).strip(), "token file " + file);
    }

    /** @throws IOException if group or others may read or write {@code file} (as ssh does for keys) */
    static void requireOwnerOnly(Path file, String what) throws IOException {
        PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (posix != null) {
            Set<PosixFilePermission> p = posix.readAttributes().permissions();
            if (!OWNER_ONLY.containsAll(p)) {
                throw new IOException(what + " " + file + " is " + PosixFilePermissions.toString(p)
                        + ": only its owner may read it (chmod 600 " + file + ")");
            }
        }
    }

    /**
     * Reads {@code file}, or if it does not exist creates it (mode 0600, its directory 0700 when created)
     * with a {@link #random()} token. The caller tells the operator the path, never the token.
     *
     * @return the token and whether it was created now
     */
    public static Loaded loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            return new Loaded(load(file), false);
        }
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            Files.createDirectories(
                    dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        ControlToken t = random();
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (FileAlreadyExistsException raced) {
            return new Loaded(load(file), false);
        }
        Files.setPosixFilePermissions(file, OWNER_ONLY);
        Files.writeString(file, t.value + "\n", StandardCharsets.US_ASCII);
        return new Loaded(new ControlToken(t.value, "token file " + file), true);
    }

    /** What {@link #loadOrCreate} found. */
    public record Loaded(ControlToken token, boolean created) {}

    /**
     * Whether {@code presented} is this token. Both sides are hashed first, so the comparison takes the same
     * time whatever the presented length and wherever the first difference is.
     */
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(digest, sha256(presented));
    }

    /** The value to send as {@code Authorization: Bearer <value>}; for clients of a device only. */
    public String bearer() {
        return value;
    }

    @Override
    public String toString() {
        return origin;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }
}
