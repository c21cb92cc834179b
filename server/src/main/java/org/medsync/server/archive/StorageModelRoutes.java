package org.medsync.server.archive;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medsync.archive.capacity.PaperCheck;
import org.medsync.archive.capacity.RateTable;
import org.medsync.archive.capacity.StorageModel;
import org.medsync.archive.capacity.StorageQuestion;
import org.medsync.server.api.ApiError;
import org.medsync.server.auth.Role;

/**
 * GET /api/archive/storage-model (docs/archive-api.md, "Storage model"): how much a set of hospitals stores, for the
 * page #/archive/storage. Computed on the server, by the one model the command uses too, so the page cannot drift
 * from the tests that hold the model to the paper. No database: admins and clinicians, who plan capacity.
 */
public final class StorageModelRoutes {
    private final RateTable table = RateTable.shipped();

    public void register(Javalin app) {
        app.get("/api/archive/storage-model", this::answer, Role.CLINICIANS.toArray(Role[]::new));
    }

    private void answer(Context ctx) {
        Map<String, String> params = new HashMap<>();
        for (Map.Entry<String, List<String>> e : ctx.queryParamMap().entrySet()) {
            if (e.getValue().size() != 1) {
                throw new ApiError(400, "bad-request", "parameter '" + shorten(e.getKey()) + "' given more than once");
            }
            params.put(e.getKey(), e.getValue().getFirst());
        }
        StorageQuestion q;
        try {
            q = StorageQuestion.parse(params, table);
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "bad-request", e.getMessage());
        }
        ctx.json(view(q, table));
    }

    /** The answer as JSON: bytes as numbers (the page picks units), the curve, the presets, the paper check. */
    public static Map<String, Object> view(StorageQuestion q, RateTable table) {
        StorageModel m = q.model();
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("hospitals", m.hospitals());
        inputs.put("ors", m.orsPerHospital());
        inputs.put("surgeriesPerDay", m.surgeriesPerOrPerDay());
        inputs.put("minutes", m.minutesPerSurgery());
        inputs.put("preset", q.preset().id());
        inputs.put("rateMbps", m.megabitsPerSecond());
        inputs.put("years", m.retentionYears());
        inputs.put("copies", m.copies());
        inputs.put("encrypted", m.encrypted());
        inputs.put("horizon", q.horizonYears());
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("bytesPerSurgery", m.storedBytesPerSurgery());
        results.put("recordedHoursPerHospitalPerDay", m.recordedHoursPerHospitalPerDay());
        results.put("bytesPerHospitalPerDay", m.dailyBytesPerHospital());
        results.put("bytesPerHospitalPerYear", m.yearlyBytesPerHospital());
        results.put("bytesPerYear", m.yearlyBytes());
        results.put("plateauBytes", m.plateauBytes());
        List<Map<String, Object>> curve = new ArrayList<>();
        for (StorageModel.Point p : m.curve(q.horizonYears())) {
            curve.add(Map.of("years", p.years(), "bytes", p.bytes()));
        }
        List<Map<String, Object>> presets = new ArrayList<>();
        for (RateTable.Preset p : table.presets()) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("id", p.id());
            v.put("label", p.label());
            v.put("rateMbps", p.megabitsPerSecond());
            v.put("gbPerHour", p.gigabytesPerHour());
            v.put("psnrDb", Double.isNaN(p.psnrDb()) ? null : p.psnrDb());
            presets.add(v);
        }
        List<Map<String, Object>> paper = new ArrayList<>();
        for (PaperCheck.Row r : PaperCheck.rows()) {
            paper.add(Map.of(
                    "figure", r.figure(),
                    "paper", r.paper(),
                    "recomputed", r.recomputed(),
                    "agrees", r.agrees(),
                    "why", r.why()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("inputs", inputs);
        out.put("results", results);
        out.put("daysPerYear", StorageModel.DAYS_PER_YEAR);
        out.put("curve", curve);
        out.put("presets", presets);
        out.put("paperCheck", paper);
        return out;
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
