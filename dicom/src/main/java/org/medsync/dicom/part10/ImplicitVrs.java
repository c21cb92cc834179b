package org.medsync.dicom.part10;

import java.util.Map;

/** The handful of tags the scanner interprets itself: their VR (for implicit VR syntaxes) and keyword. */
final class ImplicitVrs {

    private record Entry(String vr, String keyword) {}

    private static final Map<Integer, Entry> ENTRIES = Map.ofEntries(
            Map.entry(0x00020010, new Entry("UI", "TransferSyntaxUID")),
            Map.entry(0x00080016, new Entry("UI", "SOPClassUID")),
            Map.entry(0x00080018, new Entry("UI", "SOPInstanceUID")),
            Map.entry(0x0020000D, new Entry("UI", "StudyInstanceUID")),
            Map.entry(0x0020000E, new Entry("UI", "SeriesInstanceUID")),
            Map.entry(0x00280002, new Entry("US", "SamplesPerPixel")),
            Map.entry(0x00280004, new Entry("CS", "PhotometricInterpretation")),
            Map.entry(0x00280006, new Entry("US", "PlanarConfiguration")),
            Map.entry(0x00280008, new Entry("IS", "NumberOfFrames")),
            Map.entry(0x00280010, new Entry("US", "Rows")),
            Map.entry(0x00280011, new Entry("US", "Columns")),
            Map.entry(0x00280100, new Entry("US", "BitsAllocated")),
            Map.entry(0x00280101, new Entry("US", "BitsStored")),
            Map.entry(0x00280102, new Entry("US", "HighBit")),
            Map.entry(0x00280103, new Entry("US", "PixelRepresentation")),
            Map.entry(0x00281050, new Entry("DS", "WindowCenter")),
            Map.entry(0x00281051, new Entry("DS", "WindowWidth")),
            Map.entry(0x00281052, new Entry("DS", "RescaleIntercept")),
            Map.entry(0x00281053, new Entry("DS", "RescaleSlope")),
            Map.entry(0x00281101, new Entry("US", "RedPaletteColorLookupTableDescriptor")),
            Map.entry(0x00281102, new Entry("US", "GreenPaletteColorLookupTableDescriptor")),
            Map.entry(0x00281103, new Entry("US", "BluePaletteColorLookupTableDescriptor")),
            Map.entry(0x00281201, new Entry("OW", "RedPaletteColorLookupTableData")),
            Map.entry(0x00281202, new Entry("OW", "GreenPaletteColorLookupTableData")),
            Map.entry(0x00281203, new Entry("OW", "BluePaletteColorLookupTableData")),
            Map.entry(0x7FE00001, new Entry("OV", "ExtendedOffsetTable")),
            Map.entry(0x7FE00002, new Entry("OV", "ExtendedOffsetTableLengths")),
            Map.entry(0x7FE00010, new Entry("OW", "PixelData")));

    private ImplicitVrs() {}

    static String of(int tag) {
        Entry e = ENTRIES.get(tag);
        return e == null ? "UN" : e.vr();
    }

    static String keyword(int tag) {
        Entry e = ENTRIES.get(tag);
        return e == null ? null : e.keyword();
    }
}
