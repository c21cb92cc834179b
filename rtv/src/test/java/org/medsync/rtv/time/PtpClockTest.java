package org.medsync.rtv.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.medsync.sdp.SessionDescription;
import org.medsync.sdp.TsRefClk;

class PtpClockTest {

    /** The MAC the SDP names is the kernel's for the interface that holds the source address. */
    @Test
    void freeRunning_namesTheRealMacOfTheSendingInterface() throws IOException {
        Optional<NetworkInterface> eth = NetworkInterface.networkInterfaces()
                .filter(n ->
                        !n.getName().equals("lo") && Files.exists(Path.of("/sys/class/net", n.getName(), "address")))
                .filter(n -> n.inetAddresses().anyMatch(Inet4Address.class::isInstance))
                .findFirst();
        assumeTrue(eth.isPresent(), "no non-loopback IPv4 interface here");
        String address = eth.get()
                .inetAddresses()
                .filter(Inet4Address.class::isInstance)
                .map(InetAddress::getHostAddress)
                .findFirst()
                .orElseThrow();
        String kernel = Files.readString(Path.of("/sys/class/net", eth.get().getName(), "address"))
                .strip()
                .replace(':', '-')
                .toUpperCase(Locale.ROOT);
        try (PtpClock c = new PtpClock((code, m) -> {}, () -> {})) {
            assertEquals(new TsRefClk.LocalMac(kernel), c.refClk(address, "lo"));
            assertEquals(new TsRefClk.LocalMac("00-00-00-00-00-00"), c.refClk("127.0.0.1", "lo"));
        }
    }

    @Test
    void grandmasterWarning_onlyWhenFlowsDoNotShareOnePtpClock() {
        String gmA = "a=ts-refclk:ptp=IEEE1588-2008:08-00-11-FF-FE-21-E1-B0:127\r\n";
        String gmB = "a=ts-refclk:ptp=IEEE1588-2008:08-00-11-FF-FE-21-E1-B1:127\r\n";
        String mac = "a=ts-refclk:localmac=CA-FE-01-CA-FE-02\r\n";
        List<String> same = Grandmasters.of(List.of(sdp(gmA), sdp(gmA)));
        assertEquals(
                List.of(
                        "ptp=IEEE1588-2008:08-00-11-FF-FE-21-E1-B0:127",
                        "ptp=IEEE1588-2008:08-00-11-FF-FE-21-E1-B0:127"),
                same);
        assertTrue(Grandmasters.warning(same).isEmpty());
        String differ = Grandmasters.warning(Grandmasters.of(List.of(sdp(gmA), sdp(gmB))))
                .orElseThrow();
        assertTrue(differ.contains("E1-B0") && differ.contains("E1-B1"), differ);
        assertTrue(Grandmasters.warning(Grandmasters.of(List.of(sdp(gmA), sdp(mac))))
                .isPresent());
        assertTrue(Grandmasters.warning(Grandmasters.of(List.of(sdp(gmA)))).isEmpty());
    }

    private static SessionDescription sdp(String clock) {
        return SessionDescription.parse("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=x\r\nt=0 0\r\n"
                + "m=video 5004 RTP/AVP 96\r\nc=IN IP4 127.0.0.1\r\na=rtpmap:96 raw/90000\r\n" + clock
                + "a=mediaclk:direct=0\r\n");
    }
}
