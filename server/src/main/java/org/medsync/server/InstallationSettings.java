package org.medsync.server;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import javax.sql.DataSource;

/** Secrets an installation generates once and keeps in its database (de-identification key, keystore password). */
final class InstallationSettings {
    private final DataSource dataSource;

    InstallationSettings(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The stored value, or a new random secret stored under {@code name}. */
    String secret(String name) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            byte[] raw = new byte[24];
            new SecureRandom().nextBytes(raw);
            try (PreparedStatement ins = c.prepareStatement(
                    "insert into installation_setting (name, value) values (?,?) on conflict do nothing")) {
                ins.setString(1, name);
                ins.setString(2, Base64.getUrlEncoder().withoutPadding().encodeToString(raw));
                ins.executeUpdate();
            }
            try (PreparedStatement q = c.prepareStatement("select value from installation_setting where name = ?")) {
                q.setString(1, name);
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        }
    }
}
