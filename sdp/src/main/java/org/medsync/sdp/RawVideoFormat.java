package org.medsync.sdp;

import static org.medsync.sdp.SdpException.Reason.BAD_FMTP;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SequencedMap;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code a=fmtp} parameters of uncompressed video: RFC 4175 as profiled by SMPTE ST 2110-20
 * section 7 (and ST 2110-21 for TP, TROFF, CMAX; ST 2110-10 for MAXUDP).
 *
 * <pre>
 * a=fmtp:96 sampling=YCbCr-4:2:2; depth=10; width=1920; height=1080; exactframerate=50;
 *           colorimetry=BT709; PM=2110GPM; SSN=ST2110-20:2017; TP=2110TPNL
 * </pre>
 *
 * This is the SDP view: it checks the syntax and the enumerated values ST 2110-20 allows. Whether
 * a sender or receiver supports a format is decided by the payloader, not here.
 *
 * @param extra parameters this record does not know, in their order
 */
public record RawVideoFormat(
        String sampling,
        String depth,
        int width,
        int height,
        ExactFrameRate exactFrameRate,
        String colorimetry,
        String packingMode,
        String ssn,
        String transmitterType,
        boolean interlace,
        boolean segmented,
        Optional<String> tcs,
        Optional<String> range,
        OptionalInt maxUdp,
        Optional<String> par,
        OptionalInt troff,
        OptionalInt cmax,
        SequencedMap<String, String> extra) {

    static final Set<String> SAMPLINGS = Set.of(
            "YCbCr-4:4:4",
            "YCbCr-4:2:2",
            "YCbCr-4:2:0",
            "CLYCbCr-4:4:4",
            "CLYCbCr-4:2:2",
            "CLYCbCr-4:2:0",
            "ICtCp-4:4:4",
            "ICtCp-4:2:2",
            "ICtCp-4:2:0",
            "RGB",
            "XYZ",
            "KEY");
    static final Set<String> DEPTHS = Set.of("8", "10", "12", "16", "16f");
    static final Set<String> COLORIMETRIES =
            Set.of("BT601", "BT709", "BT2020", "BT2100", "ST2065-1", "ST2065-3", "UNSPECIFIED", "XYZ", "ALPHA");
    static final Set<String> PMS = Set.of("2110GPM", "2110BPM");
    static final Set<String> SSNS = Set.of("ST2110-20:2017", "ST2110-20:2022");
    static final Set<String> TPS = Set.of("2110TPN", "2110TPNL", "2110TPW");
    static final Set<String> TCSS = Set.of(
            "SDR",
            "PQ",
            "HLG",
            "LINEAR",
            "BT2100LINPQ",
            "BT2100LINHLG",
            "ST2065-1",
            "ST428-1",
            "DENSITY",
            "ST2115LOGS3",
            "UNSPECIFIED");
    static final Set<String> RANGES = Set.of("NARROW", "FULLPROTECT", "FULL");
    /** Names this record owns, lower-cased; the SDP names are case-insensitive (RFC 4855). */
    static final Set<String> KNOWN = Set.of(
            "sampling",
            "depth",
            "width",
            "height",
            "exactframerate",
            "colorimetry",
            "pm",
            "ssn",
            "tp",
            "interlace",
            "segmented",
            "tcs",
            "range",
            "maxudp",
            "par",
            "troff",
            "cmax");

    public RawVideoFormat {
        require(SAMPLINGS, sampling, "sampling");
        require(DEPTHS, depth, "depth");
        if (width < 1 || width > 32767 || height < 1 || height > 32767) {
            throw new IllegalArgumentException("width and height must be 1..32767, were " + width + "x" + height);
        }
        Objects.requireNonNull(exactFrameRate, "exactFrameRate");
        require(COLORIMETRIES, colorimetry, "colorimetry");
        require(PMS, packingMode, "PM");
        require(SSNS, ssn, "SSN");
        require(TPS, transmitterType, "TP");
        tcs.ifPresent(v -> require(TCSS, v, "TCS"));
        range.ifPresent(v -> require(RANGES, v, "RANGE"));
        if (maxUdp.isPresent() && (maxUdp.getAsInt() < 1 || maxUdp.getAsInt() > 8960)) {
            throw new IllegalArgumentException("MAXUDP must be 1..8960");
        }
        par.ifPresent(v -> {
            if (!v.matches("[1-9][0-9]{0,8}:[1-9][0-9]{0,8}")) {
                throw new IllegalArgumentException("PAR must be <w>:<h>, was " + v);
            }
        });
        if (troff.isPresent() && troff.getAsInt() < 0 || cmax.isPresent() && cmax.getAsInt() < 1) {
            throw new IllegalArgumentException("TROFF must be >= 0 and CMAX >= 1");
        }
        LinkedHashMap<String, String> copy = new LinkedHashMap<>();
        extra.forEach((k, v) -> {
            if (!Syntax.isToken(k) || KNOWN.contains(k.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("extra parameter name '" + k + "' is not a new token");
            }
            if (v.isEmpty() || v.indexOf(';') >= 0 || !Syntax.isField(v)) {
                throw new IllegalArgumentException("extra parameter value '" + v + "' is empty or has ';' or space");
            }
            copy.put(k, v);
        });
        extra = Collections.unmodifiableSequencedMap(copy);
    }

    /** The required parameters only; 2110GPM, SSN ST2110-20:2017, no optional ones. */
    public static RawVideoFormat of(
            String sampling,
            int depth,
            int width,
            int height,
            ExactFrameRate rate,
            String colorimetry,
            String transmitterType) {
        return new RawVideoFormat(
                sampling,
                Integer.toString(depth),
                width,
                height,
                rate,
                colorimetry,
                "2110GPM",
                "ST2110-20:2017",
                transmitterType,
                false,
                false,
                Optional.empty(),
                Optional.empty(),
                OptionalInt.empty(),
                Optional.empty(),
                OptionalInt.empty(),
                OptionalInt.empty(),
                new LinkedHashMap<>());
    }

    public RawVideoFormat withMaxUdp(int bytes) {
        return new RawVideoFormat(
                sampling,
                depth,
                width,
                height,
                exactFrameRate,
                colorimetry,
                packingMode,
                ssn,
                transmitterType,
                interlace,
                segmented,
                tcs,
                range,
                OptionalInt.of(bytes),
                par,
                troff,
                cmax,
                extra);
    }

    public RawVideoFormat withTcs(String value) {
        return new RawVideoFormat(
                sampling,
                depth,
                width,
                height,
                exactFrameRate,
                colorimetry,
                packingMode,
                ssn,
                transmitterType,
                interlace,
                segmented,
                Optional.of(value),
                range,
                maxUdp,
                par,
                troff,
                cmax,
                extra);
    }

    /** The parameter text, in a fixed order, separated by "; ". */
    public String parameters() {
        StringBuilder b = new StringBuilder();
        b.append("sampling=")
                .append(sampling)
                .append("; depth=")
                .append(depth)
                .append("; width=")
                .append(width)
                .append("; height=")
                .append(height)
                .append("; exactframerate=")
                .append(exactFrameRate)
                .append("; colorimetry=")
                .append(colorimetry)
                .append("; PM=")
                .append(packingMode)
                .append("; SSN=")
                .append(ssn)
                .append("; TP=")
                .append(transmitterType);
        if (interlace) {
            b.append("; interlace");
        }
        if (segmented) {
            b.append("; segmented");
        }
        tcs.ifPresent(v -> b.append("; TCS=").append(v));
        range.ifPresent(v -> b.append("; RANGE=").append(v));
        maxUdp.ifPresent(v -> b.append("; MAXUDP=").append(v));
        par.ifPresent(v -> b.append("; PAR=").append(v));
        troff.ifPresent(v -> b.append("; TROFF=").append(v));
        cmax.ifPresent(v -> b.append("; CMAX=").append(v));
        extra.forEach((k, v) -> b.append("; ").append(k).append('=').append(v));
        return b.toString();
    }

    public Fmtp toFmtp(int payloadType) {
        return new Fmtp(payloadType, parameters());
    }

    /**
     * Reads ST 2110-20 parameters: {@code name=value} pairs separated by ';' with optional spaces,
     * a trailing ';' allowed, names case-insensitive, {@code interlace} and {@code segmented}
     * without a value.
     *
     * @throws SdpException BAD_FMTP naming the parameter and what was expected (line 0)
     */
    public static RawVideoFormat parse(String parameters) {
        Map<String, String> seen = new LinkedHashMap<>();
        LinkedHashMap<String, String> extra = new LinkedHashMap<>();
        for (String raw : parameters.split(";", -1)) {
            String p = raw.strip();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            String name = (eq < 0 ? p : p.substring(0, eq)).strip();
            String value = eq < 0 ? null : p.substring(eq + 1).strip();
            String key = name.toLowerCase(Locale.ROOT);
            if (!Syntax.isToken(name) || value != null && !Syntax.isField(value)) {
                throw fail("<name>=<value> with no spaces inside, got '" + p + "'");
            }
            if (seen.containsKey(key) || extra.keySet().stream().anyMatch(k -> k.equalsIgnoreCase(name))) {
                throw fail("each parameter once, '" + name + "' appears twice");
            }
            if (KNOWN.contains(key)) {
                boolean flag = key.equals("interlace") || key.equals("segmented");
                if (flag && value != null && !value.equals("1")) {
                    throw fail(name + " without a value, got '" + p + "'");
                }
                if (!flag && value == null) {
                    throw fail(name + "=<value>, got '" + p + "'");
                }
                seen.put(key, value == null ? "" : value);
            } else {
                if (value == null) {
                    throw fail("<name>=<value> for unknown parameter '" + name + "'");
                }
                extra.put(name, value);
            }
        }
        for (String required :
                new String[] {"sampling", "depth", "width", "height", "exactframerate", "colorimetry", "pm", "ssn", "tp"
                }) {
            if (!seen.containsKey(required)) {
                throw fail("the ST 2110-20 parameter "
                        + (required.length() <= 3 ? required.toUpperCase(Locale.ROOT) : required)
                        + ", it is missing");
            }
        }
        String sampling = oneOf(seen, "sampling", SAMPLINGS);
        String depth = oneOf(seen, "depth", DEPTHS);
        int width = (int) number(seen, "width", 1, 32767);
        int height = (int) number(seen, "height", 1, 32767);
        ExactFrameRate rate;
        try {
            rate = ExactFrameRate.parse(seen.get("exactframerate"));
        } catch (IllegalArgumentException e) {
            throw fail("exactframerate=<integer> or <integer>/<integer>, got '" + seen.get("exactframerate") + "'");
        }
        String par = seen.get("par");
        if (par != null && !par.matches("[1-9][0-9]{0,8}:[1-9][0-9]{0,8}")) {
            throw fail("PAR=<width>:<height>, got '" + par + "'");
        }
        return new RawVideoFormat(
                sampling,
                depth,
                width,
                height,
                rate,
                oneOf(seen, "colorimetry", COLORIMETRIES),
                oneOf(seen, "pm", PMS),
                oneOf(seen, "ssn", SSNS),
                oneOf(seen, "tp", TPS),
                seen.containsKey("interlace"),
                seen.containsKey("segmented"),
                Optional.ofNullable(seen.containsKey("tcs") ? oneOf(seen, "tcs", TCSS) : null),
                Optional.ofNullable(seen.containsKey("range") ? oneOf(seen, "range", RANGES) : null),
                seen.containsKey("maxudp")
                        ? OptionalInt.of((int) number(seen, "maxudp", 1, 8960))
                        : OptionalInt.empty(),
                Optional.ofNullable(par),
                seen.containsKey("troff")
                        ? OptionalInt.of((int) number(seen, "troff", 0, 1_000_000))
                        : OptionalInt.empty(),
                seen.containsKey("cmax")
                        ? OptionalInt.of((int) number(seen, "cmax", 1, 1_000_000))
                        : OptionalInt.empty(),
                extra);
    }

    private static String oneOf(Map<String, String> seen, String key, Set<String> allowed) {
        String v = seen.get(key);
        if (!allowed.contains(v)) {
            throw fail(display(key) + " one of " + new TreeSet<>(allowed) + ", got '" + v + "'");
        }
        return v;
    }

    private static long number(Map<String, String> seen, String key, long min, long max) {
        String v = seen.get(key);
        long n = Syntax.number(v, max);
        if (n < min) {
            throw fail(display(key) + "=<integer " + min + ".." + max + ">, got '" + v + "'");
        }
        return n;
    }

    private static String display(String key) {
        return switch (key) {
            case "pm", "ssn", "tp", "tcs", "range", "maxudp", "par", "troff", "cmax" -> key.toUpperCase(Locale.ROOT);
            default -> key;
        };
    }

    private static SdpException fail(String expected) {
        return new SdpException(0, BAD_FMTP, expected);
    }

    private static void require(Set<String> allowed, String v, String what) {
        if (!allowed.contains(v)) {
            throw new IllegalArgumentException(what + " must be one of " + allowed + ", was " + v);
        }
    }
}
