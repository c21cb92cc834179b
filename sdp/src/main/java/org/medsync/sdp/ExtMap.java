package org.medsync.sdp;

import static org.medsync.sdp.SdpException.Reason.BAD_EXTMAP;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@code a=extmap:<id>[/<direction>] <URI>[ <extension attributes>]} (RFC 8285 section 5):
 * maps a header extension element id to its meaning. DICOM-RTV metadata flows map the NMOS
 * in-stream identity and timing extensions ({@link #NMOS_SYNC_TIMESTAMP} and friends).
 */
public record ExtMap(int id, Optional<String> direction, String uri, Optional<String> extensionAttributes)
        implements Attribute {

    public static final String NMOS_SYNC_TIMESTAMP = "urn:x-nmos:rtp-hdrext:sync-timestamp";
    public static final String NMOS_ORIGIN_TIMESTAMP = "urn:x-nmos:rtp-hdrext:origin-timestamp";
    public static final String NMOS_FLOW_ID = "urn:x-nmos:rtp-hdrext:flow-id";
    public static final String NMOS_SOURCE_ID = "urn:x-nmos:rtp-hdrext:source-id";
    public static final String NMOS_GRAIN_FLAGS = "urn:x-nmos:rtp-hdrext:grain-flags";

    static final Set<String> DIRECTIONS = Set.of("sendonly", "recvonly", "sendrecv", "inactive");

    public ExtMap {
        if (!validId(id)) {
            throw new IllegalArgumentException("extmap id must be 1..255 or 4096..4351, was " + id);
        }
        Objects.requireNonNull(direction, "direction");
        direction.ifPresent(d -> {
            if (!DIRECTIONS.contains(d)) {
                throw new IllegalArgumentException("direction must be one of " + DIRECTIONS + ", was " + d);
            }
        });
        Syntax.requireField(uri, "extmap URI");
        Objects.requireNonNull(extensionAttributes, "extensionAttributes");
        extensionAttributes.ifPresent(a -> Syntax.requireByteString(a, "extension attributes"));
    }

    public ExtMap(int id, String uri) {
        this(id, Optional.empty(), uri, Optional.empty());
    }

    static boolean validId(long id) {
        return id >= 1 && id <= 255 || id >= 4096 && id <= 4351;
    }

    @Override
    public String name() {
        return "extmap";
    }

    @Override
    public String text() {
        return "extmap:" + id + direction.map(d -> "/" + d).orElse("") + " " + uri
                + extensionAttributes.map(a -> " " + a).orElse("");
    }

    static ExtMap parse(String value) {
        String expected = "a=extmap:<id 1..255>[/<direction>] <URI>[ <attributes>]";
        String[] parts = value.split(" ", 3);
        if (parts.length < 2) {
            throw new SdpException(0, BAD_EXTMAP, expected + ", got 'a=extmap:" + value + "'");
        }
        String idPart = parts[0];
        Optional<String> direction = Optional.empty();
        int slash = idPart.indexOf('/');
        if (slash >= 0) {
            direction = Optional.of(idPart.substring(slash + 1));
            idPart = idPart.substring(0, slash);
            if (!DIRECTIONS.contains(direction.get())) {
                throw new SdpException(
                        0,
                        BAD_EXTMAP,
                        expected + ", direction '" + direction.get()
                                + "' is not sendonly, recvonly, sendrecv or inactive");
            }
        }
        long id = Syntax.number(idPart, 4351);
        if (!validId(id)) {
            throw new SdpException(0, BAD_EXTMAP, expected + ", id '" + idPart + "'");
        }
        if (!Syntax.isField(parts[1])) {
            throw new SdpException(0, BAD_EXTMAP, expected + ", URI '" + parts[1] + "'");
        }
        Optional<String> attrs = parts.length == 3 ? Optional.of(parts[2]) : Optional.empty();
        if (attrs.isPresent() && attrs.get().isEmpty()) {
            throw new SdpException(0, BAD_EXTMAP, expected + ", trailing space after the URI");
        }
        return new ExtMap((int) id, direction, parts[1], attrs);
    }
}
