export const DECIMAL = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];

/** 189.8 GB: decimal units as disks are sold, up to PB (the paper's unit for national totals). */
export function formatBytes(bytes: number): string {
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1000 && i < DECIMAL.length - 1) {
    v /= 1000;
    i++;
  }
  return i === 0 ? `${v.toFixed(0)} B` : `${v.toFixed(1)} ${DECIMAL[i]}`;
}
