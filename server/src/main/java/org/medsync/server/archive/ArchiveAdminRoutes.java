package org.medsync.server.archive;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.medsync.archive.catalog.Device;
import org.medsync.archive.catalog.Devices;
import org.medsync.archive.catalog.Hospital;
import org.medsync.archive.catalog.Hospitals;
import org.medsync.server.api.ApiError;
import org.medsync.server.auth.Accounts;
import org.medsync.server.auth.Role;
import org.medsync.server.auth.Sessions;

/**
 * Administration of the archive (docs/archive-api.md, "Administration"): hospitals and their policy, who belongs to
 * which, and recorders with their credentials (shown once, when issued; revoked at once). Admins only, except the
 * list of hospitals, which every user gets for their own (an upload form offers them).
 */
public final class ArchiveAdminRoutes {
    private static final int MAX_NAME = 200;

    record HospitalBody(
            String id,
            String name,
            String masterPolicy,
            Double masterMinPsnr,
            List<Map<String, Double>> anonymizeRegions) {}

    record DeviceBody(String id, String hospital, String operatingRoom, String description) {}

    private final Hospitals hospitals;
    private final Devices devices;
    private final Accounts accounts;
    private final Sessions sessions;

    public ArchiveAdminRoutes(Hospitals hospitals, Devices devices, Accounts accounts, Sessions sessions) {
        this.hospitals = hospitals;
        this.devices = devices;
        this.accounts = accounts;
        this.sessions = sessions;
    }

    public void register(Javalin app) {
        app.get("/api/archive/hospitals", this::listHospitals, Role.READERS.toArray(Role[]::new));
        app.post("/api/archive/hospitals", this::saveHospital, Role.ADMIN);
        app.put("/api/archive/hospitals/{id}/members/{username}", this::addMember, Role.ADMIN);
        app.delete("/api/archive/hospitals/{id}/members/{username}", this::removeMember, Role.ADMIN);
        app.get("/api/archive/devices", this::listDevices, Role.ADMIN);
        app.post("/api/archive/devices", this::issueDevice, Role.ADMIN);
        app.delete("/api/archive/devices/{id}", this::revokeDevice, Role.ADMIN);
    }

    private Accounts.User user(Context ctx) {
        return sessions.lookup(ctx.cookie(Sessions.COOKIE))
                .orElseThrow(() -> new ApiError(401, "not-logged-in", "log in first"));
    }

    private void listHospitals(Context ctx) throws SQLException {
        Accounts.User user = user(ctx);
        boolean admin = user.role() == Role.ADMIN;
        Set<String> mine = hospitals.of(user.username());
        List<Map<String, Object>> out = new ArrayList<>();
        for (Hospital h : hospitals.all()) {
            if (admin || mine.contains(h.id())) {
                out.add(view(h, admin ? hospitals.members(h.id()) : null));
            }
        }
        ctx.json(Map.of("hospitals", out));
    }

