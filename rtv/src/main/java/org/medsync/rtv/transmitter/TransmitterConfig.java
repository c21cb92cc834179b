package org.medsync.rtv.transmitter;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.Optional;
import org.medsync.rtv.metadata.Dataset;
import org.medsync.rtv.metadata.RtvMeta;
import org.medsync.st2110.video.VideoFormat;

/**
 * What a transmitter sends and where (docs/rtv-control.md TransmitterConfig). Validated on
 * construction: a config that exists can be applied.
 *
 * @param redundancy a second path (SMPTE ST 2022-7): every video and metadata packet also goes, identical, to
 *     these destinations
 */
public record TransmitterConfig(
        VideoFormat video,
        Endpoint videoDestination,
        Endpoint metadataDestination,
        int ttl,
        String sopClassUid,
        Dataset staticMetadata,
        Optional<Redundancy> redundancy) {

    /**
     * The second path of an ST 2022-7 sender. In an OR the two paths are two NICs on two networks: each path's
     * packets leave from its own local address ({@code bind}; the routing then picks the NIC) and its multicast by
     * its own interface.
     *
     * @param video where the video copy goes
     * @param metadata where the metadata copy goes
     * @param primarySource local IPv4 address the primary path's packets leave from; empty: the system's choice
     * @param secondarySource local IPv4 address the secondary path's packets leave from
     * @param secondaryInterface interface the secondary path's multicast leaves by; empty: the primary's
     */
    public record Redundancy(
            Endpoint video,
            Endpoint metadata,
            Optional<String> primarySource,
            Optional<String> secondarySource,
            Optional<String> secondaryInterface) {
        public Redundancy {
            Objects.requireNonNull(video, "secondary video destination");
            Objects.requireNonNull(metadata, "secondary metadata destination");
            primarySource.ifPresent(a -> new Endpoint(a, 1));
            secondarySource.ifPresent(a -> new Endpoint(a, 1));
            secondaryInterface.ifPresent(i -> {
                if (!i.matches("[A-Za-z0-9_.:-]{1,15}")) {
                    throw new IllegalArgumentException("interface must be a network interface name, was '" + i + "'");
                }
            });
            if (video.equals(metadata)) {
                throw new IllegalArgumentException("the secondary video and metadata need different destinations");
            }
        }
    }

    /** One path, as every transmitter had before ST 2022-7. */
    public TransmitterConfig(
            VideoFormat video,
            Endpoint videoDestination,
            Endpoint metadataDestination,
            int ttl,
            String sopClassUid,
            Dataset staticMetadata) {
        this(video, videoDestination, metadataDestination, ttl, sopClassUid, staticMetadata, Optional.empty());
    }

    /** An IPv4 address and UDP port. */
    public record Endpoint(String address, int port) {
        public Endpoint {
            Objects.requireNonNull(address, "address");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1..65535, was " + port);
            }
            if (!address.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
                throw new IllegalArgumentException("address must be dotted IPv4, was '" + address + "'");
            }
            try {
                InetAddress.getByName(address);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("address must be dotted IPv4, was '" + address + "'");
            }
        }

        public boolean multicast() {
            int first = Integer.parseInt(address.substring(0, address.indexOf('.')));
            return first >= 224 && first <= 239;
        }
    }

    public TransmitterConfig {
        Objects.requireNonNull(video, "video");
        Objects.requireNonNull(videoDestination, "video destination");
        Objects.requireNonNull(metadataDestination, "metadata destination");
        Objects.requireNonNull(staticMetadata, "staticMetadata");
        if (video.height() != 720 && video.height() != 1080) {
            throw new IllegalArgumentException(
                    "height " + video.height() + " not supported: ST 2110-21 pacing here covers 720 and 1080 lines");
        }
        if (ttl < 0 || ttl > 255) {
            throw new IllegalArgumentException("ttl must be 0..255, was " + ttl);
        }
        if (!sopClassUid.equals(RtvMeta.VIDEO_ENDOSCOPIC_IMAGE_RTC)
                && !sopClassUid.equals(RtvMeta.VIDEO_PHOTOGRAPHIC_IMAGE_RTC)) {
            throw new IllegalArgumentException("sopClassUid must be a video RTV SOP class (1.2.840.10008.10.1 or"
                    + " 1.2.840.10008.10.2), was '" + sopClassUid + "'");
        }
        if (videoDestination.equals(metadataDestination)) {
            throw new IllegalArgumentException("video and metadata need different destinations");
        }
        Objects.requireNonNull(redundancy, "redundancy");
        redundancy.ifPresent(r -> {
            for (Endpoint e : new Endpoint[] {r.video(), r.metadata()}) {
                if (e.equals(videoDestination) || e.equals(metadataDestination)) {
                    throw new IllegalArgumentException("the secondary path needs destinations of its own, "
                            + e.address() + ":" + e.port() + " is a primary one");
                }
            }
            if (r.video().multicast() != videoDestination.multicast()) {
                throw new IllegalArgumentException("both video paths multicast, or both unicast");
            }
        });
    }
}
