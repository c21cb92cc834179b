/** Shapes of docs/api.md. */
export type Role = 'admin' | 'attending' | 'resident' | 'observer' | 'student';

export interface User {
  username: string;
  displayName: string;
  role: Role;
}

export interface Source {
  id: string;
  name: string;
  /** 'local' (this server's store) or 'dicomweb' (a remote archive); others may follow. */
  kind: string;
}

export interface WorklistStudy {
  source: string;
  studyInstanceUid: string;
  patientName?: string;
  patientId?: string;
  studyDate?: string;
  studyTime?: string;
  studyDescription?: string;
  accessionNumber?: string;
  modalities?: string[];
  numberOfSeries?: number;
  numberOfInstances?: number;
  /** How many of the study's archived recordings this user may see (0 for de-identified roles). */
  recordings?: number;
}

export interface UploadRejection {
  file: string;
  reason: string;
  message?: string;
}

export interface UploadResult {
  imported: number;
  duplicates: number;
  rejected: UploadRejection[];
}

/** A PS3.18 JSON attribute: `{"vr":"PN","Value":[...]}` or `{"vr":"OW","BulkDataURI":"..."}`. */
export interface DicomJsonAttribute {
  vr: string;
  Value?: unknown[];
  BulkDataURI?: string;
  InlineBinary?: string;
}

/** One dataset in PS3.18 JSON, keyed by 8-hex-digit tag. */
export type DicomJsonDataset = Record<string, DicomJsonAttribute>;

/** Roles that may upload (docs/api.md: attending, resident, admin). */
export function canUpload(role: Role): boolean {
  return role === 'admin' || role === 'attending' || role === 'resident';
}
