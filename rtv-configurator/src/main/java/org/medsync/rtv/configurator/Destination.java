package org.medsync.rtv.configurator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Where a transmitter sends its video flow and its DICOM metadata flow (unicast or multicast), and the
 * multicast TTL. Addresses are IP literals: a device on the data network must not depend on DNS.
 */
public record Destination(Endpoint video, Endpoint metadata, int ttl) {

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
        return new Destination(video, metadata, ttl);
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
        return o;
    }
}
