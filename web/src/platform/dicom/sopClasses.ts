/**
 * What a SOP class is, in words a clinician reads, and what kind of object it holds (PS3.4 Annex B, names as
 * in PS3.6 Annex A). The viewer decides from this what it can do with a series; a class not listed is named by
 * its UID and treated as an image if it has pixel data.
 */
export type SopKind =
  | 'image'
  | 'video'
  | 'report'
  | 'key-objects'
  | 'structure-set'
  | 'presentation-state'
  | 'waveform'
  | 'document'
  | 'rt-plan'
  | 'rt-dose'
  | 'segmentation'
  | 'registration'
  | 'raw-data'
  | 'whole-slide'
  | 'parametric-map'
  | 'other';

export interface SopClass {
  uid: string;
  name: string;
  kind: SopKind;
}

const TABLE: readonly (readonly [string, string, SopKind])[] = [
  // Images
  ['1.2.840.10008.5.1.4.1.1.1', 'Computed Radiography Image', 'image'],
  ['1.2.840.10008.5.1.4.1.1.1.1', 'Digital X-Ray Image (for presentation)', 'image'],
  ['1.2.840.10008.5.1.4.1.1.1.1.1', 'Digital X-Ray Image (for processing)', 'image'],
  ['1.2.840.10008.5.1.4.1.1.1.2', 'Digital Mammography Image (for presentation)', 'image'],
  ['1.2.840.10008.5.1.4.1.1.1.2.1', 'Digital Mammography Image (for processing)', 'image'],
  ['1.2.840.10008.5.1.4.1.1.1.3', 'Digital Intra-Oral X-Ray Image (for presentation)', 'image'],
  ['1.2.840.10008.5.1.4.1.1.1.3.1', 'Digital Intra-Oral X-Ray Image (for processing)', 'image'],
  ['1.2.840.10008.5.1.4.1.1.2', 'CT Image', 'image'],
  ['1.2.840.10008.5.1.4.1.1.2.1', 'Enhanced CT Image', 'image'],
  ['1.2.840.10008.5.1.4.1.1.2.2', 'Legacy Converted Enhanced CT Image', 'image'],
  ['1.2.840.10008.5.1.4.1.1.3.1', 'Ultrasound Multi-frame Image', 'image'],
  ['1.2.840.10008.5.1.4.1.1.4', 'MR Image', 'image'],
  ['1.2.840.10008.5.1.4.1.1.4.1', 'Enhanced MR Image', 'image'],
  ['1.2.840.10008.5.1.4.1.1.4.2', 'MR Spectroscopy', 'raw-data'],
  ['1.2.840.10008.5.1.4.1.1.4.3', 'Enhanced MR Color Image', 'image'],
  ['1.2.840.10008.5.1.4.1.1.4.4', 'Legacy Converted Enhanced MR Image', 'image'],
  ['1.2.840.10008.5.1.4.1.1.6.1', 'Ultrasound Image', 'image'],
  ['1.2.840.10008.5.1.4.1.1.6.2', 'Enhanced US Volume', 'image'],
  ['1.2.840.10008.5.1.4.1.1.7', 'Secondary Capture Image', 'image'],
  ['1.2.840.10008.5.1.4.1.1.7.1', 'Multi-frame Single Bit Secondary Capture Image', 'image'],
  ['1.2.840.10008.5.1.4.1.1.7.2', 'Multi-frame Grayscale Byte Secondary Capture Image', 'image'],
  ['1.2.840.10008.5.1.4.1.1.7.3', 'Multi-frame Grayscale Word Secondary Capture Image', 'image'],
  ['1.2.840.10008.5.1.4.1.1.7.4', 'Multi-frame True Color Secondary Capture Image', 'image'],
  ['1.2.840.10008.5.1.4.1.1.12.1', 'X-Ray Angiographic Image', 'image'],
  ['1.2.840.10008.5.1.4.1.1.12.1.1', 'Enhanced XA Image', 'image'],
  ['1.2.840.10008.5.1.4.1.1.12.2', 'X-Ray Radiofluoroscopic Image', 'image'],
  ['1.2.840.10008.5.1.4.1.1.12.2.1', 'Enhanced XRF Image', 'image'],
  ['1.2.840.10008.5.1.4.1.1.13.1.1', 'X-Ray 3D Angiographic Image', 'image'],
  ['1.2.840.10008.5.1.4.1.1.13.1.3', 'Breast Tomosynthesis Image', 'image'],
  ['1.2.840.10008.5.1.4.1.1.13.1.4', 'Breast Projection X-Ray Image (for presentation)', 'image'],
  ['1.2.840.10008.5.1.4.1.1.20', 'Nuclear Medicine Image', 'image'],
  ['1.2.840.10008.5.1.4.1.1.128', 'PET Image', 'image'],
  ['1.2.840.10008.5.1.4.1.1.130', 'Enhanced PET Image', 'image'],
  ['1.2.840.10008.5.1.4.1.1.128.1', 'Legacy Converted Enhanced PET Image', 'image'],
  ['1.2.840.10008.5.1.4.1.1.481.1', 'RT Image', 'image'],
  ['1.2.840.10008.5.1.4.1.1.77.1.1', 'VL Endoscopic Image', 'image'],
  ['1.2.840.10008.5.1.4.1.1.77.1.2', 'VL Microscopic Image', 'image'],
  ['1.2.840.10008.5.1.4.1.1.77.1.3', 'VL Slide-Coordinates Microscopic Image', 'image'],
  ['1.2.840.10008.5.1.4.1.1.77.1.4', 'VL Photographic Image', 'image'],
  ['1.2.840.10008.5.1.4.1.1.77.1.5.1', 'Ophthalmic Photography 8 Bit Image', 'image'],
  ['1.2.840.10008.5.1.4.1.1.77.1.5.2', 'Ophthalmic Photography 16 Bit Image', 'image'],
  ['1.2.840.10008.5.1.4.1.1.77.1.5.4', 'Ophthalmic Tomography Image', 'image'],
  ['1.2.840.10008.5.1.4.1.1.77.1.6', 'VL Whole Slide Microscopy Image', 'whole-slide'],
  ['1.2.840.10008.5.1.4.1.1.77.1.1.1', 'Video Endoscopic Image', 'video'],
  ['1.2.840.10008.5.1.4.1.1.77.1.2.1', 'Video Microscopic Image', 'video'],
  ['1.2.840.10008.5.1.4.1.1.77.1.4.1', 'Video Photographic Image', 'video'],
  ['1.2.840.10008.5.1.4.1.1.30', 'Parametric Map', 'parametric-map'],
  // Structured reports and key objects
  ['1.2.840.10008.5.1.4.1.1.88.11', 'Basic Text SR', 'report'],
  ['1.2.840.10008.5.1.4.1.1.88.22', 'Enhanced SR', 'report'],
  ['1.2.840.10008.5.1.4.1.1.88.33', 'Comprehensive SR', 'report'],
  ['1.2.840.10008.5.1.4.1.1.88.34', 'Comprehensive 3D SR', 'report'],
  ['1.2.840.10008.5.1.4.1.1.88.35', 'Extensible SR', 'report'],
  ['1.2.840.10008.5.1.4.1.1.88.40', 'Procedure Log', 'report'],
  ['1.2.840.10008.5.1.4.1.1.88.50', 'Mammography CAD SR', 'report'],
  ['1.2.840.10008.5.1.4.1.1.88.59', 'Key Object Selection Document', 'key-objects'],
  ['1.2.840.10008.5.1.4.1.1.88.65', 'Chest CAD SR', 'report'],
  ['1.2.840.10008.5.1.4.1.1.88.67', 'X-Ray Radiation Dose SR', 'report'],
  ['1.2.840.10008.5.1.4.1.1.88.68', 'Radiopharmaceutical Radiation Dose SR', 'report'],
  ['1.2.840.10008.5.1.4.1.1.88.69', 'Colon CAD SR', 'report'],
  ['1.2.840.10008.5.1.4.1.1.88.70', 'Implantation Plan SR', 'report'],
  ['1.2.840.10008.5.1.4.1.1.88.71', 'Acquisition Context SR', 'report'],
  ['1.2.840.10008.5.1.4.1.1.88.72', 'Simplified Adult Echo SR', 'report'],
  ['1.2.840.10008.5.1.4.1.1.88.73', 'Patient Radiation Dose SR', 'report'],
  ['1.2.840.10008.5.1.4.1.1.88.76', 'Enhanced X-Ray Radiation Dose SR', 'report'],
  // Presentation states
  ['1.2.840.10008.5.1.4.1.1.11.1', 'Grayscale Softcopy Presentation State', 'presentation-state'],
  ['1.2.840.10008.5.1.4.1.1.11.2', 'Color Softcopy Presentation State', 'presentation-state'],
  ['1.2.840.10008.5.1.4.1.1.11.3', 'Pseudo-Color Softcopy Presentation State', 'presentation-state'],
  ['1.2.840.10008.5.1.4.1.1.11.4', 'Blending Softcopy Presentation State', 'presentation-state'],
  ['1.2.840.10008.5.1.4.1.1.11.5', 'XA/XRF Grayscale Softcopy Presentation State', 'presentation-state'],
  ['1.2.840.10008.5.1.4.1.1.11.8', 'Advanced Blending Presentation State', 'presentation-state'],
  // Waveforms
  ['1.2.840.10008.5.1.4.1.1.9.1.1', '12-lead ECG', 'waveform'],
  ['1.2.840.10008.5.1.4.1.1.9.1.2', 'General ECG', 'waveform'],
  ['1.2.840.10008.5.1.4.1.1.9.1.3', 'Ambulatory ECG', 'waveform'],
  ['1.2.840.10008.5.1.4.1.1.9.1.4', 'General 32-bit ECG', 'waveform'],
  ['1.2.840.10008.5.1.4.1.1.9.2.1', 'Hemodynamic Waveform', 'waveform'],
  ['1.2.840.10008.5.1.4.1.1.9.3.1', 'Cardiac Electrophysiology Waveform', 'waveform'],
  ['1.2.840.10008.5.1.4.1.1.9.4.1', 'Basic Voice Audio Waveform', 'waveform'],
  ['1.2.840.10008.5.1.4.1.1.9.4.2', 'General Audio Waveform', 'waveform'],
  ['1.2.840.10008.5.1.4.1.1.9.5.1', 'Arterial Pulse Waveform', 'waveform'],
  ['1.2.840.10008.5.1.4.1.1.9.6.1', 'Respiratory Waveform', 'waveform'],
  ['1.2.840.10008.5.1.4.1.1.9.6.2', 'Multi-channel Respiratory Waveform', 'waveform'],
  ['1.2.840.10008.5.1.4.1.1.9.7.1', 'Routine Scalp EEG', 'waveform'],
  ['1.2.840.10008.5.1.4.1.1.9.7.2', 'EMG', 'waveform'],
  ['1.2.840.10008.5.1.4.1.1.9.7.3', 'EOG', 'waveform'],
  ['1.2.840.10008.5.1.4.1.1.9.7.4', 'Sleep EEG', 'waveform'],
  ['1.2.840.10008.5.1.4.1.1.9.8.1', 'Body Position Waveform', 'waveform'],
  // Encapsulated documents
  ['1.2.840.10008.5.1.4.1.1.104.1', 'Encapsulated PDF', 'document'],
  ['1.2.840.10008.5.1.4.1.1.104.2', 'Encapsulated CDA', 'document'],
  ['1.2.840.10008.5.1.4.1.1.104.3', 'Encapsulated STL', 'document'],
  ['1.2.840.10008.5.1.4.1.1.104.4', 'Encapsulated OBJ', 'document'],
  ['1.2.840.10008.5.1.4.1.1.104.5', 'Encapsulated MTL', 'document'],
  // Radiotherapy
  ['1.2.840.10008.5.1.4.1.1.481.2', 'RT Dose', 'rt-dose'],
  ['1.2.840.10008.5.1.4.1.1.481.3', 'RT Structure Set', 'structure-set'],
  ['1.2.840.10008.5.1.4.1.1.481.4', 'RT Beams Treatment Record', 'rt-plan'],
  ['1.2.840.10008.5.1.4.1.1.481.5', 'RT Plan', 'rt-plan'],
  ['1.2.840.10008.5.1.4.1.1.481.6', 'RT Brachy Treatment Record', 'rt-plan'],
  ['1.2.840.10008.5.1.4.1.1.481.7', 'RT Treatment Summary Record', 'rt-plan'],
  ['1.2.840.10008.5.1.4.1.1.481.8', 'RT Ion Plan', 'rt-plan'],
  ['1.2.840.10008.5.1.4.1.1.481.9', 'RT Ion Beams Treatment Record', 'rt-plan'],
  // Segmentations, registrations, raw data
  ['1.2.840.10008.5.1.4.1.1.66', 'Raw Data', 'raw-data'],
  ['1.2.840.10008.5.1.4.1.1.66.1', 'Spatial Registration', 'registration'],
  ['1.2.840.10008.5.1.4.1.1.66.2', 'Spatial Fiducials', 'registration'],
  ['1.2.840.10008.5.1.4.1.1.66.3', 'Deformable Spatial Registration', 'registration'],
  ['1.2.840.10008.5.1.4.1.1.66.4', 'Segmentation', 'segmentation'],
  ['1.2.840.10008.5.1.4.1.1.66.5', 'Surface Segmentation', 'segmentation'],
  ['1.2.840.10008.5.1.4.1.1.67', 'Real World Value Mapping', 'other'],
  ['1.2.840.10008.5.1.4.38.1', 'Hanging Protocol', 'other'],
  ['1.2.840.10008.5.1.4.39.1', 'Color Palette', 'other'],
];

