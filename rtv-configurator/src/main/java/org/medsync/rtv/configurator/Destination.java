package org.medsync.rtv.configurator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where a transmitter sends its video flow and its DICOM metadata flow (unicast or multicast), and the
 * multicast TTL. Addresses are IP literals: a device on the data network must not depend on DNS. With
 * {@code secondary} the transmitter sends every packet on a second path too (SMPTE ST 2022-7, docs/rtv.md
 * "Redundancy"); {@code source} is then the local address the primary path leaves from.
 */
public record Destination(Endpoint video, Endpoint metadata, int ttl, String source, Secondary secondary) {

    /**
     * The second path of a redundant transmitter: its own destinations, optionally the local address and the
     * interface it leaves from (the OR's second network).
     */
    public record Secondary(Endpoint video, Endpoint metadata, String source, String iface) {
        ObjectNode toJson() {
            ObjectNode o = Input.JSON.createObjectNode();
            o.set("video", video.toJson());
            o.set("metadata", metadata.toJson());
            if (source != null) {
                o.put("source", source);
            }
            if (iface != null) {
                o.put("interface", iface);
            }
            return o;
        }
    }

    /** One path. */
    public Destination(Endpoint video, Endpoint metadata, int ttl) {
        this(video, metadata, ttl, null, null);
    }

    /** One RTP destination. */
    public record Endpoint(String address, int port) {
        ObjectNode toJson() {
            return Input.JSON.createObjectNode().put("address", address).put("port", port);
        }
    }

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    static Destination read(JsonNode n, String path) throws ConfigException {
        if (n == null) {
            throw new ConfigException(
                    path + " is required: {\"video\":{\"address\":..,\"port\":..},\"metadata\":{..}}");
        }
        Input.object(n, path);
        Endpoint video = endpoint(Input.optional(n, "video"), path + ".video");
        Endpoint metadata = endpoint(Input.optional(n, "metadata"), path + ".metadata");
        if (video.equals(metadata)) {
            throw new ConfigException(path + ": video and metadata flows need different ports (" + video.address() + ":"
                    + video.port() + " twice)");
        }
        int ttl = Input.integer(n, "ttl", path, 8, 1, 255);
        JsonNode s2 = Input.optional(n, "secondary");
        String source = ipv4(n, "source", path);
        if (s2 == null) {
            if (source != null) {
                throw new ConfigException(path + ".source is the primary path's local address of a redundant"
                        + " transmitter: give " + path + ".secondary too");
            }
            return new Destination(video, metadata, ttl);
        }
        String p2 = path + ".secondary";
        Input.object(s2, p2);
        Endpoint video2 = endpoint(Input.optional(s2, "video"), p2 + ".video");
        Endpoint metadata2 = endpoint(Input.optional(s2, "metadata"), p2 + ".metadata");
        for (Endpoint e : List.of(video2, metadata2)) {
            if (e.equals(video) || e.equals(metadata)) {
                throw new ConfigException(p2 + ": the second path needs destinations of its own, " + e.address() + ":"
                        + e.port() + " is a primary one");
            }
        }
        if (video2.equals(metadata2)) {
            throw new ConfigException(p2 + ": video and metadata flows need different ports (" + video2.address() + ":"
                    + video2.port() + " twice)");
        }
        if (isMulticast(video2.address()) != isMulticast(video.address())) {
            throw new ConfigException(p2 + ".video: both paths multicast, or both unicast");
        }
        String iface = Input.text(s2, "interface", p2, null);
        if (iface != null && !iface.matches("[A-Za-z0-9_.:-]{1,15}")) {
            throw new ConfigException(p2 + ".interface must be a network interface name, not \"" + iface + "\"");
        }
        return new Destination(
                video, metadata, ttl, source, new Secondary(video2, metadata2, ipv4(s2, "source", p2), iface));
    }

    /** A device's source address: dotted IPv4 only (what the transmitter binds to), or null when absent. */
    private static String ipv4(JsonNode n, String field, String path) throws ConfigException {
        String a = Input.text(n, field, path, null);
        if (a != null && (!IPV4.matcher(a).matches() || !isIpLiteral(a))) {
            throw new ConfigException(path + "." + field + " must be a dotted IPv4 address, not \"" + a + "\"");
        }
        return a;
    }

    private static boolean isMulticast(String address) {
        var m = IPV4.matcher(address);
        if (m.matches()) {
            int first = Integer.parseInt(m.group(1));
            return first >= 224 && first <= 239;
        }
        return address.toLowerCase(Locale.ROOT).startsWith("ff");
    }

    private static Endpoint endpoint(JsonNode n, String path) throws ConfigException {
        if (n == null) {
            throw new ConfigException(path + " is required: {\"address\":\"239.1.1.1\",\"port\":5004}");
        }
        Input.object(n, path);
        String address = Input.requiredText(n, "address", path);
        if (!isIpLiteral(address)) {
            throw new ConfigException(path + ".address must be an IPv4 or IPv6 literal, not \"" + address + "\"");
        }
        int port = Input.integer(n, "port", path, null, 1, 65535);
        return new Endpoint(address, port);
    }

    static boolean isIpLiteral(String s) {
        var m = IPV4.matcher(s);
        if (m.matches()) {
            for (int i = 1; i <= 4; i++) {
                if (Integer.parseInt(m.group(i)) > 255) {
                    return false;
                }
            }
            return true;
        }
        if (!s.contains(":") || !s.matches("[0-9A-Fa-f:.%a-z]+")) {
            return false;
        }
        try {
            InetAddress.getByName(s); // an IPv6 literal: parsed, no lookup
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    ObjectNode toJson() {
        ObjectNode o = Input.JSON.createObjectNode();
        o.set("video", video.toJson());
        o.set("metadata", metadata.toJson());
        o.put("ttl", ttl);
        if (secondary != null) {
            if (source != null) {
                o.put("source", source);
            }
            o.set("secondary", secondary.toJson());
        }
        return o;
    }
}
