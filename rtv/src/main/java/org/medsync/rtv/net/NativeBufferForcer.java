package org.medsync.rtv.net;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * SO_RCVBUFFORCE through the FFM API (Linux), on every UDP socket bound to the address: sockets sharing a multicast
 * port (SO_REUSEADDR) cannot be told apart, and a larger buffer harms none of them. Loaded by name from
 * {@link SocketBuffers} (see there why).
 */
final class NativeBufferForcer implements SocketBuffers.BufferForcer {

    private final NativeSockets sockets;

    /** @throws IllegalStateException where the calls cannot be linked (not Linux, no /proc) */
    NativeBufferForcer() {
        this.sockets = new NativeSockets();
    }

    @Override
    public int force(InetSocketAddress local, int bytes) throws IOException {
        int done = 0;
        for (int fd : sockets.descriptorsBoundTo(local)) {
            if (sockets.setInt(fd, NativeSockets.SOL_SOCKET, NativeSockets.SO_RCVBUFFORCE, bytes)) {
                done++;
            }
        }
        return done;
    }
}
