package org.medsync.sdp;

import static org.medsync.sdp.SdpException.Reason.BAD_TS_REFCLK;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code a=ts-refclk:<clock source>} (RFC 7273 section 4). ST 2110-10 uses
 * {@code ptp=IEEE1588-2008:<grandmaster EUI-64>:<domain>} (or {@code :traceable}) and, without
 * PTP, {@code localmac=<sender MAC>}.
 */
public sealed interface TsRefClk extends Attribute {

    Pattern EUI64 = Pattern.compile("[0-9A-Fa-f]{2}(-[0-9A-Fa-f]{2}){7}");
    Pattern MAC = Pattern.compile("[0-9A-Fa-f]{2}(-[0-9A-Fa-f]{2}){5}");
    Set<String> PTP_VERSIONS = Set.of("IEEE1588-2002", "IEEE1588-2008", "IEEE1588-2019", "IEEE802.1AS-2011");
    Set<String> OTHER_SOURCES = Set.of("ntp", "gps", "gal", "glonass", "local", "private");

    @Override
    default String name() {
        return "ts-refclk";
    }

    /** The text after {@code ts-refclk:}. */
    String source();

    @Override
    default String text() {
        return "ts-refclk:" + source();
    }

    /**
     * {@code ptp=<version>[:<gmid>[:<domain>]]} or {@code ptp=<version>:traceable}.
     *
     * @param grandmaster EUI-64 in hyphen form, e.g. {@code 08-00-11-FF-FE-21-E1-B0}
     * @param domain      PTP domain 0..127 (needs a grandmaster)
     */
    record Ptp(String version, boolean traceable, Optional<String> grandmaster, OptionalInt domain)
            implements TsRefClk {
        public Ptp {
            if (!PTP_VERSIONS.contains(version)) {
                throw new IllegalArgumentException("PTP version must be one of " + PTP_VERSIONS + ", was " + version);
            }
            Objects.requireNonNull(grandmaster, "grandmaster");
            Objects.requireNonNull(domain, "domain");
            if (traceable && (grandmaster.isPresent() || domain.isPresent())) {
                throw new IllegalArgumentException("traceable carries no grandmaster or domain");
            }
            grandmaster.ifPresent(g -> {
                if (!EUI64.matcher(g).matches()) {
                    throw new IllegalArgumentException("grandmaster must be an EUI-64 like 08-00-11-FF-FE-21-E1-B0");
                }
            });
            if (domain.isPresent() && (grandmaster.isEmpty() || domain.getAsInt() < 0 || domain.getAsInt() > 127)) {
                throw new IllegalArgumentException("domain 0..127 after a grandmaster");
            }
        }

        /** {@code ptp=IEEE1588-2008:<gmid>:<domain>}, the ST 2110-10 form. */
        public static Ptp ieee1588(String grandmaster, int domain) {
            return new Ptp("IEEE1588-2008", false, Optional.of(grandmaster), OptionalInt.of(domain));
        }

        @Override
        public String source() {
            if (traceable) {
                return "ptp=" + version + ":traceable";
            }
            return "ptp=" + version + grandmaster.map(g -> ":" + g).orElse("")
                    + (domain.isPresent() ? ":" + domain.getAsInt() : "");
        }
    }

    /** {@code localmac=<MAC>}: the sender's own free-running clock. */
    record LocalMac(String mac) implements TsRefClk {
        public LocalMac {
            if (!MAC.matcher(mac).matches()) {
                throw new IllegalArgumentException("MAC must be like CA-FE-01-CA-FE-02, was " + mac);
            }
        }

        @Override
        public String source() {
            return "localmac=" + mac;
        }
    }

    /** The other RFC 7273 sources ({@code ntp=...}, {@code gps}, {@code local}, ...), kept as text. */
    record Other(String source) implements TsRefClk {
        public Other {
            Syntax.requireByteString(source, "clock source");
            String kind = source.split("[=:]", 2)[0];
            if (!OTHER_SOURCES.contains(kind)) {
                throw new IllegalArgumentException("clock source must start with one of " + OTHER_SOURCES);
            }
        }
    }

    static TsRefClk parse(String value) {
        String expected = "a=ts-refclk:ptp=<version>:<gmid EUI-64>:<domain 0..127> | ptp=<version>:traceable"
                + " | localmac=<MAC> | ntp=... | gps | gal | glonass | local | private";
        if (value.startsWith("ptp=")) {
            String[] p = value.substring(4).split(":", -1);
            if (!PTP_VERSIONS.contains(p[0])) {
                throw new SdpException(
                        0, BAD_TS_REFCLK, expected + ", PTP version '" + p[0] + "' is not one of " + PTP_VERSIONS);
            }
            if (p.length == 1) {
                return new Ptp(p[0], false, Optional.empty(), OptionalInt.empty());
            }
            if (p.length == 2 && p[1].equals("traceable")) {
                return new Ptp(p[0], true, Optional.empty(), OptionalInt.empty());
            }
            if (p.length > 3 || !EUI64.matcher(p[1]).matches()) {
                throw new SdpException(
                        0,
                        BAD_TS_REFCLK,
                        expected + ", grandmaster '" + (p.length > 1 ? p[1] : "")
                                + "' is not an EUI-64 like 08-00-11-FF-FE-21-E1-B0");
            }
            OptionalInt domain = OptionalInt.empty();
            if (p.length == 3) {
                long d = Syntax.number(p[2], 127);
                if (d < 0) {
                    throw new SdpException(0, BAD_TS_REFCLK, expected + ", domain '" + p[2] + "' is not 0..127");
                }
                domain = OptionalInt.of((int) d);
            }
            return new Ptp(p[0], false, Optional.of(p[1]), domain);
        }
        if (value.startsWith("localmac=")) {
            String mac = value.substring(9);
            if (!MAC.matcher(mac).matches()) {
                throw new SdpException(
                        0, BAD_TS_REFCLK, expected + ", MAC '" + mac + "' is not like CA-FE-01-CA-FE-02");
            }
            return new LocalMac(mac);
        }
        if (OTHER_SOURCES.contains(value.split("[=:]", 2)[0])) {
            return new Other(value);
        }
        throw new SdpException(0, BAD_TS_REFCLK, expected + ", got '" + value + "'");
    }
}
