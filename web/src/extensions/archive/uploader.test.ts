import { describe, expect, it } from 'vitest';
import type { HttpRequest, HttpResponse, HttpStack, PreviousUpload, UrlStorage } from 'tus-js-client';
import { RecordingUpload, type UploadProgress } from './uploader';
import type { UploadForm } from './uploadMetadata';

async function sha256Hex(parts: Uint8Array[]): Promise<string> {
  const whole = new Uint8Array(await new Blob(parts as Uint8Array<ArrayBuffer>[]).arrayBuffer());
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', whole));
  return [...d].map((x) => x.toString(16).padStart(2, '0')).join('');
}

/** A tus 1.0 server in memory, as the contract describes it: creation, HEAD offsets, PATCH, sha256 check. */
class FakeTusServer implements HttpStack {
  readonly uploads = new Map<string, { length: number; meta: Record<string, string>; bytes: Uint8Array[] }>();
  readonly requests: string[] = [];
  /** From this offset on, PATCHes never answer (a connection that hangs; the client aborts it). */
  hangFrom: number | undefined;
  hanging: (() => void) | undefined;
  private next = 1;

  getName(): string {
    return 'fake';
  }

  createRequest(method: string, url: string): HttpRequest {
    const headers = new Map<string, string>();
    return {
      getMethod: () => method,
      getURL: () => url,
      setHeader: (k, v) => void headers.set(k.toLowerCase(), v),
      getHeader: (k) => headers.get(k.toLowerCase()),
      setProgressHandler: () => undefined,
      abort: () => Promise.resolve(),
      getUnderlyingObject: () => undefined,
      send: async (body: unknown) => {
        const id = url.split('/').pop()!;
        if (method === 'PATCH' && this.hangFrom !== undefined && this.offset(id) >= this.hangFrom) {
          this.hanging?.();
          return new Promise<HttpResponse>(() => undefined);
        }
        return this.handle(
          method,
          url,
          headers,
          body instanceof Blob ? new Uint8Array(await body.arrayBuffer()) : undefined,
        );
      },
    };
  }

  offset(id: string): number {
    return this.uploads.get(id)!.bytes.reduce((n, b) => n + b.length, 0);
  }

  private async handle(
    method: string,
    url: string,
    headers: Map<string, string>,
    body?: Uint8Array,
  ): Promise<HttpResponse> {
    this.requests.push(`${method} ${url}`);
    if (method === 'POST') {
      const meta = Object.fromEntries(
        (headers.get('upload-metadata') ?? '')
          .split(',')
          .filter(Boolean)
          .map((pair) => {
            const [k, v] = pair.split(' ');
            return [k, new TextDecoder().decode(Uint8Array.from(atob(v ?? ''), (c) => c.charCodeAt(0)))];
          }),
      );
      const id = `u${this.next++}`;
      this.uploads.set(id, { length: Number(headers.get('upload-length')), meta, bytes: [] });
      return response(201, { Location: `/api/archive/uploads/${id}` });
    }
    const id = url.split('/').pop()!;
    const upload = this.uploads.get(id);
    if (!upload) return response(404, {});
    if (method === 'HEAD')
      return response(200, { 'Upload-Offset': String(this.offset(id)), 'Upload-Length': String(upload.length) });
    if (method === 'PATCH') {
      if (Number(headers.get('upload-offset')) !== this.offset(id)) return response(409, {});
      upload.bytes.push(body!);
      const offset = this.offset(id);
      if (offset < upload.length) return response(204, { 'Upload-Offset': String(offset) });
      const digest = await sha256Hex(upload.bytes);
      if (digest !== upload.meta.sha256) {
        this.uploads.delete(id);
        return response(
          460,
          {},
          JSON.stringify({ error: 'checksum-mismatch', message: 'SHA-256 differs from the declared one' }),
        );
      }
      return response(204, { 'Upload-Offset': String(offset), 'MedSync-Recording': `rec-${id}` });
    }
    return response(405, {});
  }
}

function response(status: number, headers: Record<string, string>, body = ''): HttpResponse {
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    getStatus: () => status,
    getHeader: (k) => lower.get(k.toLowerCase()),
    getBody: () => body,
    getUnderlyingObject: () => undefined,
  };
}

/** localStorage's role: upload URLs by fingerprint, surviving "reloads" (new RecordingUpload objects). */
class MemoryUrlStorage implements UrlStorage {
  readonly entries = new Map<string, PreviousUpload & { fingerprint: string }>();
  private next = 0;
  findAllUploads() {
    return Promise.resolve([...this.entries.values()]);
  }
  findUploadsByFingerprint(fingerprint: string) {
    return Promise.resolve([...this.entries.values()].filter((e) => e.fingerprint === fingerprint));
  }
  removeUpload(key: string) {
    this.entries.delete(key);
    return Promise.resolve();
  }
  addUpload(fingerprint: string, upload: PreviousUpload) {
    const key = `k${this.next++}`;
    this.entries.set(key, { ...upload, urlStorageKey: key, fingerprint });
    return Promise.resolve(key);
  }
}

