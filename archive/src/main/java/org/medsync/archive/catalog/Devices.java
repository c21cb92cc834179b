package org.medsync.archive.catalog;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Recorders and their credentials (table archive_device). A credential is {@code msd_<deviceId>_<secret>}, the secret
 * 32 random bytes in unpadded base64url: it names its device, so verifying it is one row lookup, and only the
 * secret's SHA-256 is stored (256 random bits need no slow hash). It is shown once, when issued; a lost credential is
 * replaced by revoking the device and issuing a new one.
 */
public final class Devices {
    public static final String PREFIX = "msd_";
    /** Device ids: the form of hospital ids, so they read well in a credential and never contain its '_'. */
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    /** 32 bytes in unpadded base64url. */
    private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{43}");

    private static final int MAX_TEXT = 200;
    private static final String COLUMNS =
            "id, hospital_id, operating_room, description, issued_by, issued_at, revoked_at, revoked_by";

    private final DataSource dataSource;
    private final SecureRandom random = new SecureRandom();

    public Devices(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A device just issued, with the credential that is shown this once. */
    public record Issued(Device device, String credential) {
        /** The credential stays out of logs and error messages. */
        @Override
        public String toString() {
            return "Issued[" + device + "]";
        }
    }

    /**
     * Issues a credential to a new device of a hospital.
     *
     * @param id the device's id, or null for a generated one ({@code rec-} and 12 hex digits)
     * @throws IllegalArgumentException for a malformed id or field, an unknown hospital, or an id already used
     */
    public Issued issue(String id, String hospitalId, String operatingRoom, String description, String issuedBy)
            throws SQLException {
        String deviceId = id == null ? "rec-" + HexFormat.of().formatHex(randomBytes(6)) : id;
        if (!ID.matcher(deviceId).matches()) {
            throw new IllegalArgumentException("a device id is 1-63 lower-case letters, digits and '-', starting with"
                    + " a letter or digit: '" + deviceId + "'");
        }
        requireText("operating room", operatingRoom);
        requireText("description", description == null ? "" : description, true);
        requireText("issued by", issuedBy);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (!exists(c, "select 1 from archive_hospital where id = ?", hospitalId)) {
                    throw new IllegalArgumentException("no hospital '" + hospitalId + "'");
                }
                if (exists(c, "select 1 from archive_device where id = ?", deviceId)) {
                    throw new IllegalArgumentException("device '" + deviceId + "' exists; a device id is never"
                            + " reissued (revoke it and issue another id)");
                }
                try (PreparedStatement s = c.prepareStatement("insert into archive_device (id, hospital_id,"
                        + " operating_room, description, secret_sha256, issued_by) values (?, ?, ?, ?, ?, ?)")) {
                    s.setString(1, deviceId);
                    s.setString(2, hospitalId);
                    s.setString(3, operatingRoom);
                    s.setString(4, description == null ? "" : description);
                    s.setString(5, sha256(secret));
                    s.setString(6, issuedBy);
                    s.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        return new Issued(find(deviceId).orElseThrow(), PREFIX + deviceId + "_" + secret);
    }

    /**
     * The device a credential belongs to, if it is well formed, its secret matches and the device is not revoked.
     * Which of these failed is not told (to the caller on the wire): {@link #check} says it for logs.
     */
    public Optional<Device> verify(String credential) throws SQLException {
        Check check = check(credential);
        return check instanceof Check.Valid v ? Optional.of(v.device()) : Optional.empty();
    }

    /** The outcome of checking a credential, for the server's log (never containing the secret). */
    public sealed interface Check {
        record Valid(Device device) implements Check {}

        /** Not of the form {@code msd_<deviceId>_<secret>}. */
        record Malformed() implements Check {}

        /** No such device, or the secret does not match it. */
        record Unknown(String deviceId) implements Check {}

        record Revoked(Device device) implements Check {}
    }

    public Check check(String credential) throws SQLException {
        if (credential == null || !credential.startsWith(PREFIX)) {
            return new Check.Malformed();
        }
        String rest = credential.substring(PREFIX.length());
        int split = rest.indexOf('_');
        if (split < 0) {
            return new Check.Malformed();
        }
        String deviceId = rest.substring(0, split);
        String secret = rest.substring(split + 1);
        if (!ID.matcher(deviceId).matches() || !SECRET.matcher(secret).matches()) {
            return new Check.Malformed();
        }
        String stored;
        Device device;
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement("select " + COLUMNS + ", secret_sha256 from archive_device where id = ?")) {
            s.setString(1, deviceId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    // Hash anyway: the answer for an unknown device takes as long as for a wrong secret.
                    MessageDigest.isEqual(bytes(sha256(secret)), bytes(sha256("")));
                    return new Check.Unknown(deviceId);
                }
                stored = r.getString("secret_sha256");
                device = read(r);
            }
        }
        if (!MessageDigest.isEqual(bytes(sha256(secret)), bytes(stored))) {
            return new Check.Unknown(deviceId);
        }
        return device.revoked() ? new Check.Revoked(device) : new Check.Valid(device);
    }

    /** Revokes a device: its credential is refused from now on. False if there is no such device or it was revoked. */
    public boolean revoke(String id, String revokedBy) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("update archive_device set revoked_at = now(),"
                        + " revoked_by = ? where id = ? and revoked_at is null")) {
            s.setString(1, revokedBy);
            s.setString(2, id);
            return s.executeUpdate() == 1;
        }
    }

    public Optional<Device> find(String id) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select " + COLUMNS + " from archive_device where id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(read(r)) : Optional.empty();
            }
        }
    }

    /** Every device, or those of one hospital (null: all), revoked ones included, by id. */
    public List<Device> list(String hospitalId) throws SQLException {
        List<Device> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select " + COLUMNS + " from archive_device"
                        + " where (?::text is null or hospital_id = ?) order by id")) {
            s.setString(1, hospitalId);
            s.setString(2, hospitalId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(read(r));
                }
            }
        }
        return out;
    }

    private static boolean exists(Connection c, String sql, String value) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, value);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    private static Device read(ResultSet r) throws SQLException {
        return new Device(
                r.getString("id"),
                r.getString("hospital_id"),
                r.getString("operating_room"),
                r.getString("description"),
                r.getString("issued_by"),
                instant(r.getTimestamp("issued_at")),
                instant(r.getTimestamp("revoked_at")),
                r.getString("revoked_by"));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static void requireText(String what, String value) {
        requireText(what, value, false);
    }

    private static void requireText(String what, String value, boolean mayBeEmpty) {
        if (value == null || (!mayBeEmpty && value.isBlank())) {
            throw new IllegalArgumentException("a device needs a " + what);
        }
        if (value.length() > MAX_TEXT || value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(
                    "a device's " + what + " is at most " + MAX_TEXT + " characters, without control characters");
        }
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] bytes(String hex) {
        return hex.getBytes(StandardCharsets.US_ASCII);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
