package org.medsync.server.http;

import io.javalin.http.Context;
import java.util.List;
import java.util.Set;
import org.medsync.archive.access.RecordingSearch;
import org.medsync.dicom.ConfidentialityProfile;
import org.medsync.server.api.ApiError;
import org.medsync.server.archive.RecordingRoutes;
import org.medsync.server.auth.Role;

/**
 * Keeps searches from being an oracle for roles that see studies de-identified. Blanking the results is not
 * enough: whether {@code PatientName=A*} finds a study or not spells a name out letter by letter. So for such a
 * role every query parameter of every API route must either page ({@code limit}, {@code offset}) or name an
 * attribute the role sees unchanged ({@link ConfidentialityProfile#disclosesUnchanged}): matching on what one
 * can list anyway tells nothing. Everything else (identifying keys by keyword, tag or sequence path, fuzzy
 * matching, {@code includefield} of such attributes, parameters no route knows) is refused with 400
 * {@code identifying-match-key}. Runs after {@link Access}, before every matched route, so a search added later
 * is covered without being listed here.
 */
final class DeidentifiedQueries {
    static final String CODE = "identifying-match-key";
    private static final Set<String> PAGING = Set.of("limit", "offset");
    /** The worklist's own parameters: its text search matches only the de-identified lines (LibraryRoutes). */
    private static final Set<String> WORKLIST = Set.of("q", "source");

    private final ConfidentialityProfile profile;

    DeidentifiedQueries(ConfidentialityProfile profile) {
        this.profile = profile;
    }

    void check(Context ctx) {
        if (ctx.routeRoles().isEmpty()
                || ctx.routeRoles().contains(Role.ANYONE)
                || ctx.queryParamMap().isEmpty()) {
            return; // static files and open routes hold no patient data; Access has already refused the rest
        }
        Role role = Access.user(ctx).role();
        if (!role.seesDeidentified()) {
            return;
        }
        for (var e : ctx.queryParamMap().entrySet()) {
            String key = e.getKey();
            List<String> values = e.getValue();
            if (PAGING.contains(key) || (ctx.path().equals(LibraryRoutes.WORKLIST) && WORKLIST.contains(key))) {
                continue;
            }
            // The recordings search reads only anonymized rows for these roles (archive Privileges); its keys that
            // match no patient field pass, its identifying ones (patient, procedure, study) fall to the refusal below.
            if (ctx.path().equals(RecordingRoutes.RECORDINGS) && RecordingSearch.DEIDENTIFIED_KEYS.contains(key)) {
                continue;
            }
            switch (key) {
                case "fuzzymatching" -> {
                    if (!values.stream().allMatch("false"::equalsIgnoreCase)) {
                        throw refuse(
                                role, key, "fuzzy matching matches on names a " + role.wireName() + " must not learn");
                    }
                }
                case "includefield" -> {
                    for (String v : values) {
                        for (String field : v.split(",")) {
                            if (!profile.disclosesUnchanged(field.strip())) {
                                throw refuse(
                                        role,
                                        field.strip(),
                                        "only attributes a " + role.wireName() + " sees unchanged can be included");
                            }
                        }
                    }
                }
                default -> {
                    if (!profile.disclosesUnchanged(key)) {
                        throw refuse(
                                role,
                                key,
                                "match on StudyInstanceUID, SeriesInstanceUID, SOPInstanceUID, "
                                        + "Modality or ModalitiesInStudy instead");
                    }
                }
            }
        }
    }

    private static ApiError refuse(Role role, String key, String hint) {
        String shown = key.length() > 64 ? key.substring(0, 64) + "…" : key;
        return new ApiError(
                400,
                CODE,
                "a " + role.wireName() + " sees studies de-identified and cannot search by '" + shown + "': " + hint);
    }
}
