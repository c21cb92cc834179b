import type { DicomJsonDataset } from '../../platform/api/types';
import {
  formatDate,
  formatNumber,
  formatPersonName,
  formatTime,
  getNumber,
  getString,
} from '../../platform/dicom/json';
import { Tag } from '../../platform/dicom/tags';
import { h } from '../../platform/ui/dom';

export interface OverlayState {
  instance: DicomJsonDataset | undefined;
  frame: number;
  numberOfFrames: number;
  index: number;
  count: number;
  voi: { center: number; width: number } | undefined;
  zoom: number | undefined;
}

/** The four corner text overlays of a viewport, filled from the displayed instance's metadata. */
export class CornerOverlays {
  readonly topLeft = corner('overlay-top-left', 'top-left');
  readonly topRight = corner('overlay-top-right', 'top-right');
  readonly bottomLeft = corner('overlay-bottom-left', 'bottom-left');
  readonly bottomRight = corner('overlay-bottom-right', 'bottom-right');

  get elements(): HTMLElement[] {
    return [this.topLeft, this.topRight, this.bottomLeft, this.bottomRight];
  }

  update(s: OverlayState): void {
    const ds = s.instance;
    const sex = getString(ds, Tag.PatientSex);
    const birth = formatDate(getString(ds, Tag.PatientBirthDate));
    lines(this.topLeft, [
      formatPersonName(getString(ds, Tag.PatientName)),
      getString(ds, Tag.PatientID),
      [birth && `DOB ${birth}`, sex && `Sex ${sex}`].filter(Boolean).join('  '),
    ]);
    lines(this.topRight, [
      getString(ds, Tag.InstitutionName),
      [formatDate(getString(ds, Tag.StudyDate)), formatTime(getString(ds, Tag.StudyTime))].filter(Boolean).join(' '),
      getString(ds, Tag.StudyDescription),
    ]);
    const seriesNumber = getString(ds, Tag.SeriesNumber);
    const location = getNumber(ds, Tag.SliceLocation);
    const thickness = getNumber(ds, Tag.SliceThickness);
    lines(this.bottomLeft, [
      [seriesNumber && `Se ${seriesNumber}`, getString(ds, Tag.SeriesDescription)].filter(Boolean).join('  '),
      s.count > 0
        ? `Im ${s.index + 1} / ${s.count}${s.numberOfFrames > 1 ? `  (frame ${s.frame} / ${s.numberOfFrames})` : ''}`
        : '',
      [
        location !== undefined && `Loc ${formatNumber(location)} mm`,
        thickness !== undefined && `Thk ${formatNumber(thickness)} mm`,
      ]
        .filter(Boolean)
        .join('  '),
    ]);
    lines(this.bottomRight, [
      s.voi ? `W ${formatNumber(s.voi.width, 1)}  L ${formatNumber(s.voi.center, 1)}` : '',
      s.zoom !== undefined ? `Zoom ${s.zoom.toFixed(2)}x` : '',
    ]);
  }
}

function corner(testId: string, position: string): HTMLElement {
  return h('div', { class: `overlay overlay-${position}`, 'data-testid': testId });
}

function lines(el: HTMLElement, values: (string | undefined | false)[]): void {
  el.replaceChildren(...values.filter((v): v is string => !!v).map((v) => h('div', {}, v)));
}
