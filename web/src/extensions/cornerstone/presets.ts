/** CT window presets (centre / width in HU). */
export interface WindowPreset {
  id: string;
  label: string;
  center: number;
  width: number;
}

export const CT_PRESETS: readonly WindowPreset[] = [
  { id: 'brain', label: 'Brain', center: 40, width: 80 },
  { id: 'subdural', label: 'Subdural', center: 75, width: 215 },
  { id: 'bone', label: 'Bone', center: 600, width: 2800 },
  { id: 'soft-tissue', label: 'Soft tissue', center: 50, width: 350 },
];
