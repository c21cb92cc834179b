package org.medsync.server.or;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.medsync.gateway.h264.EncoderSettings;
import org.medsync.server.auth.Role;
import org.medsync.server.network.PortRange;
import org.medsync.server.settings.PropertyValues;

/**
 * The operating rooms this server shows outside the OR (docs/configuration.md "ors", "or.*"), who may watch each,
 * and how the gateway encodes and the SFU fans out.
 *
 * @param ors             the ORs, in the order the configuration names them
 * @param encoder         the gateway's x264 settings, the same for every flow
 * @param latencyMs       the gateway receiver's playout latency
 * @param multicastInterface where the gateway joins multicast flows
 * @param idleSeconds     a flow nobody watches is stopped (encoder and mountpoint) after this long
 * @param janus           the Janus binary
 * @param iceMin          Janus's ICE/RTP port range towards browsers
 * @param iceMax          last such port
 * @param interfaces      the only interfaces Janus's ICE gathers on (empty: all)
 * @param ingestMin       the ports Janus's mountpoints take the gateway's RTP on (loopback)
 * @param ingestMax       last such port
 * @param teachingOnlyRoles roles admitted only to ORs whose procedure is marked teaching (the attribute rule)
 * @param ingestAddress   the IPv4 address Janus's mountpoints take RTP on: 127.0.0.1 for one node; in a cluster an
 *                        address the other nodes reach, since the node that encodes a flow sends to every node's
 *                        mountpoint (or.sfu.ingest-address)
 * @param telestration    who may draw on the OR's video from outside and how long strokes stay (Expert to OR)
 * @param talk            who may speak into, hear, and be the OR station of an OR's talk-back (Expert to OR)
 */
