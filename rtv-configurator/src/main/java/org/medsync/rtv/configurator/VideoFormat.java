package org.medsync.rtv.configurator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The video a transmitter should expect from its source (the paper's "awaited SDI video flow"); the
 * transmitter raises a format-mismatch alert when the source differs. Field names as in
 * docs/rtv-control.md and ST 2110-20 fmtp (sampling, depth, colorimetry, exactframerate).
 */
public record VideoFormat(int width, int height, String rate, String sampling, int depth, String colorimetry) {

    /** 1280x720 50 Hz 4:2:2 10-bit BT.709: the outside-the-OR format of the MedSync papers. */
    static final VideoFormat DEFAULT = new VideoFormat(1280, 720, "50", "YCbCr-4:2:2", 10, "BT709");

    private static final Pattern RATE = Pattern.compile("[1-9][0-9]{0,3}(/1001)?");
    private static final Set<String> SAMPLINGS = Set.of("YCbCr-4:2:2", "YCbCr-4:4:4", "YCbCr-4:2:0", "RGB");
    private static final Set<Integer> DEPTHS = Set.of(8, 10, 12, 16);
    private static final Set<String> COLORIMETRIES =
            Set.of("BT601", "BT709", "BT2020", "BT2100", "ST2065-1", "ST2065-3", "XYZ");

    static VideoFormat read(JsonNode n, String path, VideoFormat fallback) throws ConfigException {
        if (n == null) {
            return fallback;
        }
        Input.object(n, path);
        VideoFormat d = fallback == null ? DEFAULT : fallback;
        int width = Input.integer(n, "width", path, d.width, 16, 7680);
        int height = Input.integer(n, "height", path, d.height, 16, 4320);
        String rate = Input.text(n, "rate", path, d.rate); // "50", never 50: docs/rtv-control.md types are strict
        if (!RATE.matcher(rate).matches()) {
            throw new ConfigException(
                    path + ".rate must be \"N\" or \"N/1001\" (e.g. \"50\", \"60000/1001\"), not \"" + rate + "\"");
        }
        String sampling = Input.text(n, "sampling", path, d.sampling);
        if (!SAMPLINGS.contains(sampling)) {
            throw new ConfigException(path + ".sampling must be one of " + SAMPLINGS + ", not \"" + sampling + "\"");
        }
        int depth = Input.integer(n, "depth", path, d.depth, 8, 16);
        if (!DEPTHS.contains(depth)) {
            throw new ConfigException(path + ".depth must be one of " + DEPTHS + ", not " + depth);
        }
        String colorimetry = Input.text(n, "colorimetry", path, d.colorimetry);
        if (!COLORIMETRIES.contains(colorimetry)) {
            throw new ConfigException(
                    path + ".colorimetry must be one of " + COLORIMETRIES + ", not \"" + colorimetry + "\"");
        }
        if (sampling.endsWith("4:2:2") && width % 2 != 0
                || sampling.endsWith("4:2:0") && (width % 2 != 0 || height % 2 != 0)) {
            throw new ConfigException(path + ": " + sampling + " needs an even width"
                    + (sampling.endsWith("4:2:0") ? " and height" : ""));
        }
        return new VideoFormat(width, height, rate, sampling, depth, colorimetry);
    }

    ObjectNode toJson() {
        ObjectNode o = Input.JSON.createObjectNode();
        o.put("width", width)
                .put("height", height)
                .put("rate", rate)
                .put("sampling", sampling)
                .put("depth", depth)
                .put("colorimetry", colorimetry);
        return o;
    }
}