const blobReader = {
  openFile: (input: Blob) =>
    Promise.resolve({
      size: input.size,
      slice: (start: number, end: number) =>
        Promise.resolve({ value: input.slice(start, end), done: end >= input.size }),
      close: () => undefined,
    }),
};

const FORM: UploadForm = {
  hospital: 'demo-hospital',
  operatingRoom: 'OR 1',
  operator: 'Dr. Who',
  procedure: 'Appendectomy',
  accession: '',
  studyUid: '1.2.3',
  patientId: '',
  patientName: '',
  startedAt: '2026-12-01T08:00:00Z',
  title: '',
};

function file(size: number, name = 'case.mp4'): File {
  const bytes = new Uint8Array(size).map((_, i) => (i * 131 + 7) & 0xff);
  return new File([bytes], name, { type: 'video/mp4', lastModified: 1 });
}

function run(f: File, server: FakeTusServer, storage: MemoryUrlStorage, chunkSize = 1000, form = FORM) {
  const states: UploadProgress[] = [];
  let settle: (p: UploadProgress) => void = () => undefined;
  const settled = new Promise<UploadProgress>((resolve) => (settle = resolve));
  const upload = new RecordingUpload(
    f,
    form,
    (p) => {
      states.push(p);
      if (p.state === 'done' || p.state === 'error') settle(p);
    },
    {
      chunkSize,
      httpStack: server,
      urlStorage: storage,
      fingerprint: (x: File) => Promise.resolve(`fp-${x.name}-${x.size}`),
      fileReader: blobReader,
      retryDelays: [],
    },
  );
  return { upload, states, settled };
}

describe('RecordingUpload', () => {
  it('hashes, creates with the metadata, sends in chunks and reports the recording', async () => {
    const server = new FakeTusServer();
    const f = file(3500);
    const { upload, states, settled } = run(f, server, new MemoryUrlStorage());
    await upload.start();
    const end = await settled;
    expect(end).toMatchObject({ state: 'done', done: 3500, recordingId: 'rec-u1', resumed: false });
    expect(states.some((s) => s.state === 'hashing')).toBe(true);
    const meta = server.uploads.get('u1')!.meta;
    const digest = await sha256Hex([new Uint8Array(await f.arrayBuffer())]);
    expect(meta).toMatchObject({ filename: 'case.mp4', sha256: digest, hospital: 'demo-hospital', studyUid: '1.2.3' });
    expect(meta.startedAt).toBe('2026-12-01T08:00:00.000Z');
    expect(server.requests.filter((r) => r.startsWith('PATCH'))).toHaveLength(4);
  });

  it('after a "reload" continues the same upload from the server offset, without hashing again', async () => {
    const server = new FakeTusServer();
    const storage = new MemoryUrlStorage();
    const f = file(5000);
    const first = run(f, server, storage);
    // After two chunks the connection hangs; the user pauses (or the tab is closed).
    server.hangFrom = 2000;
    const hung = new Promise<void>((resolve) => (server.hanging = resolve));
    await first.upload.start();
    await hung;
    await first.upload.pause();
    expect(first.upload.state.state).toBe('paused');
    expect(server.offset('u1')).toBe(2000);
    server.hangFrom = undefined;

    const second = run(f, server, storage);
    await second.upload.start();
    const end = await second.settled;
    expect(end).toMatchObject({ state: 'done', resumed: true, recordingId: 'rec-u1' });
    expect(second.states.some((s) => s.state === 'hashing')).toBe(false);
    expect(server.uploads.size).toBe(1);
    expect(server.requests).toContain('HEAD /api/archive/uploads/u1');
    // Done: the fingerprint is forgotten, so choosing the file again makes a new upload.
    expect(storage.entries.size).toBe(0);
  });

  it('shows the server message of a checksum mismatch (460)', async () => {
    const server = new FakeTusServer();
    const f = file(1500);
    // What the server is told differs from what arrives (as when the file changed on disk after hashing).
    const { upload, settled } = run(f, server, new MemoryUrlStorage());
    const original = server.createRequest.bind(server);
    server.createRequest = (method, url) => {
      const req = original(method, url);
      if (method === 'POST') {
        const set = req.setHeader.bind(req);
        req.setHeader = (k, v) =>
          set(k, k === 'Upload-Metadata' ? v.replace(/sha256 [^,]+/, `sha256 ${btoa('0'.repeat(64))}`) : v);
      }
      return req;
    };
    await upload.start();
    const end = await settled;
    expect(end.state).toBe('error');
    expect(end.error).toMatch(/changed or was damaged.*SHA-256 differs/);
  });

  it('refuses an incomplete form before hashing anything', async () => {
    const server = new FakeTusServer();
    const { upload, states } = run(file(100), server, new MemoryUrlStorage(), 1000, { ...FORM, hospital: '' });
    await upload.start();
    expect(states.at(-1)).toMatchObject({ state: 'error', error: expect.stringMatching(/hospital/) as unknown });
    expect(states.some((s) => s.state === 'hashing')).toBe(false);
    expect(server.requests).toEqual([]);
  });
});
