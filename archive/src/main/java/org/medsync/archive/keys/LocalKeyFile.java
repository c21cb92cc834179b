package org.medsync.archive.keys;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.medsync.library.files.PrivateFiles;

/**
 * The embedded default key provider: every hospital's key-encryption keys (AES-256, one per version) in one text file
 * of this machine, mode 0600 in a 0700 directory, created on first use. Data keys are wrapped with AES Key Wrap
 * (RFC 3394, the JDK's "AESWrap"), whose integrity check refuses a wrapped key altered or unwrapped with another key.
 *
 * <p>The file is the archive: whoever loses it loses every recording, so it is backed up apart from the objects (a
 * stolen disk of objects without it is useless). Its lines are {@code <hospital> <version> <created> <key base64>};
 * a destroyed version's line is removed. Changes are made under a lock file and written atomically, and each call
 * re-reads the file when it changed, so a rotation by the command line is seen by a running server.
 */
public final class LocalKeyFile implements KeyProvider {
    private static final Pattern HOSPITAL = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern VERSION = Pattern.compile("v([1-9][0-9]{0,8})");
    private static final String HEADER =
            "# MedSync archive key-encryption keys: <hospital> <version> <created> <AES-256"
                    + " key, base64>. Back this file up apart from the objects; whoever loses it loses the archive.\n";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final Path lockFile;
    private Map<String, List<Version>> keys = Map.of();
    private FileTime loadedModified;
    private long loadedSize = -1;

    private record Version(int number, Instant createdAt, SecretKey key) {
        String id() {
            return "v" + number;
        }
    }

    public LocalKeyFile(Path file) throws IOException {
        this.file = file.toAbsolutePath();
        PrivateFiles.directories(this.file.getParent());
        this.lockFile = this.file.resolveSibling(this.file.getFileName() + ".lock");
    }

    @Override
    public synchronized WrappedKey wrap(String hospitalId, SecretKey dataKey) throws IOException {
        Version current = current(hospitalId);
        if (current == null) {
            rotate(hospitalId);
            current = current(hospitalId);
        }
        return new WrappedKey(current.id(), wrapWith(current.key(), dataKey));
    }

    @Override
    public synchronized SecretKey unwrap(String hospitalId, String keyId, byte[] wrapped) throws IOException {
        Version v = find(hospitalId, keyId);
        if (v == null) {
            throw new IOException("hospital " + hospitalId + " has no key " + keyId + " in " + describe()
                    + " (destroyed, or the key file is not this archive's)");
        }
        try {
            Cipher c = Cipher.getInstance("AESWrap");
            c.init(Cipher.UNWRAP_MODE, v.key());
            return (SecretKey) c.unwrap(wrapped, "AES", Cipher.SECRET_KEY);
        } catch (InvalidKeyException e) {
            throw new IOException(
                    "a data key of hospital " + hospitalId + " does not unwrap with its key " + keyId
                            + ": the wrapped key was altered or is not this key's",
                    e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has AESWrap", e);
        }
    }

    @Override
    public synchronized String rotate(String hospitalId) throws IOException {
        checkHospital(hospitalId);
        return change(all -> {
            List<Version> versions = all.computeIfAbsent(hospitalId, h -> new ArrayList<>());
            int next = versions.stream().mapToInt(Version::number).max().orElse(0) + 1;
            byte[] key = new byte[32];
            RANDOM.nextBytes(key);
            Version v = new Version(next, Instant.now(), new SecretKeySpec(key, "AES"));
            versions.add(v);
            return v.id();
        });
    }

    @Override
    public synchronized List<KeyVersion> versions(String hospitalId) throws IOException {
        reload();
        List<Version> versions = keys.getOrDefault(hospitalId, List.of());
        Version current = current(hospitalId);
        return versions.stream()
                .map(v -> new KeyVersion(v.id(), v.createdAt(), v == current))
                .toList();
    }

    @Override
    public synchronized void destroy(String hospitalId, String keyId) throws IOException {
        change(all -> {
            List<Version> versions = all.getOrDefault(hospitalId, new ArrayList<>());
            Version v = versions.stream()
                    .filter(x -> x.id().equals(keyId))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("hospital " + hospitalId + " has no key " + keyId));
            if (v == newest(versions)) {
                throw new IllegalArgumentException(
                        keyId + " is the current key of hospital " + hospitalId + ": rotate first");
            }
            versions.remove(v);
            return keyId;
        });
    }

    @Override
    public String describe() {
        return "key file " + file;
    }

    private Version current(String hospitalId) throws IOException {
        reload();
        return newest(keys.getOrDefault(hospitalId, List.of()));
    }

