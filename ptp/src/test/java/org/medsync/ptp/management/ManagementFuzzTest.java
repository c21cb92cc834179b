package org.medsync.ptp.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer target: whatever arrives on the management socket decodes or is refused with a
 * PtpFormatException, never anything else. Plain surefire replays src/test/resources/.../ManagementFuzzTestInputs.
 */
class ManagementFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void anyDatagram_decodesOrIsRefused(byte[] data) throws PtpFormatException {
        ManagementMessage m;
        try {
            m = ManagementMessage.decode(data);
        } catch (PtpFormatException e) {
            assertNotNull(e.getMessage());
            return;
        }
        assertNotNull(m.body());
        if (m.body() instanceof DataSet.Request(ManagementId id)) {
            // a GET we can read, written by us, reads back as the same question
            ManagementMessage again =
                    ManagementMessage.decode(ManagementMessage.get(id, m.domainNumber(), m.source(), m.sequenceId()));
            assertEquals(
                    new ManagementMessage(
                            m.domainNumber(),
                            m.source(),
                            m.sequenceId(),
                            PortIdentity.WILDCARD,
                            ManagementMessage.Action.GET,
                            m.body()),
                    again);
        }
    }
}