public record OrSettings(
        List<Or> ors,
        EncoderSettings encoder,
        int latencyMs,
        String multicastInterface,
        int idleSeconds,
        Path janus,
        int iceMin,
        int iceMax,
        String interfaces,
        int ingestMin,
        int ingestMax,
        Set<Role> teachingOnlyRoles,
        String ingestAddress,
        TelestrationSettings telestration,
        TalkSettings talk) {

    /** Roles admitted only to teaching procedures when no configuration names them (or.rules.teaching-only-roles). */
    public static final Set<Role> DEFAULT_TEACHING_ONLY = Set.of(Role.STUDENT, Role.OBSERVER);

    /**
     * One flow of an OR: its name and where its SDP is (a file, or an http(s) URL fetched without credentials), or
     * {@code test-pattern[:<lines>p<rate>]} for a test-pattern transmitter the server runs while someone watches.
     *
     * @param testPatternMetadata a test-pattern flow's static metadata, DICOM JSON text (empty: none)
     */
    public record Flow(String name, String sdp, String testPatternMetadata) {
        public Flow(String name, String sdp) {
            this(name, sdp, "");
        }

        public boolean testPattern() {
            return TestPatternFlows.is(sdp);
        }
    }

    /** One attribute the page's overlay shows: in zone 1..9 of the 3x3 grid (row by row), as the OR receiver draws. */
    public record OverlayItem(int zone, String keyword, String tag) {}

    /** What the page's overlay shows when the configuration names nothing (or.<id>.overlay). */
    public static final String DEFAULT_OVERLAY =
            "1:PatientName,1:PatientID,1:PatientBirthDate,1:AccessionNumber,3:StudyDescription,3:StationName,"
                    + "9:FrameOriginTimestamp";

    /**
     * One OR.
     *
     * @param name      the room as people call it ("OR 3")
     * @param procedure what is done there today, for the list (no patient data: every viewer sees it)
     * @param roles     roles that may watch (the initial value: an administrator's list in the database wins)
     * @param users     users who may watch whatever their role
     * @param teaching  a teaching procedure: roles of {@code or.rules.teaching-only-roles} may watch it
     * @param overlay   the attributes the page's overlay shows, by zone
     */
    public record Or(
            String id,
            String name,
            String procedure,
            List<Flow> flows,
            Set<Role> roles,
            Set<String> users,
            boolean teaching,
            List<OverlayItem> overlay) {
        public Or {
            flows = List.copyOf(flows);
            roles = Set.copyOf(roles);
            users = Set.copyOf(users);
            overlay = List.copyOf(overlay);
        }

        /** As before teaching and overlay existed: not teaching, the default overlay. */
        public Or(String id, String name, String procedure, List<Flow> flows, Set<Role> roles, Set<String> users) {
            this(id, name, procedure, flows, roles, users, false, OrSettings.overlay(DEFAULT_OVERLAY));
        }

        public boolean admits(String username, Role role) {
            return roles.contains(role) || users.contains(username);
        }

        public Flow flow(String name) {
            return flows.stream().filter(f -> f.name().equals(name)).findFirst().orElse(null);
        }
    }

    public OrSettings {
        ors = List.copyOf(ors);
        teachingOnlyRoles = Set.copyOf(teachingOnlyRoles);
        if (idleSeconds < 1 || idleSeconds > 3600) {
            throw new IllegalArgumentException("or.gateway.idle-seconds must be 1..3600, was " + idleSeconds);
        }
        if (!interfaces.matches("[A-Za-z0-9.:,_-]*")) {
            throw new IllegalArgumentException("or.sfu.interfaces: interface names or addresses separated by commas");
        }
        if (!ingestAddress.matches("(25[0-5]|2[0-4][0-9]|1?[0-9]{1,2})(\\.(25[0-5]|2[0-4][0-9]|1?[0-9]{1,2})){3}")) {
            throw new IllegalArgumentException(
                    "or.sfu.ingest-address must be an IPv4 address such as 10.0.0.5, was '" + ingestAddress + "'");
        }
    }

    /**
     * Parses "zone:Keyword" (or "zone:GGGGEEEE") entries separated by commas.
     *
     * @throws IllegalArgumentException naming the entry that is wrong
     */
    public static List<OverlayItem> overlay(String text) {
        List<OverlayItem> out = new ArrayList<>();
        for (String entry : PropertyValues.list(text)) {
            String[] zk = entry.split(":", 2);
            if (zk.length != 2 || !zk[0].matches("[1-9]")) {
                throw new IllegalArgumentException(
                        "overlay entry '" + entry + "' must be zone:Keyword with a zone 1..9 (3x3, row by row)");
            }
            String tag = OverlayTags.tag(zk[1].trim());
            out.add(new OverlayItem(Integer.parseInt(zk[0]), OverlayTags.keyword(tag), tag));
        }
        return out;
    }

    public Or or(String id) {
        return ors.stream().filter(o -> o.id().equals(id)).findFirst().orElse(null);
    }

    private static final String ID = "[a-z0-9-]{1,32}";

    /** A flow as configured; a test pattern's format and metadata are checked here, at start, not at first viewing. */
    private static Flow testPatternFlow(Properties p, String prefix, String name, String sdp) {
        if (!TestPatternFlows.is(sdp)) {
            return new Flow(name, sdp);
        }
        TestPatternFlows.format(sdp);
        String metadata = p.getProperty(prefix + "test-pattern.metadata", "").trim();
        if (!metadata.isEmpty() && !metadata.startsWith("{")) {
            try {
                metadata = Files.readString(Path.of(metadata));
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        prefix + "test-pattern.metadata: cannot read " + metadata + ": " + e);
            }
        }
        try {
            TestPatternFlows.metadata(metadata);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    prefix + "test-pattern.metadata is no DICOM JSON object: " + e.getMessage());
        }
        return new Flow(name, sdp, metadata);
    }

    public static OrSettings from(Properties p) {
        List<Or> ors = new ArrayList<>();
        for (String id : PropertyValues.list(p.getProperty("ors", ""))) {
            if (!id.matches(ID)) {
                throw new IllegalArgumentException("OR id '" + id + "' must be 1-32 of a-z, 0-9, '-'");
            }
            String prefix = "or." + id + ".";
            List<Flow> flows = new ArrayList<>();
            for (String f : PropertyValues.list(p.getProperty(prefix + "flows", ""))) {
                if (!f.matches(ID)) {
                    throw new IllegalArgumentException(
                            "flow name '" + f + "' of OR " + id + " must be 1-32 of a-z, 0-9, '-'");
                }
                String sdp = p.getProperty(prefix + "flow." + f + ".sdp", "").trim();
                if (sdp.isEmpty()) {
                    throw new IllegalArgumentException("flow '" + f + "' of OR " + id + " needs " + prefix + "flow." + f
                            + ".sdp (an SDP file or http(s) URL)");
                }
                flows.add(testPatternFlow(p, prefix, f, sdp));
            }
            if (flows.isEmpty()) {
                throw new IllegalArgumentException("OR " + id + " needs " + prefix + "flows (its flows' names)");
            }
            Set<Role> roles = new LinkedHashSet<>();
            for (String r : PropertyValues.list(p.getProperty(prefix + "roles", "attending,resident"))) {
                roles.add(Role.parse(r));
            }
            String teaching = p.getProperty(prefix + "teaching", "false").trim();
            if (!teaching.equals("true") && !teaching.equals("false")) {
                throw new IllegalArgumentException(prefix + "teaching must be true or false, was '" + teaching + "'");
            }
            ors.add(new Or(
                    id,
                    p.getProperty(prefix + "name", id),
                    p.getProperty(prefix + "procedure", ""),
                    flows,
                    roles,
                    new LinkedHashSet<>(PropertyValues.list(p.getProperty(prefix + "users", ""))),
                    teaching.equals("true"),
                    overlay(p.getProperty(prefix + "overlay", DEFAULT_OVERLAY))));
        }
        PortRange ice = PortRange.parse("or.sfu.ports", p.getProperty("or.sfu.ports", "21000-21999"), "21000-21999");
        PortRange ingest = PortRange.parse(
                "or.sfu.ingest-ports", p.getProperty("or.sfu.ingest-ports", "22000-22999"), "22000-22999");
        return new OrSettings(
                ors,
                new EncoderSettings(
                        PropertyValues.integer(p, "or.gateway.bitrate-kbps", 2500),
                        Double.parseDouble(
                                p.getProperty("or.gateway.gop-seconds", "1").trim()),
                        p.getProperty("or.gateway.preset", "ultrafast").trim(),
                        PropertyValues.integer(p, "or.gateway.threads", 1)),
                PropertyValues.integer(p, "or.gateway.latency-ms", 40),
                p.getProperty("or.gateway.interface", "lo").trim(),
                PropertyValues.integer(p, "or.gateway.idle-seconds", 30),
                Path.of(p.getProperty("or.sfu.janus", "/usr/bin/janus").trim()),
                ice.min(),
                ice.max(),
                p.getProperty("or.sfu.interfaces", "").trim(),
                ingest.min(),
                ingest.max(),
                teachingOnly(p.getProperty("or.rules.teaching-only-roles", "student,observer")),
                p.getProperty("or.sfu.ingest-address", "127.0.0.1").trim(),
                TelestrationSettings.from(p),
                TalkSettings.from(p));
    }

    private static Set<Role> teachingOnly(String text) {
        Set<Role> out = new LinkedHashSet<>();
        for (String r : PropertyValues.list(text)) {
            out.add(Role.parse(r));
        }
        return out;
    }
}
