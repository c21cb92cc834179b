// Light headless readout participants for the bandwidth benchmark (scripts/bench bandwidth, docs/benchmarks.md).
//
// Each crowd peer is a real participant of a readout, speaking the wire protocol of docs/readout-protocol.md:
// it joins as a guest with an invite (POST /api/readouts/join), opens the signaling WebSocket with that
// session's cookie, sends STATUS (ready, following, unmuted) and, as any newcomer, offers to the peers of its
// first ROSTER one RTCPeerConnection with the data channel "view" (unordered, maxRetransmits 0) and an Opus
// audio track (sendrecv). It answers offers made to it the same way. On TOPOLOGY relay it also offers a
// data-only connection to the server's relay (peer RELAY), as browsers do, and publishes its audio to the
// server's SFU ("Audio in relay mode": AUDIO leg 1, a sendonly Opus connection); once both are up it closes its
// mesh connections, and while the readout is on the relay it neither offers nor answers mesh connections
// (a newcomer learns the path from TOPOLOGY, which comes before its first ROSTER). Crowd peers do not
// subscribe (they would only drop what they hear, and Janus forwarding every feed to 30 listeners would measure
// the two cores, not the readout): subscribe offers are left unanswered. Without an SFU (TOPOLOGY relay with
// audio 0, mesh) the audio stays on the mesh.
//
// Audio: every 20 ms each peer sends one RTP packet of Opus silence (the 3-byte frame f8 ff fe, a 20 ms
// CELT frame of digital silence, 48 kHz clock, payload type of the negotiated Opus) on every connection:
// a real microphone stream sent without DTX, but with a far smaller payload than Chromium's (about 60-120
// bytes a packet for its fake tone). View data it receives is counted and dropped.
//
// Usage: node crowd.mjs --server http://127.0.0.1:PORT --readout ID --token INVITE --peers N [--links chromium|all]
// --links chromium (default): crowd peers link to every participant except each other (the measured
// Chromium pages still see a full mesh; the crowd's own N^2 links would not fit on two cores); all: full mesh.
// Prints one JSON object a line: {"event":"joined","peer":7}, {"event":"ready","peers":N}, {"event":"stats",...}.
// Stops on SIGTERM or when stdin closes, closing every connection.
import nodeDataChannel from 'node-datachannel';
import { encode, decode } from '@msgpack/msgpack';
import WebSocket from 'ws';

const RELAY = 2147483647;
const OFFER = 1;
const ANSWER = 2;
const CANDIDATE = 3;
const OPUS_SILENCE = Buffer.from([0xf8, 0xff, 0xfe]);

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []),
);
const server = new URL(args.server ?? fail('--server is required'));
const readoutId = args.readout ?? fail('--readout is required');
const token = args.token ?? fail('--token is required');
const count = Number(args.peers ?? fail('--peers is required'));
const links = args.links ?? 'chromium';
if (!Number.isInteger(count) || count < 0 || count > 126) fail('--peers must be 0..126');
if (links !== 'chromium' && links !== 'all') fail('--links is chromium or all');

function fail(message) {
  console.error(`crowd: ${message}`);
  process.exit(2);
}

// Every stderr line carries the time, so a failure in crowd.log can be matched with a run of the benchmark.
const consoleError = console.error.bind(console);
console.error = (...a) => consoleError(new Date().toISOString(), ...a);

