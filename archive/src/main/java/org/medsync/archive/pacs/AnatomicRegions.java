package org.medsync.archive.pacs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.medsync.dicom.video.VideoInstance;

/**
 * A hospital's mapping from procedure codes or keywords to a coded anatomic region (table archive_anatomic_region;
 * docs/archive-dicom.md): the DICOM video of a cholecystectomy can say "Gallbladder structure" instead of "Entire
 * body". Matching is on the recording's procedure text, case-insensitive: the whole text, or a whole word or phrase
 * in it; the longest match wins, so "laparoscopic cholecystectomy" beats "laparoscopic".
 */
public final class AnatomicRegions {
    /** One mapping. {@code match} is stored lower-case. */
    public record Mapping(String hospitalId, String match, VideoInstance.Code region) {
        public Mapping {
            match = match == null ? "" : match.strip().toLowerCase(Locale.ROOT);
            if (match.isEmpty() || match.length() > 200 || match.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("a procedure code or keyword is 1-200 printable characters");
            }
            if (!region.value().matches("[A-Za-z0-9.-]{1,64}")) {
                throw new IllegalArgumentException("a code value is 1-64 letters, digits, '.' or '-'");
            }
            if (!region.scheme().matches("[A-Z0-9-]{1,16}")) {
                throw new IllegalArgumentException("a coding scheme is 1-16 upper-case letters, e.g. SCT");
            }
            if (region.meaning().isBlank() || region.meaning().length() > 64) {
                throw new IllegalArgumentException("a code meaning is 1-64 characters (DICOM LO)");
            }
        }
    }

    private final DataSource dataSource;

    public AnatomicRegions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Adds or replaces the mapping of its hospital and match. */
    public void put(Mapping m) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("insert into archive_anatomic_region (hospital_id, match,"
                        + " code_value, coding_scheme, code_meaning) values (?, ?, ?, ?, ?) on conflict (hospital_id,"
                        + " match) do update set code_value = excluded.code_value, coding_scheme ="
                        + " excluded.coding_scheme, code_meaning = excluded.code_meaning")) {
            s.setString(1, m.hospitalId());
            s.setString(2, m.match());
            s.setString(3, m.region().value());
            s.setString(4, m.region().scheme());
            s.setString(5, m.region().meaning());
            s.executeUpdate();
        }
    }

    public boolean remove(String hospitalId, String match) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement("delete from archive_anatomic_region where hospital_id = ? and match = ?")) {
            s.setString(1, hospitalId);
            s.setString(2, match.strip().toLowerCase(Locale.ROOT));
            return s.executeUpdate() > 0;
        }
    }

    public List<Mapping> of(String hospitalId) throws SQLException {
        List<Mapping> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select match, code_value, coding_scheme, code_meaning from"
                        + " archive_anatomic_region where hospital_id = ? order by match")) {
            s.setString(1, hospitalId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new Mapping(
                            hospitalId,
                            r.getString(1),
                            new VideoInstance.Code(r.getString(2), r.getString(3), r.getString(4))));
                }
            }
        }
        return out;
    }

    /** The region of a procedure at a hospital, or {@link VideoInstance#UNSPECIFIED_REGION} when nothing matches. */
    public VideoInstance.Code regionOf(String hospitalId, String procedure) throws SQLException {
        return match(of(hospitalId), procedure);
    }

    static VideoInstance.Code match(List<Mapping> mappings, String procedure) {
        if (procedure == null || procedure.isBlank()) {
            return VideoInstance.UNSPECIFIED_REGION;
        }
        String text = procedure.strip().toLowerCase(Locale.ROOT);
        Mapping best = null;
        for (Mapping m : mappings) {
            boolean hit = text.equals(m.match())
                    || Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(m.match()) + "(?![\\p{L}\\p{N}])")
                            .matcher(text)
                            .find();
            if (hit && (best == null || m.match().length() > best.match().length())) {
                best = m;
            }
        }
        return best == null ? VideoInstance.UNSPECIFIED_REGION : best.region();
    }
}
