package org.medsync.dicom.part10;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.medsync.dicom.part10.Part10Bytes.concat;
import static org.medsync.dicom.part10.Part10Bytes.deflate;
import static org.medsync.dicom.part10.Part10Bytes.header;
import static org.medsync.dicom.part10.Part10Bytes.item;
import static org.medsync.dicom.part10.Part10Bytes.part10;
import static org.medsync.dicom.part10.Part10Bytes.preamble;
import static org.medsync.dicom.part10.Part10Bytes.seqDelimiter;
import static org.medsync.dicom.part10.Part10Bytes.undefinedHeader;
import static org.medsync.dicom.part10.Part10Bytes.us;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.medsync.dicom.DicomFiles;
import org.medsync.dicom.Samples;
import org.medsync.dicom.part10.DicomFormatException.Reason;
import org.medsync.testsupport.part10.DeflatedFiles;

/** The strict scanner against malformed and hostile files: each maps to one reason and a message naming the defect. */
class Part10ScannerTest {

    private static final String EXPLICIT = ScannedDataset.TS_EXPLICIT_LE;
    private static final String DEFLATED = ScannedDataset.TS_DEFLATED;

    static Stream<Arguments> malformed() {
        byte[] nestedTooDeep = concat(undefinedHeader(0x00081115, "SQ"));
        for (int i = 0; i < 70; i++) {
            nestedTooDeep = concat(nestedTooDeep, item(-1), undefinedHeader(0x00081115, "SQ"));
        }
        return Stream.of(
                Arguments.of("empty file", new byte[0], Reason.NOT_DICOM, "empty file"),
                Arguments.of(
                        "text",
                        "hello, this is not DICOM at all".getBytes(StandardCharsets.US_ASCII),
                        Reason.NOT_DICOM,
                        "not a DICOM data set"),
                Arguments.of(
                        "DICM prefix and nothing else",
                        Arrays.copyOf(preamble(), 132),
                        Reason.TRUNCATED,
                        "ends right after the DICM prefix"),
                Arguments.of(
                        "meta element longer than the file",
                        concat(preamble(), header(0x00020010, "UI", 64), "1.2".getBytes(StandardCharsets.US_ASCII)),
                        Reason.TRUNCATED,
                        "declares 64 bytes"),
                Arguments.of(
                        "meta element of undefined length (a fuzzing find)",
                        concat(
                                preamble(),
                                undefinedHeader(0x00020010, "UT"),
                                seqDelimiter(),
                                header(0x00080060, "CS", 2),
                                "CT".getBytes(StandardCharsets.US_ASCII)),
                        Reason.UNREADABLE,
                        "(0002,0010) has undefined length"),
                Arguments.of(
                        "invalid VR in the data set",
                        part10(EXPLICIT, concat(header(0x00080060, "ZZ", 2), "CT".getBytes(StandardCharsets.US_ASCII))),
                        Reason.UNREADABLE,
                        "invalid VR"),
                Arguments.of(
                        "item tag at the top level",
                        part10(EXPLICIT, concat(item(0))),
                        Reason.UNREADABLE,
                        "unexpected item tag (FFFE,E000)"),
                Arguments.of(
                        "sequence without its delimiter",
                        part10(EXPLICIT, concat(undefinedHeader(0x00081115, "SQ"), item(0))),
                        Reason.TRUNCATED,
                        "ends without a sequence delimiter"),
                Arguments.of(
                        "something else than an item in a sequence",
                        part10(
                                EXPLICIT,
                                concat(
                                        undefinedHeader(0x00081115, "SQ"),
                                        header(0x00080060, "CS", 2),
                                        "CT".getBytes(StandardCharsets.US_ASCII))),
                        Reason.UNREADABLE,
                        "expected an item in sequence"),
                Arguments.of(
                        "sequences nested 70 deep",
                        part10(EXPLICIT, nestedTooDeep),
                        Reason.UNREADABLE,
                        "nested deeper than 64"),
                Arguments.of(
                        "pixel fragments without a sequence delimiter",
                        part10(EXPLICIT, concat(undefinedHeader(0x7FE00010, "OB"), item(0), item(4), new byte[4])),
                        Reason.TRUNCATED,
                        "without a sequence delimiter"),
                Arguments.of(
                        "pixel fragment longer than the file",
                        part10(EXPLICIT, concat(undefinedHeader(0x7FE00010, "OB"), item(0), item(1000), new byte[4])),
                        Reason.TRUNCATED,
                        "declares 1000 bytes"),
                Arguments.of(
                        "a data element among the pixel fragments",
                        part10(
                                EXPLICIT,
                                concat(
                                        undefinedHeader(0x7FE00010, "OB"),
                                        item(0),
                                        header(0x00080060, "CS", 2),
                                        "CT".getBytes(StandardCharsets.US_ASCII))),
                        Reason.UNREADABLE,
                        "bad item (0008,0060) in encapsulated Pixel Data"),
                Arguments.of(
                        "deflated data set that is not deflate",
                        part10(DEFLATED, new byte[] {-1, -1, -1, -1}),
                        Reason.UNREADABLE,
                        "deflated data set is corrupt"),
                Arguments.of(
                        "deflated data set cut short",
                        part10(DEFLATED, Arrays.copyOf(deflate(new byte[100_000]), 20)),
                        Reason.TRUNCATED,
                        "deflated data set ends early"),
                Arguments.of(
                        "deflated data set of 20 MB zeros (ratio 1000)",
                        part10(DEFLATED, deflate(concat(header(0x00091010, "OB", 20_000_000), new byte[20_000_000]))),
                        Reason.DECOMPRESSION_BOMB,
                        "more than 100 times (dicom.max-inflation-ratio)"));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("malformed")
    void malformedFile_isRefusedWithItsReason(String name, byte[] file, Reason reason, String message) {
        DicomFormatException e = assertThrows(
                DicomFormatException.class, () -> Part10Scanner.scan("f.dcm", file, DecodeLimits.defaults()), name);
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void deflateBombIsRefusedWithoutFullInflation() throws Exception {
        byte[] bomb = DeflatedFiles.bomb(1000, 1000, 100);
        assertTrue(bomb.length < 200_000, "100 MB of pixels deflate to " + bomb.length + " bytes");
        long before = Part10Scanner.inflatedBytes();
        DicomFormatException e = assertThrows(
                DicomFormatException.class, () -> Part10Scanner.scan("bomb.dcm", bomb, DecodeLimits.defaults()));
        long inflated = Part10Scanner.inflatedBytes() - before;
        assertEquals(Reason.DECOMPRESSION_BOMB, e.reason());
        assertTrue(e.getMessage().contains("dicom.max-inflation-ratio"), e.getMessage());
        assertTrue(
                inflated < DecodeLimits.RATIO_GRACE_BYTES + (2 << 20),
                "stopped after " + inflated + " of 100,000,000 bytes");
    }

    @Test
    void deflateBeyondTheSizeLimitIsRefusedAsSoonAsItPassesIt() throws Exception {
        byte[] noise = DeflatedFiles.noise(512, 512, 8, 7);
        DecodeLimits oneMegabyte = new DecodeLimits(1 << 20, 100, 1 << 30);
        long before = Part10Scanner.inflatedBytes();
        DicomFormatException e =
                assertThrows(DicomFormatException.class, () -> Part10Scanner.scan("big.dcm", noise, oneMegabyte));
        long inflated = Part10Scanner.inflatedBytes() - before;
        assertEquals(Reason.DECOMPRESSION_BOMB, e.reason());
        assertTrue(e.getMessage().contains("beyond 1048576 bytes (dicom.max-inflated-bytes)"), e.getMessage());
        assertTrue(inflated <= (1 << 20) + 1, "inflated " + inflated);
    }

    @Test
    void ordinaryDeflatedFiles_stillScan() throws Exception {
        ScannedDataset sample = Part10Scanner.scan(Samples.pydicom("image_dfl.dcm"), DecodeLimits.defaults());
        assertTrue(sample.inflated());
        ScannedDataset noise =
                Part10Scanner.scan("noise.dcm", DeflatedFiles.noise(256, 256, 3, 1), DecodeLimits.defaults());
        assertEquals(3, PixelLayout.of(noise).numberOfFrames());
    }

    @Test
    void inflatedCopy_isTheSameDataSetInExplicitLittleEndian(@TempDir Path dir) throws Exception {
        Path deflated = dir.resolve("noise.dcm");
        Files.write(deflated, DeflatedFiles.noise(64, 48, 3, 3));
        DicomFiles.Inspection i = DicomFiles.inspect(deflated, "frames", dir);
        try {
            assertEquals(EXPLICIT, i.instance().transferSyntaxUid());
            assertEquals(
                    DicomFiles.readHeader(deflated).sopInstanceUid(),
                    i.instance().sopInstanceUid());
            ScannedDataset copy = Part10Scanner.scan(i.inflatedCopy());
            assertFalse(copy.inflated());
            for (int f = 1; f <= 3; f++) {
                assertArrayEquals(
                        DicomFiles.frame(deflated, f).bytes(),
                        DicomFiles.frame(i.inflatedCopy(), f).bytes());
            }
        } finally {
            Files.deleteIfExists(i.inflatedCopy());
        }
    }

    @Test
    void frameIndex_readsWhatAWholeScanGives_forEverySyntax() throws Exception {
        for (String name : new String[] {
            "MR_small.dcm",
            "MR_small_implicit.dcm",
            "MR_small_bigendian.dcm",
            "MR_small_RLE.dcm",
            "MR_small_jp2klossless.dcm",
            "SC_rgb_rle_2frame.dcm",
            "SC_rgb_small_odd.dcm",
            "JPEG2000.dcm",
            "liver_1frame.dcm"
        }) {
            Path file = Samples.PYDICOM.resolve(name);
            if (!Files.isRegularFile(file)) {
                continue;
            }
            FrameIndex index = FrameIndex.of(Part10Scanner.scan(file), FrameIndex.attributes(file));
            for (int f = 1; f <= index.frames(); f++) {
                DicomFiles.FrameBytes whole = DicomFiles.frame(file, f);
                assertEquals(whole.transferSyntaxUid(), index.transferSyntaxUid(), name);
                assertArrayEquals(whole.bytes(), index.read(file, f), name + " frame " + f);
            }
        }
    }

    @Test
    void frameIndex_ofABitPackedImage_unpacksFramesOffByteBoundaries(@TempDir Path dir) throws Exception {
        // 3 x 3 one-bit frames: 9 bits each, so frame 2 starts at bit 1 of byte 1.
        byte[] pixels = {(byte) 0b1010_1101, (byte) 0b0110_0011, (byte) 0b0000_0101, (byte) 0b1100_0000};
        byte[] ds = concat(
                us(0x00280002, 1),
                header(0x00280004, "CS", 12),
                "MONOCHROME2 ".getBytes(StandardCharsets.US_ASCII),
                header(0x00280008, "IS", 2),
                "3 ".getBytes(StandardCharsets.US_ASCII),
                us(0x00280010, 3),
                us(0x00280011, 3),
                us(0x00280100, 1),
                us(0x00280101, 1),
                us(0x00280102, 0),
                header(0x7FE00010, "OB", 4),
                pixels);
        Path file = dir.resolve("bits.dcm");
        Files.write(file, part10(EXPLICIT, ds));
        FrameIndex index = FrameIndex.of(Part10Scanner.scan(file), FrameIndex.attributes(file));
        for (int f = 1; f <= 3; f++) {
            assertArrayEquals(DicomFiles.frame(file, f).bytes(), index.read(file, f), "frame " + f);
        }
    }

    @Test
    void mayBeDeflated_readsTheMetaHeader() throws Exception {
        assertTrue(Part10Scanner.mayBeDeflated(part10(DEFLATED, new byte[8])));
        assertFalse(Part10Scanner.mayBeDeflated(part10(EXPLICIT, us(0x00280010, 1))));
        byte[] longMeta = part10(EXPLICIT, us(0x00280010, 1));
        assertTrue(Part10Scanner.mayBeDeflated(Arrays.copyOf(longMeta, 140)), "a cut meta header may hide anything");
        assertFalse(Part10Scanner.mayBeDeflated("plain text".getBytes(StandardCharsets.US_ASCII)));
    }
}
