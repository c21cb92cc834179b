package org.medsync.bench.bandwidth;

import java.util.List;

/**
 * What one page's RTCPeerConnections have sent and received so far, summed over the connections that are not
 * closed (a snapshot of {@link #SNAPSHOT}'s counters), and the rates between two snapshots.
 *
 * <p>Counts: {@code transport} is the UDP payload of every packet of the connection (DTLS records carrying SCTP
 * and data, SRTP and SRTCP; not STUN), {@code data} the payload of the data channels (MessagePack bytes),
 * {@code audio} the audio RTP packets (RTP header, Opus payload and SRTP's authentication tag), {@code relay} the
 * transport of the data-only connection to the server's relay. On the wire every UDP packet also carries 28 bytes
 * of IPv4 and UDP header; {@link Rates} adds them.
 */
record Traffic(
        double transportSent,
        double transportReceived,
        double packetsSent,
        double packetsReceived,
        double dataSent,
        double dataReceived,
        double audioSent,
        double audioReceived,
        double audioPacketsSent,
        double audioPacketsReceived,
        double relaySent,
        double relayReceived,
        double relayPacketsSent,
        double relayPacketsReceived,
        int meshConnected,
        int relayConnected,
        double millis) {

    static final int IPV4_UDP_HEADERS = 28;

    /**
     * Chromium: sums getStats() over every RTCPeerConnection kept by the init script {@link org.medsync.bench.readout.Pages#KEEP_PEER_CONNECTIONS};
     * returns the numbers in the record's order. The relay connection is the one without transceivers (data only).
     */
    static final String SNAPSHOT = """
            async () => {
              const t = { ts: 0, tr: 0, ps: 0, pr: 0, ds: 0, dr: 0, as: 0, ar: 0, aps: 0, apr: 0, rs: 0, rr: 0, rps: 0, rpr: 0, mesh: 0, relay: 0 };
              for (const pc of window.__benchPcs ?? []) {
                if (pc.connectionState === 'closed') continue;
                const relay = pc.getTransceivers().length === 0;
                if (pc.connectionState === 'connected') relay ? t.relay++ : t.mesh++;
                const stats = [...(await pc.getStats()).values()];
                // SRTP adds an authentication tag to every RTP packet: 10 bytes (AES_CM_128_HMAC_SHA1_80) or 16 (AES-GCM).
                const tag = (stats.find((s) => s.type === 'transport')?.srtpCipher ?? '').includes('GCM') ? 16 : 10;
                stats.forEach((s) => {
                  if (s.type === 'transport') {
                    t.ts += s.bytesSent ?? 0; t.tr += s.bytesReceived ?? 0; t.ps += s.packetsSent ?? 0; t.pr += s.packetsReceived ?? 0;
                    if (relay) { t.rs += s.bytesSent ?? 0; t.rr += s.bytesReceived ?? 0; t.rps += s.packetsSent ?? 0; t.rpr += s.packetsReceived ?? 0; }
                  } else if (s.type === 'data-channel') {
                    t.ds += s.bytesSent ?? 0; t.dr += s.bytesReceived ?? 0;
                  } else if (s.type === 'outbound-rtp' && s.kind === 'audio') {
                    t.as += (s.bytesSent ?? 0) + (s.headerBytesSent ?? 0) + tag * (s.packetsSent ?? 0); t.aps += s.packetsSent ?? 0;
                  } else if (s.type === 'inbound-rtp' && s.kind === 'audio') {
                    t.ar += (s.bytesReceived ?? 0) + (s.headerBytesReceived ?? 0) + tag * (s.packetsReceived ?? 0); t.apr += s.packetsReceived ?? 0;
                  }
                });
              }
              return [t.ts, t.tr, t.ps, t.pr, t.ds, t.dr, t.as, t.ar, t.aps, t.apr, t.rs, t.rr, t.rps, t.rpr, t.mesh, t.relay,
                performance.timeOrigin + performance.now()];
            }""";

    /** Parses {@link #SNAPSHOT}'s answer; refuses anything but 17 finite non-negative numbers. */
    static Traffic parse(Object evaluated) {
        if (!(evaluated instanceof List<?> list) || list.size() != 17) {
            throw new IllegalArgumentException("a traffic snapshot has 17 numbers, got " + evaluated);
        }
        double[] v = new double[17];
        for (int i = 0; i < v.length; i++) {
            if (!(list.get(i) instanceof Number n) || !Double.isFinite(n.doubleValue()) || n.doubleValue() < 0) {
                throw new IllegalArgumentException("a traffic snapshot's number " + i + " is " + list.get(i));
            }
            v[i] = n.doubleValue();
        }
        return new Traffic(
                v[0],
                v[1],
                v[2],
                v[3],
                v[4],
                v[5],
                v[6],
                v[7],
                v[8],
                v[9],
                v[10],
                v[11],
                v[12],
                v[13],
                (int) v[14],
                (int) v[15],
                v[16]);
    }

    /** Bytes per second from this snapshot to {@code later}, one direction of one page. */
    record Rates(
            double wire,
            double transport,
            double data,
            double audioWire,
            double relayWire,
            double packets,
            double seconds) {
        /** Everything but the audio RTP: the data channels with their SCTP and DTLS framing, RTCP, ICE keep-alives. */
        double nonAudioWire() {
            return Math.max(0, wire - audioWire);
        }
    }

    Rates sentUntil(Traffic later) {
        double s = seconds(later);
        return new Rates(
                (later.transportSent - transportSent + IPV4_UDP_HEADERS * (later.packetsSent - packetsSent)) / s,
                (later.transportSent - transportSent) / s,
                (later.dataSent - dataSent) / s,
                (later.audioSent - audioSent + IPV4_UDP_HEADERS * (later.audioPacketsSent - audioPacketsSent)) / s,
                (later.relaySent - relaySent + IPV4_UDP_HEADERS * (later.relayPacketsSent - relayPacketsSent)) / s,
                (later.packetsSent - packetsSent) / s,
                s);
    }

    Rates receivedUntil(Traffic later) {
        double s = seconds(later);
        return new Rates(
                (later.transportReceived
                                - transportReceived
                                + IPV4_UDP_HEADERS * (later.packetsReceived - packetsReceived))
                        / s,
                (later.transportReceived - transportReceived) / s,
                (later.dataReceived - dataReceived) / s,
                (later.audioReceived
                                - audioReceived
                                + IPV4_UDP_HEADERS * (later.audioPacketsReceived - audioPacketsReceived))
                        / s,
                (later.relayReceived
                                - relayReceived
                                + IPV4_UDP_HEADERS * (later.relayPacketsReceived - relayPacketsReceived))
                        / s,
                (later.packetsReceived - packetsReceived) / s,
                s);
    }

    private double seconds(Traffic later) {
        double s = (later.millis - millis) / 1000;
        if (!(s > 0)) {
            throw new IllegalArgumentException("the later snapshot is not later: " + s + " s");
        }
        if (later.transportSent < transportSent || later.transportReceived < transportReceived) {
            throw new IllegalStateException("a connection closed during the window: its counters left the sum");
        }
        return s;
    }
}
