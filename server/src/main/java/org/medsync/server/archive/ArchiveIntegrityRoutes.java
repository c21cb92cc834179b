package org.medsync.server.archive;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.medsync.archive.fixity.Fixity;
import org.medsync.server.auth.Role;

/**
 * The archive's integrity for its admins (docs/archive-api.md, "Integrity"): whether every copy of every blob
 * verifies, the copies that do not (and those repaired lately), and the last fixity runs. Blob names and locations
 * only: nothing here names a patient.
 */
public final class ArchiveIntegrityRoutes {
    private static final int COPIES = 200;
    private static final int RUNS = 20;

    private final Fixity fixity;

    public ArchiveIntegrityRoutes(Fixity fixity) {
        this.fixity = fixity;
    }

    public void register(Javalin app) {
        app.get("/api/archive/integrity", this::integrity, Role.ADMIN);
    }

    private void integrity(Context ctx) throws SQLException {
        Fixity.Status status = fixity.status();
        Fixity.Coverage coverage = fixity.coverage();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", status.state());
        out.put("damaged", status.damaged());
        out.put("missing", status.missing());
        out.put("lost", status.lost());
        out.put("locations", fixity.describeLocations());
        Map<String, Object> cov = new LinkedHashMap<>();
        cov.put("blobs", coverage.blobs());
        cov.put("neverChecked", coverage.neverChecked());
        cov.put("oldestCheck", text(coverage.oldestCheck()));
        out.put("coverage", cov);
        out.put(
                "copies",
                fixity.unwell(COPIES, true).stream()
                        .map(ArchiveIntegrityRoutes::view)
                        .toList());
        out.put(
                "runs",
                fixity.runs(RUNS).stream().map(ArchiveIntegrityRoutes::view).toList());
        ctx.json(out);
    }

    static Map<String, Object> view(Fixity.CopyState c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("blob", c.blob());
        m.put("location", c.location());
        m.put("state", c.state());
        m.put("checkedAt", text(c.checkedAt()));
        m.put("detail", c.detail());
        return m;
    }

    static Map<String, Object> view(Fixity.Run r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("jobId", r.jobId());
        m.put("node", r.node());
        m.put("startedAt", text(r.startedAt()));
        m.put("finishedAt", text(r.finishedAt()));
        m.put("checked", r.tally().checked());
        m.put("damaged", r.tally().damaged());
        m.put("missing", r.tally().missing());
        m.put("repaired", r.tally().repaired());
        m.put("lost", r.tally().lost());
        m.put("bytesRead", r.tally().bytesRead());
        return m;
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
