package org.medsync.server.auth;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

/**
 * Local user accounts with argon2id password hashes (Spring Security's encoder over BouncyCastle), at least
 * OWASP's minimum parameters; a hash made with weaker parameters is replaced at the next successful login.
 */
public final class Accounts {
    public static final int MIN_PASSWORD_LENGTH = 10;
    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{1,63}");

    public record User(String username, String displayName, Role role) {}

    /** Account changes refused for a reason the caller can show as is. */
    public static final class AccountException extends Exception {
        /** Why the change was refused. */
        public enum Reason {
            /** A user name, role or password that does not meet the rules. */
            INVALID,
            /** A user of that name exists already. */
            EXISTS,
            /** No user of that name. */
            NOT_FOUND
        }

        private final Reason reason;

        AccountException(Reason reason, String message) {
            super(message);
            this.reason = Objects.requireNonNull(reason, "reason");
        }

        public Reason reason() {
            return reason;
        }
    }

    private final DataSource dataSource;
    /** Salt 16 bytes, hash 32 bytes, p=1, m=19 MiB, t=2: OWASP's Password Storage Cheat Sheet minimum for argon2id. */
    private final Argon2PasswordEncoder encoder = new Argon2PasswordEncoder(16, 32, 1, 19 * 1024, 2);
    /** Compared against when the user does not exist, so that a wrong name costs as long as a wrong password. */
    private final String decoyHash;

    public Accounts(DataSource dataSource) {
        this.dataSource = dataSource;
        this.decoyHash = encoder.encode("decoy-password-never-valid");
    }

    public User create(String username, String displayName, Role role, String password)
            throws AccountException, SQLException {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw new AccountException(
                    AccountException.Reason.INVALID,
                    "user name must be 2-64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit");
        }
        if (role == null || role == Role.ANYONE) {
            throw new AccountException(AccountException.Reason.INVALID, "a role is required");
        }
        if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
            throw new AccountException(
                    AccountException.Reason.INVALID,
                    "password must be at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        String name = displayName == null || displayName.isBlank() ? username : displayName.trim();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "insert into account (username, display_name, role, password_hash) values (?,?,?,?) on conflict do nothing")) {
            ps.setString(1, username);
            ps.setString(2, name);
            ps.setString(3, role.wireName());
            ps.setString(4, encoder.encode(password));
            if (ps.executeUpdate() == 0) {
                throw new AccountException(AccountException.Reason.EXISTS, "user '" + username + "' already exists");
            }
        }
        return new User(username, name, role);
    }

    /** The user if the password is right; empty otherwise (no hint which of the two was wrong). */
    public Optional<User> authenticate(String username, String password) throws SQLException {
        if (username == null || password == null) {
            return Optional.empty();
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "select username, display_name, role, password_hash from account where username = ?")) {
            ps.setString(1, username.trim().toLowerCase(Locale.ROOT));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    encoder.matches(password, decoyHash);
                    return Optional.empty();
                }
                String hash = rs.getString(4);
                if (!encoder.matches(password, hash)) {
                    return Optional.empty();
                }
                User user = new User(rs.getString(1), rs.getString(2), Role.parse(rs.getString(3)));
                if (encoder.upgradeEncoding(hash)) {
                    rehash(c, user.username(), hash, password);
                }
                return Optional.of(user);
            }
        }
    }

    /** Replaces a hash made with older, weaker parameters; only if it is still the one just verified. */
    private void rehash(Connection c, String username, String oldHash, String password) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("update account set password_hash = ? where username = ? and password_hash = ?")) {
            ps.setString(1, encoder.encode(password));
            ps.setString(2, username);
            ps.setString(3, oldHash);
            ps.executeUpdate();
        }
    }

    /**
     * Whether {@code name} reads as some account's user name or display name, compared on letters and digits
     * only ("Dr. A. Smith" is "dr a smith"): a guest may not take it.
     */
    public boolean nameTaken(String name) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                select 1 from account where regexp_replace(lower(?), '[^[:alnum:]]', '', 'g') in
                (regexp_replace(lower(username), '[^[:alnum:]]', '', 'g'), regexp_replace(lower(display_name), '[^[:alnum:]]', '', 'g'))
                limit 1""")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    public Optional<User> find(String username) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("select username, display_name, role from account where username = ?")) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(new User(rs.getString(1), rs.getString(2), Role.parse(rs.getString(3))))
                        : Optional.empty();
            }
        }
    }

    public List<User> list() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("select username, display_name, role from account order by username");
                ResultSet rs = ps.executeQuery()) {
            List<User> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new User(rs.getString(1), rs.getString(2), Role.parse(rs.getString(3))));
            }
            return out;
        }
    }

    public void delete(String username) throws AccountException, SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("delete from account where username = ?")) {
            ps.setString(1, username);
            if (ps.executeUpdate() == 0) {
                throw new AccountException(AccountException.Reason.NOT_FOUND, "no user '" + username + "'");
            }
        }
    }
}
