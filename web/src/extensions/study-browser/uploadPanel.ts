import { ApiError } from '../../platform/api/client';
import type { MedSyncApi } from '../../platform/api/medsyncApi';
import type { UploadResult } from '../../platform/api/types';
import { h } from '../../platform/ui/dom';

/** DICOM upload into the local library: a multiple file input and a result summary. */
export class UploadPanel {
  readonly element: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly result: HTMLElement;

  constructor(
    private readonly api: MedSyncApi,
    private readonly onImported: (result: UploadResult) => void,
  ) {
    this.input = h('input', {
      type: 'file',
      multiple: true,
      id: 'upload-input',
      'data-testid': 'upload-input',
      accept: '.dcm,application/dicom,*/*',
    });
    this.input.addEventListener('change', () => void this.upload());
    this.result = h('div', { class: 'upload-result', 'data-testid': 'upload-result', role: 'status', hidden: true });
    this.element = h(
      'div',
      { class: 'upload-panel' },
      h('label', { for: 'upload-input', class: 'upload-label' }, 'Upload DICOM files'),
      this.input,
      this.result,
    );
  }

  private async upload(): Promise<void> {
    const files = [...(this.input.files ?? [])];
    if (files.length === 0) return;
    this.input.disabled = true;
    this.show('busy', `Uploading ${files.length} file${files.length > 1 ? 's' : ''}…`);
    try {
      const result = await this.api.upload(files);
      this.showResult(result);
      this.onImported(result);
    } catch (e) {
      if (e instanceof ApiError && e.status === 409 && isUploadResult(e.body)) {
        // Some files contradict what the library holds (another patient's study, other bytes under a stored
        // UID): they were refused, the others were imported. Show both.
        this.showResult(e.body);
        this.onImported(e.body);
        return;
      }
      const message = e instanceof ApiError ? e.message : String(e);
      this.show('error', `Upload failed: ${message}`);
    } finally {
      this.input.disabled = false;
      this.input.value = '';
    }
  }

  private showResult(r: UploadResult): void {
    const rejected = r.rejected ?? [];
    this.result.hidden = false;
    this.result.setAttribute('data-state', rejected.length ? 'partial' : 'ok');
    this.result.setAttribute('data-imported', String(r.imported));
    this.result.setAttribute('data-duplicates', String(r.duplicates));
    this.result.setAttribute('data-rejected', String(rejected.length));
    const summary: Node[] = [
      h('div', {}, `Imported ${r.imported}, duplicates ${r.duplicates}, rejected ${rejected.length}.`),
      rejected.length
        ? h(
            'ul',
            { class: 'rejections' },
            ...rejected.map((x) => h('li', {}, `${x.file}: ${x.reason}${x.message ? ` — ${x.message}` : ''}`)),
          )
        : [],
    ].flat();
    this.result.replaceChildren(...summary);
  }

  private show(state: string, text: string): void {
    this.result.hidden = false;
    this.result.setAttribute('data-state', state);
    this.result.replaceChildren(text);
  }
}

function isUploadResult(body: unknown): body is UploadResult {
  const r = body as Partial<UploadResult> | undefined;
  return typeof r?.imported === 'number' && Array.isArray(r.rejected);
}
