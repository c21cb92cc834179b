package org.medsync.watermark.mark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret that places the mark: chip signs and the spreading of bits over the frame come from AES-256 in
 * counter mode under this key. Without it the pattern looks like noise and cannot be read or aimed at; with a wrong
 * key the detector finds nothing. Stored as 64 hex digits in a file only the server's user may read.
 */
public final class WatermarkKey {
    private final byte[] key;

    private WatermarkKey(byte[] key) {
        this.key = key.clone();
    }

    public static WatermarkKey of(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("a watermark key is 32 bytes, got " + key.length);
        }
        return new WatermarkKey(key);
    }

    public static WatermarkKey random() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return new WatermarkKey(k);
    }

    /** Reads a key file (64 hex digits, surrounding white space ignored). */
    public static WatermarkKey read(Path file) throws IOException {
        String text = Files.readString(file).strip();
        if (!text.matches("[0-9a-fA-F]{64}")) {
            throw new IOException("watermark key file " + file + " must hold 64 hex digits");
        }
        return new WatermarkKey(HexFormat.of().parseHex(text));
    }

    /** Writes this key as 64 hex digits. */
    public void write(Path file) throws IOException {
        Files.writeString(file, HexFormat.of().formatHex(key) + "\n");
    }

    /** {@code length} pseudo-random bytes for {@code purpose}: the AES-CTR keystream under this key. */
    byte[] stream(String purpose, int length) {
        try {
            byte[] iv = Arrays.copyOf(purpose.getBytes(StandardCharsets.UTF_8), 16);
            Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            return aes.doFinal(new byte[length]);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no AES/CTR", e);
        }
    }
}
