package org.medsync.bench.lag;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;

/** Sends every UDP datagram back to where it came from; runs in namespace B while {@link ImpairmentCheck} probes. */
public final class UdpEcho {
    private UdpEcho() {}

    public static void main(String[] args) throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(args[0], Integer.parseInt(args[1])))) {
            byte[] buf = new byte[2048];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            System.out.println("ready");
            System.out.flush();
            while (true) {
                p.setLength(buf.length);
                s.receive(p);
                s.send(new DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
            }
        }
    }
}
