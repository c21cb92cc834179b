import { describe, expect, it } from 'vitest';
import { Sha256, sha256OfBlob } from './sha256';

/** Web Crypto's digest of the whole message: the reference the incremental one must equal. */
async function reference(b: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', b as Uint8Array<ArrayBuffer>));
  return [...d].map((x) => x.toString(16).padStart(2, '0')).join('');
}

function randomBytes(n: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)));
  return out;
}

describe('Sha256', () => {
  it('matches the FIPS 180-4 examples', () => {
    expect(new Sha256().hex()).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(new Sha256().update(new TextEncoder().encode('abc')).hex()).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(
      new Sha256().update(new TextEncoder().encode('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).hex(),
    ).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  });

  it('gives the same digest whatever the chunking, at every padding boundary', async () => {
    for (const size of [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000, 4097]) {
      const data = randomBytes(size);
      const whole = new Sha256().update(data).hex();
      expect(whole, `size ${size}`).toBe(await reference(data));
      const pieces = new Sha256();
      for (let i = 0; i < size;) {
        const n = 1 + ((i * 7) % 67);
        pieces.update(data.subarray(i, i + n));
        i += n;
      }
      expect(pieces.hex(), `size ${size} in pieces`).toBe(whole);
    }
  });

  it('refuses to be used after its digest', () => {
    const h = new Sha256();
    h.hex();
    expect(() => h.update(new Uint8Array(1))).toThrow(/after digest/);
  });
});

describe('sha256OfBlob', () => {
  it('hashes a blob slice by slice and reports progress to the end', async () => {
    const data = randomBytes(300_001);
    const seen: number[] = [];
    const hex = await sha256OfBlob(new Blob([data]), (done) => seen.push(done), undefined, 65_536);
    expect(hex).toBe(await reference(data));
    expect(seen.at(-1)).toBe(300_001);
    expect(seen).toHaveLength(Math.ceil(300_001 / 65_536));
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(sha256OfBlob(new Blob([new Uint8Array(10)]), undefined, controller.signal)).rejects.toThrow();
  });
});