function emit(event) {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

nodeDataChannel.initLogger('Error', (level, message) => console.error(`crowd libdatachannel ${level}: ${message}`));

/** Peer ids of this process's own peers (with --links chromium they do not link to each other). */
const siblings = new Set();

class CrowdPeer {
  constructor(index) {
    this.index = index;
    this.me = 0;
    this.links = new Map(); // peer id -> { pc, channel, track, pending: [], remoteSet, ssrc, seq, ts, pt }
    this.sfu = undefined; // { pc, track, connected, ssrc, seq, ts, pt }: the publish connection to the SFU
    this.topology = 'mesh';
    this.roster = [];
    this.viewBytes = 0;
    this.viewMessages = 0;
  }

  async join() {
    const res = await fetch(new URL('/api/readouts/join', server), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token, name: `Crowd ${this.index + 1}` }),
    });
    if (!res.ok) throw new Error(`join: HTTP ${res.status} ${await res.text()}`);
    const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const ws = new WebSocket(`ws://${server.host}/ws/readouts/${encodeURIComponent(readoutId)}`, { headers: { Cookie: cookie } });
    ws.binaryType = 'nodebuffer';
    this.ws = ws;
    await new Promise((resolve, reject) => {
      ws.once('error', reject);
      ws.on('message', (data) => {
        let m;
        try {
          m = decode(data);
        } catch (e) {
          console.error(`crowd: undecodable server message: ${e.message}`);
          return;
        }
        this.onServer(m, resolve);
      });
      ws.on('close', (code) => {
        if (!this.closing) console.error(`crowd: peer ${this.me} socket closed (${code})`);
      });
    });
  }

  send(message) {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(encode(message));
  }

  onServer(m, welcomed) {
    switch (m[0]) {
      case 1: // WELCOME
        this.me = m[1];
        siblings.add(this.me);
        this.send([22, 0, true, true, false]); // STATUS: the first study, ready, following, unmuted
        emit({ event: 'joined', peer: this.me });
        welcomed();
        return;
      case 2: // ROSTER
        this.roster = m[1].map((p) => p[0]);
        for (const id of [...this.links.keys()]) if (id !== RELAY && !this.roster.includes(id)) this.remove(id);
        this.completeMesh();
        return;
      case 3: // SIGNAL
        if (m[1] !== RELAY && m[2] === OFFER && !this.meshWanted()) return; // no mesh in relay mode
        this.onSignal(m[1], m[2], m[3]);
        return;
      case 9: // TOPOLOGY [9, mode, epoch, audio]: a TOPOLOGY that only moves audio keeps the relay link
        if (m[1] === 1) {
          if (this.topology !== 'relay') this.offer(RELAY, false);
          this.topology = 'relay';
          if (m[3] === 1 || m[3] === 2) {
            // Mixed (2): the same one publish connection, now to the mixer; it mixes and we leave the mix unheard.
            const mixed = m[3] === 2;
            if (!this.sfu || this.sfu.mixed !== mixed) this.publish(mixed);
          } else if (this.sfu) {
            this.unpublish();
            this.completeMesh();
          }
        } else {
          const switched = this.topology === 'relay';
          this.topology = 'mesh';
          this.remove(RELAY);
          this.unpublish();
          if (switched) this.completeMesh();
        }
        return;
      case 10: // AUDIO: the SFU's answer to our publish offer; subscribe offers (leg 2) are left unanswered
        if (m[1] === 1 && m[2] === ANSWER && this.sfu) {
          try {
            this.sfu.pc.setRemoteDescription(m[3], 'answer');
          } catch (e) {
            console.error(`crowd: peer ${this.me}: SFU answer refused: ${e.message}`);
          }
        }
        return;
      case 8: // ERROR
        console.error(`crowd: server refused a message of peer ${this.me}: ${m[1]}`);
        return;
      default: // FLOOR, CHAT, WORKLIST: nothing to do for a listener
    }
  }

  create(peer, withAudio) {
    this.remove(peer);
    const pc = new nodeDataChannel.PeerConnection(`crowd-${this.me}-${peer}`, {
      iceServers: [],
      bindAddress: '127.0.0.1',
      disableAutoNegotiation: true,
    });
    const link = { pc, pending: [], remoteSet: false, ssrc: (Math.random() * 0xffffffff) >>> 0, seq: 0, ts: 0, pt: 111, withAudio };
    this.links.set(peer, link);
    // The whole SDP with its candidates goes once gathering completes (loopback: at once); no trickling out.
    pc.onGatheringStateChange((state) => {
      if (state !== 'complete') return;
      const d = pc.localDescription();
      if (d) this.send([16, peer, d.type === 'offer' ? OFFER : ANSWER, d.sdp]);
    });
    pc.onDataChannel((dc) => this.attach(link, dc));
    pc.onTrack((track) => {
      link.track = track;
      track.onMessage(() => {}); // Chromium's Opus: received and dropped
    });
    pc.onStateChange((state) => {
      if (state === 'connected') emit({ event: 'connected', peer: this.me, to: peer });
      if (state === 'connected' && peer === RELAY) this.dropMeshIfCovered();
      if (state === 'failed') console.error(`crowd: peer ${this.me} to ${peer}: connection failed`);
    });
    return link;
  }

  attach(link, dc) {
    link.channel = dc;
    dc.onMessage((msg) => {
      this.viewMessages++;
      this.viewBytes += typeof msg === 'string' ? Buffer.byteLength(msg) : msg.byteLength;
    });
  }

  offer(peer, withAudio) {
    const link = this.create(peer, withAudio);
    if (withAudio) {
      const audio = new nodeDataChannel.Audio('0', 'SendRecv');
      // A browser's Opus parameters: libdatachannel's default (stereo, maxaveragebitrate 96000) would let the
      // Chromium peers encode 96 kbit/s stereo toward the crowd, nearly twice what they send each other.
      audio.addOpusCodec(link.pt, 'minptime=10;useinbandfec=1');
      audio.addSSRC(link.ssrc, `crowd${this.me}`, `crowd${this.me}`, `mic${this.me}`);
      link.track = link.pc.addTrack(audio);
      link.track.onMessage(() => {});
    }
    this.attach(link, link.pc.createDataChannel('view', { unordered: true, maxRetransmits: 0 }));
    link.pc.setLocalDescription('offer');
  }

  /** As browsers: the mesh on the mesh path, and in relay mode while audio has no SFU. */
  meshWanted() {
    return this.topology === 'mesh' || this.sfu === undefined;
  }

  /** Offers to each lower peer id without a working link (the pair's higher id offers), skipping siblings. */
  completeMesh() {
    if (!this.meshWanted()) return;
    for (const id of this.roster) {
      if (id >= this.me || (links !== 'all' && siblings.has(id))) continue;
      const link = this.links.get(id);
      if (!link || link.pc.state() === 'failed' || link.pc.state() === 'closed') this.offer(id, true);
    }
  }

  /** Relay mode: once the relay link and the SFU publish connection are up, the mesh goes. */
  dropMeshIfCovered() {
    if (this.meshWanted() || !this.sfu?.connected || this.links.get(RELAY)?.pc.state() !== 'connected') return;
    for (const id of [...this.links.keys()]) if (id !== RELAY) this.remove(id);
  }

  /** Publishes this peer's audio to the SFU: one sendonly Opus connection, negotiated over AUDIO. */
  publish(mixed = false) {
    this.unpublish();
    // Not bound to 127.0.0.1 as the mesh links are: Janus (libnice) gathers no loopback candidates, only the
    // host's own addresses, which the pages' connections to it use too (the packets stay on this host).
    const pc = new nodeDataChannel.PeerConnection(`crowd-${this.me}-sfu`, { iceServers: [], disableAutoNegotiation: true });
    const sfu = { pc, connected: false, ssrc: (Math.random() * 0xffffffff) >>> 0, seq: 0, ts: 0, pt: 111, withAudio: true, mixed };
    const audio = new nodeDataChannel.Audio('0', 'SendOnly');
    audio.addOpusCodec(sfu.pt, 'minptime=10;useinbandfec=1');
    audio.addSSRC(sfu.ssrc, `crowd${this.me}`, `crowd${this.me}`, `mic${this.me}`);
    sfu.track = pc.addTrack(audio);
    this.sfu = sfu;
    pc.onGatheringStateChange((state) => {
      if (state !== 'complete') return;
      const d = pc.localDescription();
      if (d) this.send([24, 1, OFFER, this.me, d.sdp]);
    });
    pc.onStateChange((state) => {
      sfu.connected = state === 'connected';
      if (state === 'connected') {
        emit({ event: 'published', peer: this.me });
        this.dropMeshIfCovered();
      }
      if (state === 'failed') console.error(`crowd: peer ${this.me}: SFU publish connection failed`);
    });
    pc.setLocalDescription('offer');
  }

  unpublish() {
    const sfu = this.sfu;
    this.sfu = undefined;
    try {
      sfu?.track.close();
      sfu?.pc.close();
    } catch {
      // already closed
    }
  }

  onSignal(from, kind, payload) {
    try {
      if (kind === OFFER) {
        const link = this.create(from, true);
        link.pc.setRemoteDescription(payload, 'offer');
        link.remoteSet = true;
        const pt = /a=rtpmap:(\d+) opus\/48000/i.exec(payload);
        if (pt) link.pt = Number(pt[1]);
        this.flush(link);
        link.pc.setLocalDescription('answer');
        return;
      }
      const link = this.links.get(from);
      if (!link) return;
      if (kind === ANSWER) {
        link.pc.setRemoteDescription(payload, 'answer');
        link.remoteSet = true;
        this.flush(link);
      } else if (kind === CANDIDATE) {
        const c = JSON.parse(payload);
        if (link.remoteSet) this.addCandidate(link, c);
        else link.pending.push(c);
      }
    } catch (e) {
      console.error(`crowd: peer ${this.me}, signal ${kind} from ${from}: ${e.message}`);
    }
  }

  flush(link) {
    for (const c of link.pending.splice(0)) this.addCandidate(link, c);
  }

  addCandidate(link, c) {
    if (!c.candidate) return; // end of candidates
    try {
      link.pc.addRemoteCandidate(c.candidate, c.sdpMid ?? '0');
    } catch (e) {
      console.error(`crowd: peer ${this.me}: candidate refused: ${e.message}`);
    }
  }

  /**
   * One RTP packet of Opus silence on the SFU connection once it is up, else on every mesh link (every 20 ms). To the
   * mixer, as a silent browser microphone with the DTX the web app asks for there: one packet every 400 ms.
   */
  sendAudio(tick) {
    if (this.sfu?.connected && this.sfu.mixed && tick % 20 !== 0) return;
    const links = this.sfu?.connected ? [this.sfu] : this.links.values();
    for (const link of links) {
      if (!link.withAudio || !link.track || !link.track.isOpen()) continue;
      const rtp = Buffer.alloc(12 + OPUS_SILENCE.length);
      rtp[0] = 0x80; // version 2
      rtp[1] = (link.seq === 0 ? 0x80 : 0) | link.pt; // marker on the first packet
      rtp.writeUInt16BE(link.seq & 0xffff, 2);
      rtp.writeUInt32BE(link.ts >>> 0, 4);
      rtp.writeUInt32BE(link.ssrc, 8);
      OPUS_SILENCE.copy(rtp, 12);
      link.seq++;
      link.ts = (link.ts + (link.mixed ? 960 * 20 : 960)) >>> 0; // 20 ms at 48 kHz (400 ms between DTX packets)
      try {
        link.track.sendMessageBinary(rtp);
      } catch {
        // the track closed between isOpen and send
      }
    }
  }

  remove(peer) {
    const link = this.links.get(peer);
    if (!link) return;
    this.links.delete(peer);
    try {
      link.channel?.close();
      link.track?.close();
      link.pc.close();
    } catch {
      // already closed
    }
  }

  close() {
    this.closing = true;
    for (const peer of [...this.links.keys()]) this.remove(peer);
    this.unpublish();
    this.ws?.close(1000, 'left');
  }
}

const peers = [];
let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  clearInterval(audioTimer);
  emit({ event: 'stats', viewMessages: peers.reduce((n, p) => n + p.viewMessages, 0), viewBytes: peers.reduce((n, p) => n + p.viewBytes, 0) });
  for (const p of peers) p.close();
  await new Promise((r) => setTimeout(r, 300));
  nodeDataChannel.cleanup();
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.resume();

let audioTick = 0;
const audioTimer = setInterval(() => {
  audioTick++;
  peers.forEach((p, i) => p.sendAudio(audioTick + i)); // DTX packets spread over the ticks, as unsynchronised mics
}, 20);

for (let i = 0; i < count; i++) {
  const p = new CrowdPeer(i);
  peers.push(p);
  try {
    await p.join();
  } catch (e) {
    console.error(`crowd: peer ${i + 1} could not join: ${e.message}`);
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 150)); // one newcomer at a time: its offers are answered before the next
}
emit({ event: 'ready', peers: count });
