package org.medsync.rtv.metadata;

import java.util.Objects;

/**
 * One reassembled metadata grain: the RTP timestamp it shares with its video frame, the NMOS
 * header of its first packet, and the decoded payload.
 */
public record MetadataGrain(long rtpTimestamp, NmosHeader header, RtvMetadata metadata) {
    public MetadataGrain {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(metadata, "metadata");
    }
}