    private static Version newest(List<Version> versions) {
        Version newest = null;
        for (Version v : versions) {
            if (newest == null || v.number() > newest.number()) {
                newest = v;
            }
        }
        return newest;
    }

    private Version find(String hospitalId, String keyId) throws IOException {
        reload();
        for (Version v : keys.getOrDefault(hospitalId, List.of())) {
            if (v.id().equals(keyId)) {
                return v;
            }
        }
        return null;
    }

    private static byte[] wrapWith(SecretKey kek, SecretKey dataKey) {
        try {
            Cipher c = Cipher.getInstance("AESWrap");
            c.init(Cipher.WRAP_MODE, kek);
            return c.wrap(dataKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has AESWrap for AES-256 keys", e);
        }
    }

    private interface Change {
        String apply(Map<String, List<Version>> all) throws IOException;
    }

    /** Applies a change to the file's latest content under the lock file, and writes it back atomically. */
    private String change(Change change) throws IOException {
        try (FileChannel lock = openLock()) {
            FileLock held = lock.lock(); // released when the channel closes
            if (!held.isValid()) {
                throw new IOException("the lock on " + lockFile + " was lost");
            }
            loadedSize = -1; // another process may have written in the same clock tick: read it again
            reload();
            Map<String, List<Version>> copy = new LinkedHashMap<>();
            keys.forEach((h, vs) -> copy.put(h, new ArrayList<>(vs)));
            String result = change.apply(copy);
            byte[] text = format(copy).getBytes(StandardCharsets.UTF_8);
            if (Files.exists(file)) {
                PrivateFiles.write(file, text);
            } else {
                PrivateFiles.create(file, text);
            }
            keys = copy;
            loadedModified = Files.getLastModifiedTime(file);
            loadedSize = Files.size(file);
            return result;
        }
    }

    private FileChannel openLock() throws IOException {
        if (!Files.exists(lockFile)) {
            try {
                Files.createFile(lockFile, PrivateFiles.fileAttribute());
            } catch (FileAlreadyExistsException e) {
                // another process made it first
            }
        }
        return FileChannel.open(lockFile, StandardOpenOption.WRITE);
    }

    private void reload() throws IOException {
        FileTime modified;
        long size;
        try {
            modified = Files.getLastModifiedTime(file);
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            keys = Map.of();
            loadedSize = -1;
            return;
        }
        if (modified.equals(loadedModified) && size == loadedSize) {
            return;
        }
        keys = parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        loadedModified = modified;
        loadedSize = size;
    }

    /** The key file's content; a line that is not a key version is refused with its number, never skipped. */
    static Map<String, List<Version>> parse(String text, String name) throws IOException {
        Map<String, List<Version>> out = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = name + " line " + (i + 1) + ": ";
            String[] f = line.split(" +");
            if (f.length != 4) {
                throw new IOException(
                        where + "expected <hospital> <version> <created> <key base64>, found " + f.length + " fields");
            }
            if (!HOSPITAL.matcher(f[0]).matches()) {
                throw new IOException(where + "not a hospital id");
            }
            var version = VERSION.matcher(f[1]);
            if (!version.matches()) {
                throw new IOException(where + "a version is v1, v2, ...");
            }
            Instant created;
            byte[] key;
            try {
                created = Instant.parse(f[2]);
            } catch (DateTimeParseException e) {
                throw new IOException(where + "the creation time is not an ISO 8601 instant", e);
            }
            try {
                key = Base64.getDecoder().decode(f[3]);
            } catch (IllegalArgumentException e) {
                throw new IOException(where + "the key is not base64", e);
            }
            if (key.length != 32) {
                throw new IOException(where + "the key has " + key.length + " bytes, not 32 (AES-256)");
            }
            List<Version> versions = out.computeIfAbsent(f[0], h -> new ArrayList<>());
            int number = Integer.parseInt(version.group(1));
            if (versions.stream().anyMatch(v -> v.number() == number)) {
                throw new IOException(where + "hospital " + f[0] + " has two keys " + f[1]);
            }
            versions.add(new Version(number, created, new SecretKeySpec(key, "AES")));
        }
        return out;
    }

    private static String format(Map<String, List<Version>> all) {
        StringBuilder b = new StringBuilder(HEADER);
        all.forEach((h, vs) -> vs.forEach(v -> b.append(h)
                .append(' ')
                .append(v.id())
                .append(' ')
                .append(v.createdAt())
                .append(' ')
                .append(Base64.getEncoder().encodeToString(v.key().getEncoded()))
                .append('\n')));
        return b.toString();
    }

    private static void checkHospital(String hospitalId) {
        if (!HOSPITAL.matcher(hospitalId).matches()) {
            throw new IllegalArgumentException("not a hospital id: '" + hospitalId + "'");
        }
    }
}