    private void saveHospital(Context ctx) throws SQLException {
        HospitalBody b = ctx.bodyAsClass(HospitalBody.class);
        Hospital h;
        try {
            if (b.id() == null || !b.id().matches("[a-z0-9][a-z0-9-]{0,62}")) {
                throw new IllegalArgumentException(
                        "a hospital id is 1-63 lower-case letters, digits and '-', starting with a letter or digit");
            }
            String name = b.name() == null ? "" : b.name().strip();
            if (name.isEmpty() || name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("a hospital needs a name of 1-" + MAX_NAME + " characters");
            }
            double psnr = b.masterMinPsnr() == null ? 45 : b.masterMinPsnr();
            if (!(psnr >= 0 && psnr <= 100)) {
                throw new IllegalArgumentException("masterMinPsnr is in dB, 0-100");
            }
            List<Hospital.Region> regions = new ArrayList<>();
            for (Map<String, Double> r :
                    b.anonymizeRegions() == null ? List.<Map<String, Double>>of() : b.anonymizeRegions()) {
                if (!r.keySet().equals(Set.of("x", "y", "w", "h")) || r.containsValue(null)) {
                    throw new IllegalArgumentException(
                            "a region is {\"x\",\"y\",\"w\",\"h\"} in fractions of the frame");
                }
                regions.add(new Hospital.Region(r.get("x"), r.get("y"), r.get("w"), r.get("h")));
            }
            h = new Hospital(
                    b.id(),
                    name,
                    Hospital.MasterPolicy.of(b.masterPolicy() == null ? "keep" : b.masterPolicy()),
                    psnr,
                    List.copyOf(regions));
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "bad-hospital", e.getMessage());
        }
        boolean existed = hospitals.find(h.id()).isPresent();
        hospitals.save(h);
        ctx.status(existed ? 200 : 201).json(view(h, hospitals.members(h.id())));
    }

    private void addMember(Context ctx) throws SQLException {
        String hospital = existingHospital(ctx);
        String username = ctx.pathParam("username");
        if (accounts.find(username).isEmpty()) {
            throw new ApiError(404, "no-such-user", "there is no user '" + username + "'");
        }
        hospitals.addMember(hospital, username);
        ctx.status(204);
    }

    private void removeMember(Context ctx) throws SQLException {
        hospitals.removeMember(existingHospital(ctx), ctx.pathParam("username"));
        ctx.status(204);
    }

    private String existingHospital(Context ctx) throws SQLException {
        String id = ctx.pathParam("id");
        if (hospitals.find(id).isEmpty()) {
            throw new ApiError(404, "no-such-hospital", "there is no hospital '" + id + "'");
        }
        return id;
    }

    private void listDevices(Context ctx) throws SQLException {
        String hospital = ctx.queryParam("hospital");
        ctx.json(Map.of(
                "devices",
                devices.list(hospital).stream().map(ArchiveAdminRoutes::view).toList()));
    }

    private void issueDevice(Context ctx) throws SQLException {
        DeviceBody b = ctx.bodyAsClass(DeviceBody.class);
        if (b.hospital() == null || hospitals.find(b.hospital()).isEmpty()) {
            throw new ApiError(400, "bad-device", "a device needs the id of an existing hospital in 'hospital'");
        }
        Devices.Issued issued;
        try {
            issued = devices.issue(
                    b.id() == null || b.id().isBlank() ? null : b.id().strip(),
                    b.hospital(),
                    b.operatingRoom() == null ? null : b.operatingRoom().strip(),
                    b.description() == null ? "" : b.description().strip(),
                    user(ctx).username());
        } catch (IllegalArgumentException e) {
            int status = e.getMessage().contains("exists") ? 409 : 400;
            throw new ApiError(status, status == 409 ? "device-exists" : "bad-device", e.getMessage());
        }
        Map<String, Object> out = view(issued.device());
        // The only time the credential is ever shown: only its hash is stored.
        out.put("credential", issued.credential());
        ctx.status(201).json(out);
    }

    private void revokeDevice(Context ctx) throws SQLException {
        String id = ctx.pathParam("id");
        if (devices.find(id).isEmpty()) {
            throw new ApiError(404, "no-such-device", "there is no device '" + id + "'");
        }
        devices.revoke(id, user(ctx).username());
        ctx.status(204);
    }

    static Map<String, Object> view(Hospital h, List<String> members) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", h.id());
        m.put("name", h.name());
        m.put("masterPolicy", h.masterPolicy().code());
        m.put("masterMinPsnr", h.masterMinPsnr());
        m.put(
                "anonymizeRegions",
                h.anonymizeRegions().stream()
                        .map(r -> Map.of("x", r.x(), "y", r.y(), "w", r.w(), "h", r.h()))
                        .toList());
        if (members != null) {
            m.put("members", members);
        }
        return m;
    }

    static Map<String, Object> view(Device d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("hospital", d.hospitalId());
        m.put("operatingRoom", d.operatingRoom());
        m.put("description", d.description());
        m.put("issuedBy", d.issuedBy());
        m.put("issuedAt", text(d.issuedAt()));
        m.put("revokedAt", text(d.revokedAt()));
        m.put("revokedBy", d.revokedBy());
        return m;
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