const BY_UID = new Map<string, SopClass>(TABLE.map(([uid, name, kind]) => [uid, { uid, name, kind }]));

/** The SOP class of `uid`, or undefined when MedSync does not know it. */
export function sopClass(uid: string | undefined): SopClass | undefined {
  return uid ? BY_UID.get(uid.trim()) : undefined;
}

/** What a kind of object is, for messages: "a structured report", "a waveform". */
export const KIND_IN_WORDS: Readonly<Record<SopKind, string>> = {
  image: 'an image',
  video: 'a video',
  report: 'a structured report',
  'key-objects': 'a selection of key images',
  'structure-set': 'a set of contours (regions of interest) drawn over images',
  'presentation-state': 'display settings (window, annotations, zoom) for images of the study',
  waveform: 'a waveform (signal recording)',
  document: 'a document wrapped in DICOM',
  'rt-plan': 'a radiotherapy plan or treatment record',
  'rt-dose': 'a radiotherapy dose grid',
  segmentation: 'a segmentation (labelled regions) of other images',
  registration: 'a spatial registration between image sets',
  'raw-data': 'raw data for other software',
  'whole-slide': 'a tiled whole-slide microscopy image',
  'parametric-map': 'a map of computed values (floating point)',
  other: 'a DICOM object that is not an image',
};
