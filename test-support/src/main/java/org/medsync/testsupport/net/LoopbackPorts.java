package org.medsync.testsupport.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ports for peers a test starts itself (a child process cannot be handed port 0 and asked which it got). */
public final class LoopbackPorts {
    private LoopbackPorts() {}

    /** A TCP port free on the loopback address at the time of the call. */
    public static int free() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
