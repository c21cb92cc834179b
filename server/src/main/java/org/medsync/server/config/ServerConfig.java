package org.medsync.server.config;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.medsync.dicom.part10.DecodeLimits;
import org.medsync.library.dicomweb.DicomWebSource;
import org.medsync.library.secrets.Secrets;
import org.medsync.server.cluster.ClusterSettings;
import org.medsync.server.or.OrSettings;
import org.medsync.server.readout.ReadoutSettings;
import org.medsync.server.settings.PropertyValues;

/**
 * Settings of one MedSync server, from built-in defaults, then a properties file, then environment variables
 * ({@code MEDSYNC_} + the key in upper case with '.' and '-' as '_': {@code https.port} is
 * {@code MEDSYNC_HTTPS_PORT}). docs/configuration.md lists every key.
 */
public record ServerConfig(
        Path dataDir,
        String httpHost,
        int httpPort,
        String httpsHost,
        int httpsPort,
        Path tlsKeystore,
        String tlsKeystorePassword,
        String dbUrl,
        String dbUser,
        String dbPassword,
        int dbEmbeddedPort,
        long uploadMaxBytes,
        Duration sessionIdle,
        List<DicomWebSource.Settings> sources,
        ReadoutSettings readout,
        ClusterSettings cluster,
        DecodeLimits decodeLimits,
        List<String> httpOrigins,
        ArchiveConfig archive,
        PacsSettings pacs,
        OrSettings ors) {

    static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("data.dir", "medsync-data"),
            Map.entry("http.host", "127.0.0.1"),
            Map.entry("http.port", "8080"),
            Map.entry("http.origins", ""),
            Map.entry("https.host", "0.0.0.0"),
            Map.entry("https.port", "8443"),
            Map.entry("tls.keystore", ""),
            Map.entry("tls.keystore-password", ""),
            Map.entry("db.url", ""),
            Map.entry("db.user", ""),
            Map.entry("db.password", ""),
            Map.entry("db.embedded-port", "0"),
            Map.entry("upload.max-bytes", String.valueOf(1L << 30)),
            Map.entry(
                    "dicom.max-inflated-bytes",
                    String.valueOf(DecodeLimits.defaults().maxInflatedBytes())),
            Map.entry(
                    "dicom.max-inflation-ratio",
                    String.valueOf(DecodeLimits.defaults().maxInflationRatio())),
            Map.entry(
                    "dicom.max-decoded-bytes",
                    String.valueOf(DecodeLimits.defaults().maxDecodedBytes())),
            Map.entry("sources.max-response-bytes", String.valueOf(1L << 30)),
            Map.entry("session.idle-minutes", "720"),
            Map.entry("sources", ""),
            Map.entry("cluster.redis-url", ""),
            Map.entry("cluster.node-name", ""),
            Map.entry("cluster.node-ttl-seconds", "6"),
            Map.entry("archive.workers", "1"),
            Map.entry("archive.job-lease", "PT60S"),
            Map.entry(PacsSettings.CALLING_AE, "MEDSYNC"),
            Map.entry("archive.store", "file"),
            Map.entry("archive.store.dir", ""),
            Map.entry("archive.s3.endpoint", ""),
            Map.entry("archive.s3.region", "us-east-1"),
            Map.entry("archive.s3.bucket", ""),
            Map.entry("archive.s3.access-key", ""),
            Map.entry("archive.s3.secret-key", ""),
            Map.entry("archive.upload.dir", ""),
            Map.entry("archive.upload.max-bytes", String.valueOf(ArchiveConfig.DEFAULT_UPLOAD_MAX_BYTES)),
            Map.entry("archive.upload.expiry", "P7D"),
            Map.entry("archive.copy.store", ""),
            Map.entry("archive.copy.dir", ""),
            Map.entry("archive.copy.s3.endpoint", ""),
            Map.entry("archive.copy.s3.region", "us-east-1"),
            Map.entry("archive.copy.s3.bucket", ""),
            Map.entry("archive.copy.s3.access-key", ""),
            Map.entry("archive.copy.s3.secret-key", ""),
            Map.entry("archive.fixity.interval", "P1D"),
            Map.entry("archive.fixity.batch-size", "1000"),
            Map.entry("archive.fixity.max-bytes", "0"),
            Map.entry("archive.retention.delete-expired", "false"),
            Map.entry("archive.retention.daily-at", "02:00"),
            Map.entry("archive.retention.hold-roles", "admin"),
            Map.entry("archive.s3.object-lock", "off"));

    public ServerConfig {
        if (httpPort >= 0 && !isLoopback(httpHost)) {
            throw new IllegalArgumentException("plain HTTP is only allowed on loopback (http.host=" + httpHost
                    + "); browsers need HTTPS for WebRTC and microphones elsewhere: use https.host/https.port");
        }
        if (httpPort < 0 && httpsPort < 0) {
            throw new IllegalArgumentException("both http.port and https.port are disabled: nothing to serve on");
        }
        if (uploadMaxBytes <= 0) {
            throw new IllegalArgumentException("upload.max-bytes must be positive");
        }
        httpOrigins = List.copyOf(httpOrigins);
        for (String o : httpOrigins) {
            if (!o.matches("(?i)https?://[a-z0-9.\\[\\]:-]+")) {
                throw new IllegalArgumentException(
                        "http.origins: '" + o + "' is no origin (scheme://host[:port], no path)");
            }
        }
    }

    /** Reads the file (if any) and the environment over the defaults. */
    public static ServerConfig load(Path file, Map<String, String> env) throws IOException {
        return load(file, env, Map.of());
    }

    /** Like {@link #load(Path, Map)}, with {@code defaults} in place of the built-in ones they name (a command's own defaults). */
    public static ServerConfig load(Path file, Map<String, String> env, Map<String, String> defaults)
            throws IOException {
        Properties p = new Properties();
        p.putAll(defaults);
        if (file != null) {
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            }
        }
        env.forEach((k, v) -> {
            if (k.startsWith("MEDSYNC_") && !k.equals("MEDSYNC_CONFIG")) {
                p.setProperty(envToKey(k), v);
            }
        });
        return from(p);
    }

    /** Settings from {@code given} over the built-in defaults. */
    public static ServerConfig from(Properties given) {
        Properties p = new Properties();
        DEFAULTS.forEach(p::setProperty);
        p.putAll(given);
        Path dataDir = Path.of(p.getProperty("data.dir")).toAbsolutePath().normalize();
        String keystore = p.getProperty("tls.keystore", "");
        List<DicomWebSource.Settings> sources = new ArrayList<>();
        long maxResponseBytes = positiveLong(p, "sources.max-response-bytes");
        for (String id : p.getProperty("sources", "").split(",")) {
            id = id.trim();
            if (id.isEmpty()) {
                continue;
            }
            if (id.equals("local") || !id.matches("[a-z0-9-]{1,32}")) {
                throw new IllegalArgumentException(
                        "source id '" + id + "' must be 1-32 of a-z, 0-9, '-', and not 'local'");
            }
            String url = p.getProperty("source." + id + ".url");
            if (url == null || url.isBlank()) {
                throw new IllegalArgumentException(
                        "source '" + id + "' needs source." + id + ".url (its DICOMweb root)");
            }
            sources.add(new DicomWebSource.Settings(
                    id,
                    p.getProperty("source." + id + ".name", id),
                    URI.create(url.trim()),
                    emptyToNull(p.getProperty("source." + id + ".user")),
                    p.getProperty("source." + id + ".password"),
                    Duration.ofSeconds(PropertyValues.integer(p, "source." + id + ".timeout-seconds", 30)),
                    maxResponseBytes));
        }
        return new ServerConfig(
                dataDir,
                p.getProperty("http.host"),
                PropertyValues.integer(p, "http.port", 8080),
                p.getProperty("https.host"),
                PropertyValues.integer(p, "https.port", 8443),
                keystore.isBlank() ? dataDir.resolve("tls/medsync.p12") : Path.of(keystore),
                p.getProperty("tls.keystore-password", ""),
                emptyToNull(p.getProperty("db.url")),
                emptyToNull(p.getProperty("db.user")),
                p.getProperty("db.password"),
                PropertyValues.integer(p, "db.embedded-port", 0),
                Long.parseLong(p.getProperty("upload.max-bytes").trim()),
                Duration.ofMinutes(PropertyValues.integer(p, "session.idle-minutes", 720)),
                List.copyOf(sources),
                ReadoutSettings.from(p),
                ClusterSettings.from(p),
                new DecodeLimits(
                        positiveLong(p, "dicom.max-inflated-bytes"),
                        PropertyValues.integer(p, "dicom.max-inflation-ratio", 100),
                        positiveLong(p, "dicom.max-decoded-bytes")),
                Arrays.stream(p.getProperty("http.origins", "").split(","))
                        .map(String::trim)
                        .filter(o -> !o.isEmpty())
                        .toList(),
                ArchiveConfig.from(p, dataDir),
                PacsSettings.from(p, sources),
                OrSettings.from(p));
    }

    private static long positiveLong(Properties p, String key) {
        String v = p.getProperty(key, "").trim();
        try {
            long n = Long.parseLong(v);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException(key + " must be a positive whole number of bytes, not '" + v + "'");
    }

    public Path storeDir() {
        return dataDir.resolve("studies");
    }

    public Path embeddedDatabaseDir() {
        return dataDir.resolve("postgres");
    }

    /** MEDSYNC_SOURCE_PACS_URL -> source.pacs.url: an underscore is '.' where the known key has one, else '-'. */
    private static String envToKey(String env) {
        String lower = env.substring("MEDSYNC_".length()).toLowerCase(Locale.ROOT);
        for (String key : DEFAULTS.keySet()) {
            if (key.replace('.', '_').replace('-', '_').equals(lower)) {
                return key;
            }
        }
        if (lower.startsWith("source_")) {
            String rest = lower.substring("source_".length());
            int last = rest.lastIndexOf('_');
            String field = rest.substring(last + 1);
            String id = rest.substring(0, last);
            for (String dicom : new String[] {"host", "port", "ae"}) {
                if (field.equals(dicom) && id.endsWith("_dicom")) {
                    return "source."
                            + id.substring(0, id.length() - "_dicom".length()).replace('_', '-') + ".dicom-" + dicom;
                }
            }
            if (field.equals("seconds") && id.endsWith("_timeout")) {
                return "source."
                        + id.substring(0, id.length() - "_timeout".length()).replace('_', '-') + ".timeout-seconds";
            }
            return "source." + id.replace('_', '-') + "." + field;
        }
        return lower.replace('_', '.');
    }

    private static String emptyToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    public static boolean isLoopback(String host) {
        return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("::1"));
    }

    /** Without the passwords; the nested settings hide their own (see {@link Secrets}). */
    @Override
    public String toString() {
        return Secrets.recordString(this, "tlsKeystorePassword", "dbPassword");
    }
}
