package org.medsync.ptp.uds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsync.ptp.clock.ManagementTransport;
import org.medsync.ptp.management.ClockIdentity;
import org.medsync.ptp.management.DataSet;
import org.medsync.ptp.management.ManagementId;
import org.medsync.ptp.management.ManagementMessage;
import org.medsync.ptp.management.PortIdentity;
import org.medsync.testsupport.ptp.PtpLab;

/**
 * Our codec and socket against linuxptp's pmc, the independent implementation, asking the same two
 * real ptp4l: every field that does not move between two questions must read the same.
 */
class PmcAgreementTest {

    @Test
    void ourAnswersEqualPmcs_forGrandmasterAndClient(@TempDir Path dir) throws Exception {
        Optional<String> why = PtpLab.unavailable();
        assumeTrue(why.isEmpty(), () -> why.get());
        try (PtpLab lab = PtpLab.start(dir, 127);
                ManagementTransport t = ManagementTransport.unixSocket(lab.clientSocket());
                ManagementTransport g = UnixDatagramTransport.open(lab.grandmasterSocket())) {
            long deadline = System.nanoTime() + PtpLab.LOCK_WAIT.toNanos();
            while (!(get(t, ManagementId.TIME_STATUS_NP, 127) instanceof DataSet.TimeStatus ts && ts.gmPresent())) {
                assertTrue(System.nanoTime() < deadline, () -> "client never saw the grandmaster\n" + lab.logs());
                Thread.sleep(200);
            }
            for (ManagementTransport tr : new ManagementTransport[] {t, g}) {
                Path socket = tr == t ? lab.clientSocket() : lab.grandmasterSocket();
                for (ManagementId id : ManagementId.values()) {
                    Map<String, String> ours = pmcFields(get(tr, id, 127));
                    Map<String, String> theirs = parsePmc(lab.pmc(socket, "GET " + id));
                    for (var e : ours.entrySet()) {
                        assertEquals(theirs.get(e.getKey()), e.getValue(), id + " " + e.getKey() + " at " + socket);
                    }
                    assertTrue(theirs.keySet().containsAll(ours.keySet()), id + ": " + theirs);
                }
            }
            DataSet.Default gm = (DataSet.Default) get(g, ManagementId.DEFAULT_DATA_SET, 127);
            DataSet.Parent parent = (DataSet.Parent) get(t, ManagementId.PARENT_DATA_SET, 127);
            assertEquals(gm.clockIdentity(), parent.grandmasterIdentity());
            // a question in another domain gets no answer at all
            t.send(ManagementMessage.get(
                    ManagementId.DEFAULT_DATA_SET, 0, new PortIdentity(new ClockIdentity(0), 7), 1));
            assertTrue(t.receive(Duration.ofMillis(500)).isEmpty());
        }
    }

    @Test
    void aMissingSocketIsAnIOExceptionNamingIt(@TempDir Path dir) throws Exception {
        try (ManagementTransport t = ManagementTransport.unixSocket(dir.resolve("no-ptp4l"))) {
            IOException e = assertThrows(IOException.class, () -> t.send(new byte[54]));
            assertTrue(e.getMessage().contains("no-ptp4l"), e.getMessage());
        }
    }

    private static int seq;

    static DataSet get(ManagementTransport t, ManagementId id, int domain) throws Exception {
        int s = ++seq;
        t.send(ManagementMessage.get(id, domain, new PortIdentity(new ClockIdentity(0), 4242), s));
        while (true) {
            byte[] d = t.receive(Duration.ofSeconds(2)).orElseThrow(() -> new AssertionError("no answer to " + id));
            ManagementMessage m = ManagementMessage.decode(d);
            if (m.sequenceId() == s) {
                assertEquals(ManagementMessage.Action.RESPONSE, m.action());
                return m.body();
            }
        }
    }

    /** Our data set in pmc's words, only the fields that do not change from one question to the next. */
    static Map<String, String> pmcFields(DataSet d) {
        Map<String, String> m = new LinkedHashMap<>();
        switch (d) {
            case DataSet.Default x -> {
                m.put("twoStepFlag", x.twoStep() ? "1" : "0");
                m.put("slaveOnly", x.slaveOnly() ? "1" : "0");
                m.put("numberPorts", "" + x.numberPorts());
                m.put("priority1", "" + x.priority1());
                m.put("clockClass", "" + x.quality().clockClass());
                m.put("clockAccuracy", String.format("0x%x", x.quality().clockAccuracy()));
                m.put(
                        "offsetScaledLogVariance",
                        String.format("0x%x", x.quality().offsetScaledLogVariance()));
                m.put("priority2", "" + x.priority2());
                m.put("clockIdentity", x.clockIdentity().pmcForm());
                m.put("domainNumber", "" + x.domainNumber());
            }
            case DataSet.Current x -> m.put("stepsRemoved", "" + x.stepsRemoved());
            case DataSet.Parent x -> {
                m.put("parentPortIdentity", x.parentPort().toString());
                m.put("parentStats", x.parentStats() ? "1" : "0");
                m.put(
                        "observedParentOffsetScaledLogVariance",
                        String.format("0x%x", x.observedParentOffsetScaledLogVariance()));
                m.put(
                        "observedParentClockPhaseChangeRate",
                        String.format("0x%x", x.observedParentClockPhaseChangeRate()));
                m.put("grandmasterPriority1", "" + x.grandmasterPriority1());
                m.put("gm.ClockClass", "" + x.grandmasterQuality().clockClass());
                m.put(
                        "gm.ClockAccuracy",
                        String.format("0x%x", x.grandmasterQuality().clockAccuracy()));
                m.put(
                        "gm.OffsetScaledLogVariance",
                        String.format("0x%x", x.grandmasterQuality().offsetScaledLogVariance()));
                m.put("grandmasterPriority2", "" + x.grandmasterPriority2());
                m.put("grandmasterIdentity", x.grandmasterIdentity().pmcForm());
            }
            case DataSet.Port x -> {
                m.put("portIdentity", x.portIdentity().toString());
                m.put("portState", x.portState().name());
                m.put("logMinDelayReqInterval", "" + x.logMinDelayReqInterval());
                m.put("peerMeanPathDelay", "" + (x.peerMeanPathDelayScaled() >> 16));
                m.put("logAnnounceInterval", "" + x.logAnnounceInterval());
                m.put("announceReceiptTimeout", "" + x.announceReceiptTimeout());
                m.put("logSyncInterval", "" + x.logSyncInterval());
                m.put("delayMechanism", "" + x.delayMechanism());
                m.put("logMinPdelayReqInterval", "" + x.logMinPdelayReqInterval());
                m.put("versionNumber", "" + x.versionNumber());
            }
            case DataSet.TimeStatus x -> {
                m.put("gmPresent", "" + x.gmPresent());
                m.put("gmIdentity", x.gmIdentity().pmcForm());
                m.put("gmTimeBaseIndicator", "" + x.gmTimeBaseIndicator());
            }
            default -> throw new AssertionError("unexpected " + assertInstanceOf(DataSet.class, d));
        }
        return m;
    }

    static Map<String, String> parsePmc(String out) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("\t\t")) {
                String[] kv = line.strip().split("\\s+", 2);
                m.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        return m;
    }
}
