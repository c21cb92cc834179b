package org.medsync.server.or;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
import org.medsync.server.auth.Role;

/**
 * The administrator's allow-list body, {@code {"roles": ["attending", ...], "users": ["name", ...], "teaching":
 * bool}}: every field required, nothing else, checked element by element; garbage is refused with a precise
 * {@link OrException.Reason#BAD_REQUEST} message and nothing else escapes.
 */
final class AccessMessages {
    static final int MAX_BODY = 16 * 1024;
    static final int MAX_USERS = 200;
    private static final Set<String> FIELDS = Set.of("roles", "users", "teaching");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A checked allow-list. */
    record AccessList(Set<Role> roles, Set<String> users, boolean teaching) {}

    private AccessMessages() {}

    static AccessList accessList(String body) throws OrException {
        if (body == null || body.length() > MAX_BODY) {
            throw bad("the body must be a JSON object of at most " + MAX_BODY + " characters");
        }
        JsonNode n;
        try {
            n = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw bad("the body is not JSON: " + e.getOriginalMessage());
        }
        if (!(n instanceof ObjectNode o)) {
            throw bad("the body must be a JSON object {\"roles\", \"users\", \"teaching\"}");
        }
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw bad("unknown field '" + (f.length() > 40 ? f.substring(0, 40) + "..." : f)
                        + "'; fields are roles, users, teaching");
            }
        }
        JsonNode roles = o.get("roles");
        JsonNode users = o.get("users");
        JsonNode teaching = o.get("teaching");
        if (roles == null || !roles.isArray()) {
            throw bad("roles must be an array of role names (attending, resident, student, observer, admin)");
        }
        if (users == null || !users.isArray() || users.size() > MAX_USERS) {
            throw bad("users must be an array of at most " + MAX_USERS + " user names");
        }
        if (teaching == null || !teaching.isBoolean()) {
            throw bad("teaching must be true or false");
        }
        Set<Role> rs = new LinkedHashSet<>();
        for (JsonNode r : roles) {
            if (!r.isTextual()) {
                throw bad("roles[" + rs.size() + "] must be a role name");
            }
            try {
                rs.add(Role.parse(r.asText()));
            } catch (IllegalArgumentException e) {
                throw bad(e.getMessage().length() > 200 ? "unknown role" : e.getMessage());
            }
        }
        Set<String> us = new LinkedHashSet<>();
        int i = 0;
        for (JsonNode u : users) {
            if (!u.isTextual() || !u.asText().matches("[a-z0-9][a-z0-9._-]{1,63}")) {
                throw bad("users[" + i + "] must be a user name (2-64 of a-z, 0-9, '.', '_', '-')");
            }
            us.add(u.asText());
            i++;
        }
        return new AccessList(rs, us, teaching.asBoolean());
    }

    private static OrException bad(String message) {
        return new OrException(OrException.Reason.BAD_REQUEST, message);
    }
}
