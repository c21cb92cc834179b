package org.medsync.archive.export;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import org.medsync.library.files.PrivateFiles;

/**
 * The archive's key for signing legal exports: ECDSA on P-256 with SHA-256, kept in one PEM file (0600) created on
 * first use: the PKCS#8 private key, then its public key (Java cannot derive one from the other). Signatures are DER (what {@code openssl dgst -sha256 -verify} reads); the public key is
 * SubjectPublicKeyInfo PEM. Every node of a cluster must hold the same file (docs/archive-evidence.md).
 */
public final class ExportSigningKey {
    private static final String ALGORITHM = "SHA256withECDSA";
    private final Path file;
    private KeyPair keys;

    public ExportSigningKey(Path file) {
        this.file = file;
    }

    /** Where the private key is kept. */
    public Path file() {
        return file;
    }

    /** A detached DER signature of {@code data}. */
    public byte[] sign(byte[] data) throws IOException {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(keys().getPrivate());
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IOException("signing with the export key in " + file + " failed: " + e.getMessage(), e);
        }
    }

    /** Whether {@code signature} is this key's over {@code data}. */
    public boolean verify(byte[] data, byte[] signature) throws IOException {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(keys().getPublic());
            s.update(data);
            return s.verify(signature);
        } catch (SignatureException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IOException("the export key in " + file + " cannot verify: " + e.getMessage(), e);
        }
    }

    /** The public key as PEM (SubjectPublicKeyInfo), for recipients and openssl. */
    public String publicKeyPem() throws IOException {
        return pem("PUBLIC KEY", keys().getPublic().getEncoded());
    }

    /** SHA-256 of the public key's DER encoding, in hex: what to read out to a recipient over another channel. */
    public String fingerprint() throws IOException {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(keys().getPublic().getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private synchronized KeyPair keys() throws IOException {
        if (keys == null) {
            if (!Files.exists(file)) {
                create();
            }
            keys = load();
        }
        return keys;
    }

    private void create() throws IOException {
        KeyPair pair;
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            pair = g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot create an ECDSA P-256 key: " + e.getMessage(), e);
        }
        PrivateFiles.directories(file.toAbsolutePath().getParent());
        try {
            PrivateFiles.create(
                    file,
                    (pem("PRIVATE KEY", pair.getPrivate().getEncoded())
                                    + pem("PUBLIC KEY", pair.getPublic().getEncoded()))
                            .getBytes(StandardCharsets.US_ASCII));
        } catch (FileAlreadyExistsException e) {
            // Another process created it first: theirs is the key.
        }
    }

    private KeyPair load() throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        try {
            KeyFactory f = KeyFactory.getInstance("EC");
            PrivateKey priv = f.generatePrivate(new PKCS8EncodedKeySpec(block(text, "PRIVATE KEY")));
            PublicKey pub = f.generatePublic(new X509EncodedKeySpec(block(text, "PUBLIC KEY")));
            return new KeyPair(pub, priv);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(
                    file + " does not hold an ECDSA private key and its public key as PEM: " + e.getMessage(), e);
        }
    }

    private static byte[] block(String text, String type) {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("no " + type + " block");
        }
        return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
