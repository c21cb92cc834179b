package org.medsync.server.network;

/** A UDP port range setting such as {@code 50000-50100}; {@code 0-0} (an empty setting) means any port. */
public record PortRange(int min, int max) {
    public static final PortRange ANY = new PortRange(0, 0);

    /**
     * Reads {@code value} of setting {@code key}: {@code min-max}, a single port, or empty for any port.
     *
     * @throws IllegalArgumentException naming the setting and an example, for anything else
     */
    public static PortRange parse(String key, String value, String example) {
        String v = value.trim();
        if (v.isEmpty()) {
            return ANY;
        }
        String[] range = v.split("-", 2);
        try {
            return new PortRange(Integer.parseInt(range[0].trim()), Integer.parseInt(range[range.length - 1].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a range like " + example + ", not '" + v + "'");
        }
    }
}
