import type { ApiClient } from './client';
import { parseSinglePart } from './multipart';
import type { DicomJsonDataset, Source, UploadResult, User, WorklistStudy } from './types';

const enc = encodeURIComponent;

export interface Worklist {
  studies: WorklistStudy[];
  unavailable: string[];
}

/** The routes of docs/api.md, typed. */
export class MedSyncApi {
  constructor(readonly client: ApiClient) {}

  login(username: string, password: string): Promise<User> {
    return this.client.send<User>('POST', '/api/session', { username, password });
  }

  currentUser(): Promise<User> {
    return this.client.json<User>('/api/session');
  }

  async logout(): Promise<void> {
    await this.client.request('/api/session', { method: 'DELETE' });
  }

  sources(): Promise<Source[]> {
    return this.client.json<Source[]>('/api/sources');
  }

  /** The merged worklist, and the ids of the sources that did not answer (their studies are missing from it). */
  async worklist(q: string, source: string, signal?: AbortSignal): Promise<Worklist> {
    const params = new URLSearchParams();
    if (q) params.set('q', q);
    if (source) params.set('source', source);
    const query = params.toString();
    const response = await this.client.request(`/api/worklist${query ? `?${query}` : ''}`, {
      signal,
      headers: { Accept: 'application/json' },
    });
    const unavailable = (response.headers.get('X-MedSync-Unavailable-Sources') ?? '').split(',').filter((id) => id);
    return { studies: (await response.json()) as WorklistStudy[], unavailable };
  }

  upload(files: Iterable<File>): Promise<UploadResult> {
    const form = new FormData();
    for (const file of files) form.append('file', file, file.name);
    return this.client.json<UploadResult>('/api/library/uploads', { method: 'POST', body: form });
  }

  /** QIDO-RS series of a study. */
  series(source: string, study: string): Promise<DicomJsonDataset[]> {
    return this.client.json<DicomJsonDataset[]>(`${studyRoot(source, study)}/series`, {
      headers: { Accept: 'application/dicom+json' },
    });
  }

  /** WADO-RS metadata of every instance of a series. */
  seriesMetadata(source: string, study: string, series: string): Promise<DicomJsonDataset[]> {
    return this.client.json<DicomJsonDataset[]>(`${seriesRoot(source, study, series)}/metadata`, {
      headers: { Accept: 'application/dicom+json' },
    });
  }

  /** One instance as a Part 10 file (WADO-RS retrieve, unwrapped), de-identified by the server where the role requires. */
  async instanceFile(source: string, study: string, series: string, sop: string): Promise<Blob> {
    const response = await this.client.request(`${seriesRoot(source, study, series)}/instances/${enc(sop)}`, {
      headers: { Accept: 'multipart/related; type="application/dicom"' },
    });
    const body = new Uint8Array(await response.arrayBuffer());
    const part = parseSinglePart(body, response.headers.get('Content-Type') ?? '');
    if (!part) throw new Error('the server answered with something other than one DICOM file');
    return new Blob([body.subarray(part.start, part.end)], { type: 'application/dicom' });
  }
}

export function studyRoot(source: string, study: string): string {
  return `/dicomweb/${enc(source)}/studies/${enc(study)}`;
}

export function seriesRoot(source: string, study: string, series: string): string {
  return `${studyRoot(source, study)}/series/${enc(series)}`;
}

export function thumbnailUrl(source: string, study: string, series: string): string {
  return `${seriesRoot(source, study, series)}/thumbnail`;
}
