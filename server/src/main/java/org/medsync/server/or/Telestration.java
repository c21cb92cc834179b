package org.medsync.server.or;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.medsync.rtv.annotation.RemoteAnnotations;
import org.medsync.server.auth.Accounts;
import org.medsync.server.auth.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Telestration from outside the OR (docs/or-gateway.md "Expert to OR"): a viewer's stroke or clear, received on its
 * viewing's socket, checked (the message, the allow-list again, the role may draw), then put on the remote annotations
 * layer of the OR receiver that feeds the flow's gateway, which draws it into the next composed frame. Every message
 * gets one answer on the same socket: acknowledged, or refused with the reason.
 */
final class Telestration {
    private static final Logger log = LoggerFactory.getLogger(Telestration.class);

    private final LiveOrs ors;

    Telestration(LiveOrs ors) {
        this.ors = ors;
    }

    /** Handles one text message of viewing {@code viewing}'s socket; returns the answer to send back. */
    ObjectNode handle(String orId, String viewing, Accounts.User user, String text) {
        try {
            ExpertMessages.Message m = ExpertMessages.parse(text);
            // again: the allow-list may have changed since the socket opened
            String flowKey = ors.viewingFlow(orId, viewing, user.username(), user.role());
            TelestrationSettings t = ors.settings().telestration();
            return switch (m) {
                case ExpertMessages.StrokeMessage s -> {
                    if (!t.drawRoles().contains(user.role())) {
                        throw new OrException(
                                OrException.Reason.FORBIDDEN,
                                "a " + user.role().wireName() + " may not draw on the OR's screen"
                                        + " (or.telestration.roles)");
                    }
                    layer(flowKey).put(s.by(user.role().wireName()), t.expiry());
                    log.debug("OR {}: remote stroke {} from viewing {}", orId, s.id(), viewing);
                    ObjectNode a = JsonNodeFactory.instance.objectNode();
                    a.put("type", "annotation-ack");
                    a.put("id", s.id());
                    a.put("expiresInMs", t.expiry().toMillis());
                    yield a;
                }
                case ExpertMessages.ClearMessage c -> {
                    if (!t.drawRoles().contains(user.role()) && !t.clearRoles().contains(user.role())) {
                        throw new OrException(
                                OrException.Reason.FORBIDDEN,
                                "a " + user.role().wireName() + " may not clear the OR's screen"
                                        + " (or.telestration.clear-roles)");
                    }
                    RemoteAnnotations layer = layer(flowKey);
                    int n = c.id() == null ? layer.clear() : layer.remove(c.id()) ? 1 : 0;
                    log.info("OR {}: {} remote stroke(s) cleared by viewing {}", orId, n, viewing);
                    yield cleared(n);
                }
            };
        } catch (OrException e) {
            ObjectNode a = JsonNodeFactory.instance.objectNode();
            a.put("type", "annotation-error");
            a.put("error", e.reason().code());
            a.put("message", e.getMessage());
            return a;
        }
    }

    /** The OR station's "clear": every remote stroke on every running flow of the OR. */
    ObjectNode clearAll(String orId, Accounts.User user) throws OrException {
        TelestrationSettings t = ors.settings().telestration();
        if (!t.clearRoles().contains(user.role()) && !t.drawRoles().contains(user.role())) {
            throw new OrException(
                    OrException.Reason.FORBIDDEN,
                    "a " + user.role().wireName() + " may not clear the OR's screen (or.telestration.clear-roles)");
        }
        int n = 0;
        for (RemoteAnnotations a : ors.annotationsOf(orId, user.username(), user.role())) {
            n += a.clear();
        }
        log.info("OR {}: {} remote stroke(s) cleared from the OR station", orId, n);
        return cleared(n);
    }

    static boolean mayDraw(LiveOrs ors, Role role) {
        return ors.settings().telestration().drawRoles().contains(role);
    }

    private RemoteAnnotations layer(String flowKey) throws OrException {
        return ors.annotations(flowKey)
                .orElseThrow(() -> new OrException(OrException.Reason.UNAVAILABLE, "the flow does not run now"));
    }

    private static ObjectNode cleared(int n) {
        ObjectNode a = JsonNodeFactory.instance.objectNode();
        a.put("type", "annotation-cleared");
        a.put("count", n);
        return a;
    }
}
