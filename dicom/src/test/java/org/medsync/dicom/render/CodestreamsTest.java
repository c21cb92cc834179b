package org.medsync.dicom.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.medsync.dicom.Samples;
import org.medsync.dicom.part10.DicomFormatException;
import org.medsync.dicom.part10.Part10Bytes;

/** What a compressed frame's header declares, read before any decoder allocates by it. */
class CodestreamsTest {

    static Stream<Arguments> headers() {
        return Stream.of(
                Arguments.of("JPEG baseline 640 x 480", "FFD8 FFE0 0004 0000 FFC0 0011 08 01E0 0280 03", 640L, 480L),
                Arguments.of(
                        "JPEG lossless after a DHT and fill bytes",
                        "FFD8 FFC4 0003 00 FFFF FFC3 000B 10 0200 0100 01",
                        256L,
                        512L),
                Arguments.of("JPEG-LS 65535 x 65535", "FFD8 FFF7 000B 08 FFFF FFFF 01", 65535L, 65535L),
                Arguments.of(
                        "JPEG 2000 with an image offset",
                        "FF4F FF51 0029 0000 00000500 00000400 00000100 00000080",
                        1024L,
                        896L),
                Arguments.of(
                        "JP2 file",
                        "0000000C 6A502020 0D0A870A 00000008 6A703263 FF4F FF51 0029 0000"
                                + " 00000010 00000020 00000000 00000000",
                        16L,
                        32L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("headers")
    void declaredSize_isRead(String name, String hex, long width, long height) {
        assertEquals(new Codestreams.Size(width, height), Codestreams.size(bytes(hex)), name);
    }

    static Stream<Arguments> unreadable() {
        return Stream.of(
                Arguments.of("empty", ""),
                Arguments.of("RLE header", "02000000 40000000"),
                Arguments.of("JPEG scan before any frame header", "FFD8 FFDA 0008 01 0100 003F00"),
                Arguments.of("JPEG segment length 1", "FFD8 FFE0 0001 FFC0"),
                Arguments.of("JPEG frame header cut", "FFD8 FFC0 0011 08 01"),
                Arguments.of("JPEG height left to a DNL marker", "FFD8 FFC0 000B 08 0000 0100 01"),
                Arguments.of("JPEG garbage between segments", "FFD8 1234 5678"),
                Arguments.of("JPEG 2000 SIZ cut", "FF4F FF51 0029 0000 0000"),
                Arguments.of(
                        "JPEG 2000 offset beyond the size", "FF4F FF51 0029 0000 00000010 00000010 00000020 00000000"),
                Arguments.of("JP2 box longer than the file", "0000000C 6A502020 0D0A870A 7FFFFFFF 6A703268"),
                Arguments.of("JP2 without a codestream box", "0000000C 6A502020 0D0A870A"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unreadable")
    void noReadableHeader_isUnknown(String name, String hex) {
        assertEquals(null, Codestreams.size(bytes(hex)), name);
    }

    @Test
    void realFiles_declareTheirRowsAndColumns() throws Exception {
        for (String name :
                new String[] {"JPEG-lossy.dcm", "MR_small_jp2klossless.dcm", "MR_small_jpeg_ls_lossless.dcm"}) {
            Path file = Samples.pydicom(name);
            var ds = org.medsync.dicom.part10.Part10Scanner.scan(file);
            var layout = org.medsync.dicom.part10.PixelLayout.of(ds);
            FrameDecoder.checkCodestreams(file, ds, layout);
        }
    }

    @Test
    void jpegDeclaringMorePixelsThanTheImageIsRefusedBeforeDecoding(@TempDir Path dir) throws Exception {
        // A 64 x 64 image whose JPEG says 65535 x 65535: ImageIO would allocate 4 GB before reading a scan.
        byte[] jpeg = bytes("FFD8 FFC0 000B 08 FFFF FFFF 01 0111 00 FFD9");
        byte[] ds = Part10Bytes.concat(
                Part10Bytes.us(0x00280002, 1),
                Part10Bytes.header(0x00280004, "CS", 12),
                "MONOCHROME2 ".getBytes(StandardCharsets.US_ASCII),
                Part10Bytes.us(0x00280010, 64),
                Part10Bytes.us(0x00280011, 64),
                Part10Bytes.us(0x00280100, 8),
                Part10Bytes.us(0x00280101, 8),
                Part10Bytes.us(0x00280102, 7),
                Part10Bytes.undefinedHeader(0x7FE00010, "OB"),
                Part10Bytes.item(0),
                Part10Bytes.item(jpeg.length),
                jpeg,
                bytes("FEFF DDE0 00000000"));
        Path file = dir.resolve("liar.dcm");
        Files.write(file, Part10Bytes.part10("1.2.840.10008.1.2.4.50", ds));
        DicomFormatException e = assertThrows(DicomFormatException.class, () -> DicomRender.decode(file, 1));
        assertEquals(DicomFormatException.Reason.TOO_LARGE, e.reason(), e.getMessage());
        assertTrue(
                e.getMessage()
                        .contains("frame 1 declares 65535 x 65535 pixels in its codestream, the image is 64 x 64"),
                e.getMessage());
    }

    private static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }
}
