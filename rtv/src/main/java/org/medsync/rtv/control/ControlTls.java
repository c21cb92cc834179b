package org.medsync.rtv.control;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for control APIs (docs/rtv-control.md "TLS"): a server's key and certificate from a PKCS#12 keystore
 * whose password is in a 0600 file, and for clients a trust store of PEM certificates (the OR's own CA or
 * the devices' self-signed certificates).
 */
public final class ControlTls {

    private ControlTls() {}

    /**
     * The server side: keystore and password file must both be readable by their owner only, like token files.
     *
     * @throws IOException naming the file that cannot be read, is too open, or does not open with the password
     */
    public static SSLContext server(Path pkcs12, Path passwordFile) throws IOException {
        ControlToken.requireOwnerOnly(pkcs12, "keystore");
        ControlToken.requireOwnerOnly(passwordFile, "keystore password file");
        char[] password =
                Files.readString(passwordFile, StandardCharsets.UTF_8).strip().toCharArray();
        try (InputStream in = Files.newInputStream(pkcs12)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IOException(
                    "keystore " + pkcs12 + " cannot be used with the password of " + passwordFile + ": "
                            + e.getMessage(),
                    e);
        }
    }

    /** The client side: trusts exactly the certificates of a PEM file (one or more BEGIN CERTIFICATE blocks). */
    public static SSLContext trusting(Path pemCertificates) throws IOException {
        try (InputStream in = Files.newInputStream(pemCertificates)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int n = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("cert-" + n++, c);
            }
            if (n == 0) {
                throw new IOException("no certificate in " + pemCertificates);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("certificates " + pemCertificates + ": " + e.getMessage(), e);
        }
    }
}
