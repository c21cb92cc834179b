import { describe, expect, it } from 'vitest';
import { withOpusDtx } from './sfuAudio';

const ANSWER =
  'v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=rtpmap:111 opus/48000/2\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n';

describe('withOpusDtx', () => {
  it('adds usedtx=1 to the Opus fmtp of an answer, once', () => {
    const dtx = withOpusDtx(ANSWER);
    expect(dtx).toContain('a=fmtp:111 minptime=10;useinbandfec=1;usedtx=1\r\n');
    expect(withOpusDtx(dtx)).toBe(dtx);
  });

  it('adds an fmtp line when Opus has none, and leaves an SDP without Opus alone', () => {
    const bare = 'v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 109\r\na=rtpmap:109 opus/48000/2\r\n';
    expect(withOpusDtx(bare)).toBe(
      'v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 109\r\na=rtpmap:109 opus/48000/2\r\na=fmtp:109 usedtx=1\r\n',
    );
    const pcmu = 'v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=rtpmap:0 PCMU/8000\r\n';
    expect(withOpusDtx(pcmu)).toBe(pcmu);
  });
});
