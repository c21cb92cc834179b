import type { ApiClient } from '../../platform/api/client';

/** One photo's state, as GET /api/photos/{id} answers (docs/photo-intake.md "HTTP API"). */
export interface PhotoState {
  id: string;
  status: PhotoStatus;
  attachTo: string;
  batch: string;
  sender?: string;
  note?: string | null;
  createdAt: string;
  photo: { width: number; height: number; mediaType: string };
  quad: { corners: [number, number][]; confidence: number } | null;
  cornersSource: 'auto' | 'fiducial' | 'manual' | null;
  problems: QualityProblem[];
  /** The restorer's description, or "not installed". */
  restoration: string;
  /** The AI reader's description, or "not installed". */
  aiReader?: string;
  /** The AI read of the stored image: decision support, never a diagnosis (docs/photo-intake.md "AI read"). */
  aiRead?: AiRead | null;
  studyUid: string | null;
  source?: { seriesUid: string; sopUid: string };
  images: { original?: string; rectified?: string; restored?: string };
  secondaryCapture?: { studyUid: string; seriesUid: string; sopUid: string };
  error?: { code: string; message: string };
}

export interface AiRead {
  /** Always "decision support - not a diagnosis": the page shows it with the score. */
  label: string;
  model: string;
  finding: string;
  score?: number;
  region?: { x: number; y: number; size: number };
  error?: string;
  ms: number;
}

/** The AI read in one line, its label first; null when no read was made. */
export function aiReadText(p: PhotoState): string | null {
  const r = p.aiRead;
  if (!r) return null;
  const label = r.label.charAt(0).toUpperCase() + r.label.slice(1);
  if (r.error !== undefined || r.score === undefined) return `${label}: ${r.error ?? 'no read'}`;
  return `${label}: ${r.finding} ${r.score.toFixed(2)} (${r.model.split(' (')[0]})`;
}

export type PhotoStatus = 'received' | 'rectified' | 'needs-corners' | 'retake' | 'restored' | 'stored' | 'failed';

export interface QualityProblem {
  code: string;
  measured: number;
  limit: number;
  message: string;
}

export const RESTORATION_NOT_INSTALLED = 'not installed';

/** Statuses after which the server does nothing more without the sender (corners, a new photo). */
export function isSettled(status: PhotoStatus): boolean {
  return status === 'stored' || status === 'retake' || status === 'needs-corners' || status === 'failed';
}

/** What the page says for a status, in words a clinician reads at a glance. */
export function statusText(p: PhotoState): string {
  switch (p.status) {
    case 'received':
      return 'Received: finding the screen…';
    case 'rectified':
      return p.restoration === RESTORATION_NOT_INSTALLED
        ? 'Rectified: storing in the library…'
        : 'Rectified: restoring…';
    case 'restored':
      return 'Restored: storing in the library…';
    case 'needs-corners':
      return 'The screen was not found surely: drag the four corners onto the image’s corners, then send them.';
    case 'retake':
      return 'Please retake this photo.';
    case 'stored':
      return p.cornersSource === 'fiducial'
        ? 'Stored in the library (linked to the study shown in photo mode).'
        : 'Stored in the library.';
    case 'failed':
      return `Failed: ${p.error?.message ?? 'the server could not finish this photo'}`;
  }
}

/** The retake advice, one line per problem (the server's message names the problem and what to do). */
export function retakeMessages(p: PhotoState): string[] {
  return p.problems.map((q) => q.message);
}

export type AttachKind = 'study' | 'readout' | 'consult';

/** The upload's attachTo field; throws with a message for the form when the reference is missing or malformed. */
export function attachTo(kind: AttachKind, ref: string): string {
  const r = ref.trim();
  switch (kind) {
    case 'consult':
      return 'consult';
    case 'study':
      if (!/^[0-9]+(\.[0-9]+)*$/.test(r) || r.length > 64) {
        throw new Error('Enter the study’s Study Instance UID (digits and dots), or choose a new consult.');
      }
      return `study:${r}`;
    case 'readout':
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(r)) throw new Error('Enter the readout’s id.');
      return `readout:${r}`;
  }
}

/** Parses `study:<uid>` / `readout:<id>` / `consult` from a link (#/photo?attach=...); anything else: a new consult. */
export function parseAttach(value: string | null | undefined): { kind: AttachKind; ref: string } {
  if (value?.startsWith('study:')) return { kind: 'study', ref: value.slice(6) };
  if (value?.startsWith('readout:')) return { kind: 'readout', ref: value.slice(8) };
  return { kind: 'consult', ref: '' };
}

/** The photo intake's routes. */
export class PhotoApi {
  constructor(private readonly client: ApiClient) {}

  async upload(files: readonly File[], attach: string, note: string): Promise<PhotoState[]> {
    const form = new FormData();
    for (const f of files) form.append('photo', f, f.name);
    form.append('attachTo', attach);
    if (note.trim()) form.append('note', note.trim());
    const answer = await this.client.json<{ photos: PhotoState[] }>('/api/photos', { method: 'POST', body: form });
    return answer.photos;
  }

  get(id: string): Promise<PhotoState> {
    return this.client.json<PhotoState>(`/api/photos/${encodeURIComponent(id)}`);
  }

  corners(id: string, corners: [number, number][]): Promise<PhotoState> {
    return this.client.send<PhotoState>('POST', `/api/photos/${encodeURIComponent(id)}/corners`, { corners });
  }

  photoModeToken(studyUid: string, seriesUid: string, sopUid: string): Promise<{ token: string; qr: string }> {
    return this.client.send('POST', '/api/photo-mode/tokens', { studyUid, seriesUid, sopUid });
  }
}
