package org.medsync.rtv.configurator;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.Set;
import org.medsync.rtv.control.ControlToken;

/**
 * One transmitter of the OR: its control URL (docs/rtv-control.md) and bearer token, the video it should
 * expect, where to send, which RTC SOP class it carries and what equipment it stands for.
 */
public record TransmitterSetup(
        String name,
        URI control,
        ControlToken token,
        VideoFormat video,
        Destination destination,
        String sopClassUid,
        Equipment equipment) {

    /** PS3.4 Annex HHH real-time communication SOP classes for video. */
    static final String VIDEO_ENDOSCOPIC = "1.2.840.10008.10.1";

    static final String VIDEO_PHOTOGRAPHIC = "1.2.840.10008.10.2";
    private static final Set<String> SOP_CLASSES = Set.of(VIDEO_ENDOSCOPIC, VIDEO_PHOTOGRAPHIC);

    static TransmitterSetup read(JsonNode n, String path, Credentials credentials) throws ConfigException {
        Input.object(n, path);
        URI control = Input.controlUri(n, "control", path);
        ControlToken token = credentials.of(n, path, control);
        String sop = Input.text(n, "sopClassUid", path, VIDEO_ENDOSCOPIC);
        if (!SOP_CLASSES.contains(sop)) {
            throw new ConfigException(path + ".sopClassUid must be a video RTC SOP class (" + VIDEO_ENDOSCOPIC
                    + " Video Endoscopic, " + VIDEO_PHOTOGRAPHIC + " Video Photographic), not \"" + sop + "\"");
        }
        return new TransmitterSetup(
                Input.text(n, "name", path, control.getAuthority()),
                control,
                token,
                VideoFormat.read(Input.optional(n, "video"), path + ".video", VideoFormat.DEFAULT),
                Destination.read(Input.optional(n, "destination"), path + ".destination"),
                sop,
                Equipment.read(Input.optional(n, "equipment"), path + ".equipment"));
    }

    URI sdpUrl() {
        return URI.create(control + "/SDP");
    }
}
