package org.medsync.rtv.transmitter;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import org.medsync.rtv.metadata.Dataset;
import org.medsync.rtv.metadata.RtvMeta;
import org.medsync.st2110.video.VideoFormat;

/**
 * What a transmitter sends and where (docs/rtv-control.md TransmitterConfig). Validated on
 * construction: a config that exists can be applied.
 */
public record TransmitterConfig(
        VideoFormat video,
        Endpoint videoDestination,
        Endpoint metadataDestination,
        int ttl,
        String sopClassUid,
        Dataset staticMetadata) {

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
    }
}
