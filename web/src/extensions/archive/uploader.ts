import { DetailedError, Upload, type HttpStack, type UploadOptions } from 'tus-js-client';
import { sha256OfBlob } from './sha256';
import { buildUploadMetadata, type UploadForm } from './uploadMetadata';

export const TUS_ENDPOINT = '/api/archive/uploads';

export type UploadState = 'idle' | 'hashing' | 'uploading' | 'paused' | 'done' | 'error';

export interface UploadProgress {
  state: UploadState;
  /** Bytes hashed (while hashing) or acknowledged by the server (while uploading). */
  done: number;
  total: number;
  /** True when this upload continues one the server already holds (found by tus-js-client's fingerprint). */
  resumed: boolean;
  /** The recording the server made of it (`MedSync-Recording` of the final PATCH), once done. */
  recordingId?: string;
  error?: string;
}

export interface UploaderOptions {
  /** Bytes per PATCH: every chunk the server acknowledged survives a lost connection or a reload. */
  chunkSize?: number;
  /** For tests: tus-js-client's HTTP layer. */
  httpStack?: HttpStack;
  /** For tests: where finished offsets' upload URLs are remembered (default: localStorage). */
  urlStorage?: UploadOptions['urlStorage'];
  fingerprint?: UploadOptions['fingerprint'];
  /** For tests: how file bytes are read (tus-js-client on Node reads no Blob). */
  fileReader?: UploadOptions['fileReader'];
  retryDelays?: number[];
}

/**
 * One file's way into the archive: SHA-256 in the browser, then tus (creation, chunked PATCHes). tus-js-client
 * remembers each upload's URL under the file's fingerprint (name, type, size, modification time, endpoint) in
 * localStorage, so choosing the same file again after a reload or a crash finds the upload and continues from
 * the server's offset; the digest is not computed again then, since the server took it at creation.
 */
export class RecordingUpload {
  private upload: Upload | undefined;
  private hashing: AbortController | undefined;
  private progress: UploadProgress;

  constructor(
    readonly file: File,
    private readonly form: UploadForm,
    private readonly onChange: (p: UploadProgress) => void,
    private readonly options: UploaderOptions = {},
  ) {
    this.progress = { state: 'idle', done: 0, total: file.size, resumed: false };
  }

  get state(): UploadProgress {
    return this.progress;
  }

  /** Starts, or continues after {@link pause}. */
  async start(): Promise<void> {
    if (this.progress.state === 'paused' && this.upload) {
      this.set({ state: 'uploading' });
      this.upload.start();
      return;
    }
    if (this.progress.state !== 'idle' && this.progress.state !== 'error') return;
    const upload = new Upload(this.file, this.tusOptions());
    this.upload = upload;
    try {
      const previous = await upload.findPreviousUploads();
      if (previous.length > 0) {
        // Newest first: an older entry may point at an upload the server has since expired.
        previous.sort((a, b) => b.creationTime.localeCompare(a.creationTime));
        upload.resumeFromPreviousUpload(previous[0]);
        this.set({ state: 'uploading', resumed: true, done: 0 });
      } else {
        // A form the server would refuse is refused before minutes of hashing, not after.
        buildUploadMetadata(this.form, this.file, '0'.repeat(64));
        this.hashing = new AbortController();
        this.set({ state: 'hashing', done: 0 });
        const digest = await sha256OfBlob(this.file, (done) => this.set({ done }), this.hashing.signal);
        this.hashing = undefined;
        upload.options.metadata = buildUploadMetadata(this.form, this.file, digest);
        this.set({ state: 'uploading', done: 0 });
      }
      upload.start();
    } catch (e) {
      this.hashing = undefined;
      if ((e as Error).name === 'AbortError') {
        this.set({ state: 'idle', done: 0 });
        return;
      }
      this.set({ state: 'error', error: describe(e) });
    }
  }

  /** Stops sending; what the server acknowledged stays, and {@link start} continues from it. */
  async pause(): Promise<void> {
    if (this.progress.state === 'hashing') {
      this.hashing?.abort();
      return;
    }
    if (this.progress.state !== 'uploading' || !this.upload) return;
    this.set({ state: 'paused' });
    await this.upload.abort(false);
  }

  /** Gives the upload up: the server deletes what it holds (tus termination). */
  async cancel(): Promise<void> {
    this.hashing?.abort();
    if (this.upload?.url) await this.upload.abort(true).catch(() => undefined);
    this.set({ state: 'idle', done: 0 });
  }

  private tusOptions(): UploadOptions {
    const o = this.options;
    const options: UploadOptions = {
      endpoint: TUS_ENDPOINT,
      chunkSize: o.chunkSize ?? 16 * 1024 * 1024,
      retryDelays: o.retryDelays ?? [0, 1000, 3000, 5000, 10000, 20000],
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      onProgress: (sent) => {
        if (this.progress.state === 'uploading') this.set({ done: sent });
      },
      onChunkComplete: (_chunk, accepted) => this.set({ done: accepted }),
      onAfterResponse: (_req, res) => {
        const id = res.getHeader('MedSync-Recording');
        if (id) this.set({ recordingId: id });
      },
      onSuccess: () => this.set({ state: 'done', done: this.file.size }),
      onError: (e) => this.set({ state: 'error', error: describe(e) }),
    };
    if (o.httpStack) options.httpStack = o.httpStack;
    if (o.urlStorage) options.urlStorage = o.urlStorage;
    if (o.fingerprint) options.fingerprint = o.fingerprint;
    if (o.fileReader) options.fileReader = o.fileReader;
    return options;
  }

  private set(change: Partial<UploadProgress>): void {
    this.progress = { ...this.progress, ...change };
    if (change.state && change.state !== 'error') delete this.progress.error;
    this.onChange(this.progress);
  }
}

/** The server's own words where it sent a JSON error (`{"message"}`), else tus-js-client's. */
export function describe(e: unknown): string {
  if (e instanceof DetailedError && e.originalResponse) {
    const status = e.originalResponse.getStatus();
    let message: string | undefined;
    try {
      const body = JSON.parse(e.originalResponse.getBody()) as { message?: unknown };
      if (typeof body.message === 'string') message = body.message;
    } catch {
      // not JSON
    }
    if (status === 460) return `The file changed or was damaged on the way: ${message ?? 'checksum mismatch'}`;
    return `${message ?? 'The upload was refused'} (HTTP ${status})`;
  }
  return e instanceof Error ? e.message : String(e);
}
