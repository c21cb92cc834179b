package org.medsync.server.auth;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Comparator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.library.database.Database;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

/** Password hashes and guest names, against embedded PostgreSQL. */
class AccountsTest {
    private static Path dir;
    private static Database db;
    private static Accounts accounts;

    @BeforeAll
    static void start() throws Exception {
        // Under /tmp: when tests run as root the embedded PostgreSQL runs as 'nobody' and must reach it.
        dir = Files.createTempDirectory(Path.of("/tmp"), "medsync-accounts-");
        db = Database.start(Database.Settings.embedded(dir.resolve("db"), 0));
        accounts = new Accounts(db.dataSource());
    }

    @AfterAll
    static void stop() throws Exception {
        if (db != null) {
            db.close();
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private static String hashOf(String user) throws Exception {
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("select password_hash from account where username = ?")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                return rs.getString(1);
            }
        }
    }

    @Test
    void passwordsAreHashedWithAtLeastOwaspsArgon2idMinimum() throws Exception {
        accounts.create("new.user", "New User", Role.RESIDENT, "a-long-enough-password");
        String hash = hashOf("new.user");
        // PHC string: $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$salt$hash
        var m = java.util.regex.Pattern.compile("\\$argon2id\\$v=19\\$m=(\\d+),t=(\\d+),p=(\\d+)\\$.*")
                .matcher(hash);
        assertTrue(m.matches(), hash);
        assertTrue(Integer.parseInt(m.group(1)) >= 19 * 1024, hash);
        assertTrue(Integer.parseInt(m.group(2)) >= 2, hash);
    }

    @Test
    void weakOldHashIsReplacedAtTheNextLogin() throws Exception {
        // A hash as the encoder before made it: Spring Security 5.8's defaults, m=16 MiB, below OWASP's 19 MiB.
        String weak = Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8().encode("an-old-password-1");
        accounts.create("old.user", "Old User", Role.ATTENDING, "placeholder-password");
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement ps =
                        c.prepareStatement("update account set password_hash = ? where username = 'old.user'")) {
            ps.setString(1, weak);
            ps.executeUpdate();
        }
        assertTrue(accounts.authenticate("old.user", "wrong-password-here").isEmpty());
        assertEquals(weak, hashOf("old.user"), "a failed login changes nothing");
        assertTrue(accounts.authenticate("old.user", "an-old-password-1").isPresent());
        String upgraded = hashOf("old.user");
        assertNotEquals(weak, upgraded);
        assertTrue(upgraded.contains("m=19456,t=2,p=1"), upgraded);
        assertTrue(accounts.authenticate("old.user", "an-old-password-1").isPresent());
    }

    @Test
    void guestCannotTakeAnAccountsNameInAnySpelling() throws Exception {
        accounts.create("asmith", "Dr. Anna Smith", Role.ATTENDING, "a-long-enough-password");
        assertTrue(accounts.nameTaken("Dr Anna Smith"));
        assertTrue(accounts.nameTaken("dr.anna.smith"));
        assertTrue(accounts.nameTaken("ASMITH"));
        assertFalse(accounts.nameTaken("Anna (student)"));
    }
}
