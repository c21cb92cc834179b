package org.medsync.archive.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;

/** Hospitals, their policy, and who works for which (tables archive_hospital, archive_member). */
public final class Hospitals {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final DataSource dataSource;

    public Hospitals(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Adds a hospital, or updates its name and policy if its id exists. */
    public Hospital save(Hospital h) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("insert into archive_hospital (id, name, master_policy,"
                        + " master_min_psnr, anonymize_regions) values (?, ?, ?, ?, ?::jsonb) on conflict (id) do"
                        + " update set name = excluded.name, master_policy = excluded.master_policy,"
                        + " master_min_psnr = excluded.master_min_psnr,"
                        + " anonymize_regions = excluded.anonymize_regions")) {
            s.setString(1, h.id());
            s.setString(2, h.name());
            s.setString(3, h.masterPolicy().code());
            s.setDouble(4, h.masterMinPsnr());
            s.setString(5, JSON.writeValueAsString(h.anonymizeRegions()));
            s.executeUpdate();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("regions are plain records", e);
        }
        return h;
    }

    public Optional<Hospital> find(String id) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select id, name, master_policy, master_min_psnr,"
                        + " anonymize_regions::text as regions from archive_hospital where id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(read(r)) : Optional.empty();
            }
        }
    }

    public List<Hospital> all() throws SQLException {
        List<Hospital> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select id, name, master_policy, master_min_psnr,"
                        + " anonymize_regions::text as regions from archive_hospital order by id");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                out.add(read(r));
            }
        }
        return out;
    }

    public void addMember(String hospitalId, String username) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("insert into archive_member (username, hospital_id)"
                        + " values (?, ?) on conflict do nothing")) {
            s.setString(1, username);
            s.setString(2, hospitalId);
            s.executeUpdate();
        }
    }

    public void removeMember(String hospitalId, String username) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement("delete from archive_member where username = ? and hospital_id = ?")) {
            s.setString(1, username);
            s.setString(2, hospitalId);
            s.executeUpdate();
        }
    }

    /** The members of a hospital, by username. */
    public List<String> members(String hospitalId) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "select username from archive_member where hospital_id = ? order by username")) {
            s.setString(1, hospitalId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
        }
        return out;
    }

    /** The hospitals a user works for. */
    public Set<String> of(String username) throws SQLException {
        Set<String> out = new TreeSet<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select hospital_id from archive_member where username = ?")) {
            s.setString(1, username);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
        }
        return out;
    }

    private static Hospital read(ResultSet r) throws SQLException {
        try {
            List<Hospital.Region> regions =
                    JSON.readValue(r.getString("regions"), new TypeReference<List<Hospital.Region>>() {});
            return new Hospital(
                    r.getString("id"),
                    r.getString("name"),
                    Hospital.MasterPolicy.of(r.getString("master_policy")),
                    r.getDouble("master_min_psnr"),
                    List.copyOf(regions));
        } catch (JsonProcessingException e) {
            throw new SQLException("hospital " + r.getString("id") + " has unreadable anonymize_regions", e);
        }
    }
}
