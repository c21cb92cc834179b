package org.medsync.library.dicomweb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A remote PACS's multipart/related answers: what parses, and each malformed body with its precise message. */
class MultipartRelatedTest {

    private static final String TYPE = "multipart/related; type=\"application/octet-stream\"; boundary=b0";

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of(
                        "no boundary parameter",
                        "multipart/related; type=\"application/dicom\"",
                        "--b0--\r\n",
                        "without a boundary"),
                Arguments.of(
                        "empty boundary parameter",
                        "multipart/related; boundary=\"\"",
                        "----\r\n",
                        "without a boundary"),
                Arguments.of("no Content-Type at all", null, "--b0--\r\n", "without a boundary"),
                Arguments.of(
                        "boundary of 71 characters",
                        "multipart/related; boundary=" + "x".repeat(71),
                        "--" + "x".repeat(71) + "--\r\n",
                        "71 characters; RFC 2046 allows at most 70"),
                Arguments.of(
                        "body without its boundary",
                        TYPE,
                        "--other\r\n\r\nbody\r\n--other--\r\n",
                        "does not contain its boundary"),
                Arguments.of(
                        "headers that never end",
                        TYPE,
                        "--b0\r\nContent-Type: a/b\r\nbody",
                        "part 1 has no end of headers"),
                Arguments.of(
                        "headers of 20 KB",
                        TYPE,
                        "--b0\r\nX-Pad: " + "p".repeat(20_000) + "\r\n\r\nbody\r\n--b0--\r\n",
                        "part 1 has no end of headers within 16384 bytes"),
                Arguments.of(
                        "part without a closing boundary",
                        TYPE,
                        "--b0\r\n\r\nbody without end",
                        "part 1 is not terminated by its boundary"),
                Arguments.of("second part cut", TYPE, "--b0\r\n\r\none\r\n--b0\r\n\r\ntwo", "part 2 is not terminated"),
                Arguments.of(
                        "65537 empty parts",
                        TYPE,
                        "--b0\r\n\r\n\r\n".repeat(65_537) + "--b0--\r\n",
                        "more than 65536 parts"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedBody_isRefusedWithAPreciseMessage(String name, String contentType, String body, String message) {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> MultipartRelated.parse(contentType, body.getBytes(StandardCharsets.ISO_8859_1)),
                name);
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    /** Bodies other writers send: each parses into the parts' bytes, joined here by '|'. */
    static Stream<Arguments> wellFormed() {
        return Stream.of(
                Arguments.of("one part", TYPE, "--b0\r\nContent-Type: a/b\r\n\r\none\r\n--b0--\r\n", "one"),
                Arguments.of("no part at all", TYPE, "--b0--\r\n", ""),
                Arguments.of("empty part", TYPE, "--b0\r\n\r\n\r\n--b0--\r\n", ""),
                Arguments.of(
                        "preamble and epilogue (RFC 2046: ignored)",
                        TYPE,
                        "preamble\r\n--b0\r\n\r\none\r\n--b0--\r\nepilogue",
                        "one"),
                Arguments.of(
                        "transport padding after the delimiter",
                        TYPE,
                        "--b0  \t\r\n\r\none\r\n--b0 \r\n\r\ntwo\r\n--b0--\r\n",
                        "one|two"),
                Arguments.of(
                        "quoted boundary with characters a token cannot hold",
                        "multipart/related; boundary=\"a:b=c\"; type=\"application/dicom\"",
                        "--a:b=c\r\n\r\none\r\n--a:b=c--\r\n",
                        "one"),
                Arguments.of(
                        "parameter names in any case",
                        "multipart/related; BOUNDARY=b0",
                        "--b0\r\n\r\none\r\n--b0--\r\n",
                        "one"),
                Arguments.of(
                        "a part that contains the boundary not at a line start",
                        TYPE,
                        "--b0\r\n\r\nx--b0y\r\n--b0--\r\n",
                        "x--b0y"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wellFormed")
    void wellFormedBody_parsesIntoItsParts(String name, String contentType, String body, String parts) {
        List<MultipartRelated.Part> parsed =
                MultipartRelated.parse(contentType, body.getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(
                parts,
                String.join(
                        "|",
                        parsed.stream()
                                .map(p -> new String(p.body(), StandardCharsets.ISO_8859_1))
                                .toList()),
                name);
    }

    @Test
    void headers_areKeyedByLowerCaseName_withTheirValuesTrimmed_andLinesWithoutANameSkipped() {
        List<MultipartRelated.Part> parts = MultipartRelated.parse(
                TYPE,
                ("--b0\r\nCONTENT-Type :  application/dicom; transfer-syntax=1.2.840.10008.1.2.4.50  \r\n"
                                + "no colon here\r\n: no name\r\nContent-Location: /x\r\n\r\nbody\r\n--b0--\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
        Map<String, String> headers = parts.getFirst().headers();
        assertEquals(
                Map.of(
                        "content-type",
                        "application/dicom; transfer-syntax=1.2.840.10008.1.2.4.50",
                        "content-location",
                        "/x"),
                headers);
        assertEquals(
                "1.2.840.10008.1.2.4.50",
                MultipartRelated.parameter(parts.getFirst().contentType(), "transfer-syntax"));
        assertEquals("application/octet-stream", new MultipartRelated.Part(Map.of(), new byte[0]).contentType());
        assertNull(MultipartRelated.parameter("application/dicom", "transfer-syntax"));
        assertNull(MultipartRelated.parameter(null, "boundary"));
    }

    @Test
    void whatWeWrite_parsesBack() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1");
        byte[] one = {0, 1, 2, '\r', '\n', '-', '-'};
        byte[] two = new byte[1000];
        MultipartRelated.Body body = MultipartRelated.write(
                "application/octet-stream",
                List.of(new MultipartRelated.Part(headers, one), new MultipartRelated.Part(headers, two)));
        List<MultipartRelated.Part> parts = MultipartRelated.parse(body.contentType(), body.bytes());
        assertEquals(2, parts.size());
        assertArrayEquals(one, parts.get(0).body());
        assertArrayEquals(two, parts.get(1).body());
        assertEquals(
                "1.2.840.10008.1.2.1", MultipartRelated.parameter(parts.get(1).contentType(), "transfer-syntax"));
    }

    @Test
    void aBodyThatAlmostMatchesTheBoundaryEverywhere_stillParses() {
        // "--aaa...a" with a 70-character boundary ending in b: the search must not restart at every byte.
        String boundary = "a".repeat(69) + "b";
        String filler = "--" + "a".repeat(2_000_000);
        String body = "--" + boundary + "\r\n\r\n" + filler + "\r\n--" + boundary + "--\r\n";
        List<MultipartRelated.Part> parts = MultipartRelated.parse(
                "multipart/related; boundary=" + boundary, body.getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(filler.length(), parts.getFirst().body().length);
    }
}
