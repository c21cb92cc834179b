package org.medsync.testsupport.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PKCS#12 keystore with one self-signed EC key (P-256, valid two days) made by the JDK's own keytool, its password
 * file, and its certificate as PEM: what a device or server is configured with, and what its clients trust.
 */
public record SelfSignedKeystore(Path p12, Path password, Path pem) {

    /**
     * Writes {@code <alias>.p12}, {@code <alias>.password} (both readable by the owner only) and {@code <alias>.pem}
     * into {@code dir}; {@code subjectAlternativeNames} as keytool takes them, e.g. {@code ip:127.0.0.1}.
     */
    public static SelfSignedKeystore create(Path dir, String alias, String secret, String subjectAlternativeNames)
            throws IOException, InterruptedException {
        Path p12 = dir.resolve(alias + ".p12");
        Path password = dir.resolve(alias + ".password");
        Path pem = dir.resolve(alias + ".pem");
        keytool(
                "-genkeypair",
                "-alias",
                alias,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-validity",
                "2",
                "-dname",
                "CN=" + alias,
                "-ext",
                "SAN=" + subjectAlternativeNames,
                "-storetype",
                "PKCS12",
                "-keystore",
                p12.toString(),
                "-storepass",
                secret,
                "-keypass",
                secret);
        keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                alias,
                "-keystore",
                p12.toString(),
                "-storepass",
                secret,
                "-file",
                pem.toString());
        Files.writeString(password, secret + "\n");
        for (Path f : List.of(p12, password)) {
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        }
        return new SelfSignedKeystore(p12, password, pem);
    }

    private static void keytool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + ": " + out);
        }
    }
}
