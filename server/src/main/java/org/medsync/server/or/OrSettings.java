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
        int ingestMax) {

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

    /**
     * One OR.
     *
     * @param name      the room as people call it ("OR 3")
     * @param procedure what is done there today, for the list (no patient data: every viewer sees it)
     * @param roles     roles that may watch
     * @param users     users who may watch whatever their role
     */
    public record Or(String id, String name, String procedure, List<Flow> flows, Set<Role> roles, Set<String> users) {
        public Or {
            flows = List.copyOf(flows);
            roles = Set.copyOf(roles);
            users = Set.copyOf(users);
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
        if (idleSeconds < 1 || idleSeconds > 3600) {
            throw new IllegalArgumentException("or.gateway.idle-seconds must be 1..3600, was " + idleSeconds);
        }
        if (!interfaces.matches("[A-Za-z0-9.:,_-]*")) {
            throw new IllegalArgumentException("or.sfu.interfaces: interface names or addresses separated by commas");
        }
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
            ors.add(new Or(
                    id,
                    p.getProperty(prefix + "name", id),
                    p.getProperty(prefix + "procedure", ""),
                    flows,
                    roles,
                    new LinkedHashSet<>(PropertyValues.list(p.getProperty(prefix + "users", "")))));
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
                ingest.max());
    }
}
