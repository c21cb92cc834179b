package org.medsync.server.demo;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.Map;
import org.medsync.dicom.worklist.WorklistItem;

/**
 * The demo's live OR (docs/or-gateway.md "Demo OR"): two test-pattern RTV flows, an endoscope and a room camera,
 * whose static metadata is a demo worklist entry's, as an OR's configurator would have set it. The server runs the
 * transmitters and the gateway only while someone watches, so the idle 2-core demo machine encodes nothing, and at
 * 1280x720 10 frames per second, which that machine carries next to the rest of the demo while it is watched.
 */
public final class DemoOr {
    public static final String ID = "demo-or";
    /** The format of both flows: the smallest the RTV transmitter paces (720 lines), at a rate a 2-core host carries. */
    public static final String FORMAT = "test-pattern:720p10";

    private DemoOr() {}

    /** The demo worklist entry: a fictitious patient, scheduled today in the demo OR. */
    public static WorklistItem worklistEntry(LocalDate today) {
        return new WorklistItem(
                "DEMO^ALEX",
                "DEMO-0042",
                LocalDate.of(1961, 4, 12),
                "O",
                "DEMOACC0042",
                "2.25.301945786411223099375214463858417361731",
                "RP-0042",
                "Laparoscopic cholecystectomy",
                "DEMO^REFERRER",
                "SPS-0042",
                "Laparoscopic cholecystectomy",
                LocalDateTime.of(today, LocalTime.of(8, 0)),
                "ES",
                "DEMO_OR_ENDO",
                "DEMO-OR-ENDO",
                "Demo OR",
                "DEMO^SURGEON");
    }

    /** The demo OR's settings (docs/configuration.md "Live ORs"), under whatever the configuration file says. */
    public static Map<String, String> settings() {
        WorklistItem entry = worklistEntry(LocalDate.now());
        Map<String, String> s = new LinkedHashMap<>();
        s.put("ors", ID);
        s.put("or." + ID + ".name", entry.location());
        s.put("or." + ID + ".procedure", entry.requestedProcedureDescription());
        s.put("or." + ID + ".flows", "endoscope,room");
        s.put("or." + ID + ".flow.endoscope.sdp", FORMAT);
        s.put("or." + ID + ".flow.room.sdp", FORMAT);
        s.put("or." + ID + ".test-pattern.metadata", entry.toDicomJson());
        // A teaching procedure: students may watch too, and see its metadata de-identified (docs/or-gateway.md).
        s.put("or." + ID + ".teaching", "true");
        s.put("or." + ID + ".roles", "attending,resident,student");
        // A demo's viewers come and go: stop encoding soon after the last one left.
        s.put("or.gateway.idle-seconds", "10");
        return s;
    }
}
