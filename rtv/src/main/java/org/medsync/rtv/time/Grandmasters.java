package org.medsync.rtv.time;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.medsync.sdp.MediaDescription;
import org.medsync.sdp.SessionDescription;
import org.medsync.sdp.TsRefClk;

/**
 * Which clock each flow a receiver is given follows, from its SDP's {@code a=ts-refclk}: flows on
 * different grandmasters (or free-running) cannot be composed frame-exact by RTP timestamp.
 */
public final class Grandmasters {

    private Grandmasters() {}

    /** The clock of each SDP's media (the first ts-refclk, media level before session level). */
    public static List<String> of(List<SessionDescription> sdps) {
        List<String> out = new ArrayList<>();
        for (SessionDescription s : sdps) {
            Optional<TsRefClk> c = Optional.empty();
            for (MediaDescription m : s.media()) {
                c = m.attributes(TsRefClk.class).stream().findFirst();
                if (c.isPresent()) {
                    break;
                }
            }
            if (c.isEmpty()) {
                c = s.attributes().stream()
                        .filter(TsRefClk.class::isInstance)
                        .map(TsRefClk.class::cast)
                        .findFirst();
            }
            out.add(c.map(TsRefClk::source).orElse("none"));
        }
        return out;
    }

    /** A warning when the flows do not all follow one PTP grandmaster in one domain. */
    public static Optional<String> warning(List<String> clocks) {
        Set<String> distinct = new LinkedHashSet<>(clocks);
        if (clocks.size() < 2
                || distinct.size() == 1 && distinct.iterator().next().startsWith("ptp=")) {
            return Optional.empty();
        }
        if (distinct.size() == 1) {
            return Optional.of("the flows follow no common PTP grandmaster ("
                    + distinct.iterator().next()
                    + "): their frames are matched by RTP timestamp but not locked to one clock");
        }
        return Optional.of("the flows follow different clocks " + distinct
                + ": frames with equal RTP timestamps were not taken at the same time");
    }
}
