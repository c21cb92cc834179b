/** What the upload form asks for one recording (strings as typed; empty = not given). */
export interface UploadForm {
  hospital: string;
  operatingRoom: string;
  operator: string;
  procedure: string;
  accession: string;
  studyUid: string;
  patientId: string;
  patientName: string;
  /** The start of the recording as a `datetime-local` input gives it (local time, no zone), or ISO 8601. */
  startedAt: string;
  title: string;
}

export const VIDEO_EXTENSIONS = ['mp4', 'mov', 'mkv', 'mxf'] as const;

/** The file input's `accept`: the containers the archive ingests. */
export const VIDEO_ACCEPT = [
  ...VIDEO_EXTENSIONS.map((e) => `.${e}`),
  'video/mp4',
  'video/quicktime',
  'video/x-matroska',
  'application/mxf',
].join(',');

export class UploadFormError extends Error {
  constructor(
    readonly field: keyof UploadForm | 'file' | 'sha256',
    message: string,
  ) {
    super(message);
    this.name = 'UploadFormError';
  }
}

/** Why the archive would not take this file, or undefined when its name says it is one of its containers. */
export function rejectFile(file: { name: string; size: number }): string | undefined {
  const ext = /\.([^./]+)$/.exec(file.name)?.[1]?.toLowerCase();
  if (!ext || !(VIDEO_EXTENSIONS as readonly string[]).includes(ext)) {
    return `${file.name}: not a recording the archive takes (MP4, MOV, MKV or MXF)`;
  }
  if (file.size === 0) return `${file.name}: the file is empty`;
  return undefined;
}

const UID = /^[0-9]+(\.[0-9]+)*$/;
const HEX64 = /^[0-9a-f]{64}$/;

/**
 * The tus `Upload-Metadata` of one file (before tus-js-client base64-encodes the values), as the contract names
 * the keys: empty fields are left out, `startedAt` becomes an ISO 8601 instant, and what the server would refuse
 * (no hospital, no start, a malformed study UID or digest) is refused here first with the field named.
 */
export function buildUploadMetadata(
  form: UploadForm,
  file: { name: string },
  sha256: string,
  now: Date = new Date(),
): Record<string, string> {
  const f = Object.fromEntries(
    Object.entries(form).map(([k, v]) => [k, String(v ?? '').trim()]),
  ) as unknown as UploadForm;
  if (!f.hospital) throw new UploadFormError('hospital', 'Choose the hospital the recording belongs to.');
  if (!f.startedAt) throw new UploadFormError('startedAt', 'Give the time the recording started.');
  const started = new Date(f.startedAt);
  if (Number.isNaN(started.getTime())) {
    throw new UploadFormError('startedAt', `"${f.startedAt}" is not a date and time.`);
  }
  if (started.getTime() > now.getTime() + 24 * 3600 * 1000) {
    throw new UploadFormError('startedAt', 'The start time lies in the future.');
  }
  if (f.studyUid && (f.studyUid.length > 64 || !UID.test(f.studyUid))) {
    throw new UploadFormError('studyUid', 'A Study Instance UID is digits and dots, at most 64 characters.');
  }
  const digest = sha256.toLowerCase();
  if (!HEX64.test(digest)) throw new UploadFormError('sha256', 'The SHA-256 of the file is not 64 hex digits.');
  const meta: Record<string, string> = {
    filename: file.name,
    sha256: digest,
    hospital: f.hospital,
    startedAt: started.toISOString(),
  };
  for (const key of [
    'operatingRoom',
    'operator',
    'procedure',
    'accession',
    'studyUid',
    'patientId',
    'patientName',
    'title',
  ] as const) {
    if (f[key]) meta[key] = f[key];
  }
  return meta;
}

/** `YYYY-MM-DDTHH:mm` of a date in local time: a `datetime-local` input's value. */
export function toLocalInput(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}
