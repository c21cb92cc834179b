package org.medsync.rtv.control;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed control bodies, each refused with the exception the control server answers 400 for and a
 * message saying what was expected, quickly: no input makes the parser allocate more than its body.
 */
class ControlJsonMalformedTest {

    static Stream<Arguments> json() {
        return Stream.of(
                Arguments.of("empty", "", "expected a value"),
                Arguments.of("only white space", " \r\n\t", "expected a value"),
                Arguments.of("unclosed object", "{\"a\": 1", "expected '}'"),
                Arguments.of("unclosed string", "\"abc", "a closing double quote"),
                Arguments.of("trailing comma", "[1,]", "expected a value"),
                Arguments.of("member name unquoted", "{a: 1}", "a member name in double quotes"),
                Arguments.of("missing colon", "{\"a\" 1}", "expected ':'"),
                Arguments.of("duplicate member", "{\"a\": 1, \"a\": 2}", "member \"a\" only once"),
                Arguments.of("leading zero", "01", "expected a number"),
                Arguments.of("plus sign", "+1", "expected a value"),
                Arguments.of("bare dot", "1.", "expected a number"),
                Arguments.of("exponent without digits", "1e", "expected a number"),
                Arguments.of("number of 65 characters", "1" + "0".repeat(64), "expected a number"),
                Arguments.of("exponent of a billion", "1e999999999", "exponent of at most 1000"),
                // found by fuzzing: 60 digits and an exponent parse, but write back longer than 64 characters
                Arguments.of(
                        "60 digits with an exponent", "1" + "8".repeat(59) + "e99", "at most 40 significant digits"),
                Arguments.of("exponent overflowing int", "1e99999999999", "exponent of at most 1000"),
                Arguments.of("NaN", "NaN", "expected a value"),
                Arguments.of("single quotes", "'a'", "expected a value"),
                Arguments.of("raw newline in string", "\"a\nb\"", "no control character"),
                Arguments.of("unknown escape", "\"\\x\"", "a valid escape"),
                Arguments.of("short unicode escape", "\"\\u12\"", "4 hex digits"),
                Arguments.of("signed unicode escape", "\"\\u+041\"", "4 hex digits"),
                Arguments.of("true misspelt", "tru", "expected true"),
                Arguments.of("two values", "{} {}", "end of input"),
                Arguments.of("33 levels", "[".repeat(34) + "]".repeat(34), "less nesting"),
                Arguments.of("byte order mark", "\uFEFF{}", "expected a value"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("json")
    void malformedJson_isRefusedSayingWhatWasExpected(String name, String text, String expected) {
        Json.JsonException e = assertThrows(Json.JsonException.class, () -> Json.parse(text), name);
        assertTrue(e.getMessage().contains(expected), name + ": " + e.getMessage());
    }

    /** A valid flow, so that the receiver rows fail on the field they are about. */
    static final String SDP = "v=0\\r\\no=- 1 1 IN IP4 127.0.0.1\\ns=Probe\\nt=0 0\\nm=video 5004 RTP/AVP 96\\n"
            + "c=IN IP4 127.0.0.1\\na=rtpmap:96 raw/90000\\na=fmtp:96 sampling=YCbCr-4:2:2; depth=10; width=1280;"
            + " height=720; exactframerate=50; colorimetry=BT709; PM=2110GPM; SSN=ST2110-20:2017; TP=2110TPN\\n";

    static Stream<Arguments> bodies() {
        String video = "\"video\": {\"width\": 1280, \"height\": 720, \"rate\": \"50\", \"sampling\": \"YCbCr-4:2:2\","
                + " \"depth\": 10, \"colorimetry\": \"BT709\"}";
        String dest = "\"destination\": {\"video\": {\"address\": \"239.1.1.1\", \"port\": 5004}, \"metadata\":"
                + " {\"address\": \"239.1.1.2\", \"port\": 5006}}";
        return Stream.of(
                Arguments.of("transmitter: an array", "tx", "[]", "the body must be a JSON object"),
                Arguments.of("transmitter: no video", "tx", "{" + dest + "}", "video is required"),
                Arguments.of(
                        "transmitter: width a string of digits too long",
                        "tx",
                        "{" + video.replace("1280", "\"99999999999\"") + ", " + dest + "}",
                        "video.width must be an integer"),
                Arguments.of(
                        "transmitter: a number where text belongs, of a billion digits",
                        "tx",
                        "{" + video.replace("\"YCbCr-4:2:2\"", "1e999999999") + ", " + dest + "}",
                        "exponent of at most"),
                Arguments.of(
                        "transmitter: port a fraction",
                        "tx",
                        "{" + video + ", " + dest.replace("5004", "5004.5") + "}",
                        "destination.video.port must be an integer"),
                Arguments.of(
                        "transmitter: static metadata not an object",
                        "tx",
                        "{" + video + ", " + dest + ", \"staticMetadata\": []}",
                        "a DICOM JSON object is expected"),
                Arguments.of(
                        "transmitter: IS value of a billion digits",
                        "tx",
                        "{" + video + ", " + dest
                                + ", \"staticMetadata\": {\"00200011\": {\"vr\": \"IS\", \"Value\": [1e999999999]}}}",
                        "exponent of at most"),
                Arguments.of(
                        "transmitter: width a string",
                        "tx",
                        "{" + video.replace("1280", "\"1280\"") + ", " + dest + "}",
                        "video.width must be an integer, not a string"),
                Arguments.of(
                        "transmitter: rate a number",
                        "tx",
                        "{" + video.replace("\"50\"", "50") + ", " + dest + "}",
                        "video.rate must be a string, not a number"),
                Arguments.of(
                        "transmitter: depth a string",
                        "tx",
                        "{" + video.replace("10,", "\"10\",") + ", " + dest + "}",
                        "video.depth must be an integer, not a string"),
                Arguments.of(
                        "transmitter: address a number",
                        "tx",
                        "{" + video + ", " + dest.replace("\"239.1.1.1\"", "239") + "}",
                        "destination.video.address must be a string, not a number"),
                Arguments.of(
                        "transmitter: port a string",
                        "tx",
                        "{" + video + ", " + dest.replace("5004", "\"5004\"") + "}",
                        "destination.video.port must be an integer, not a string"),
                Arguments.of(
                        "transmitter: sopClassUid a number",
                        "tx",
                        "{" + video + ", " + dest + ", \"sopClassUid\": 1.2}",
                        "sopClassUid must be a string, not a number"),
                Arguments.of("receiver: no flows", "rx", "{}", "flows is required"),
                Arguments.of(
                        "receiver: latency a string",
                        "rx",
                        "{\"flows\": [{\"sdp\": \"" + SDP + "\"}], \"latencyMs\": \"40\"}",
                        "latencyMs must be an integer, not a string"),
                Arguments.of(
                        "receiver: zone a string",
                        "rx",
                        "{\"flows\": [{\"sdp\": \"" + SDP + "\"}], \"overlay\": {\"zone\": \"7\"}}",
                        "overlay.zone must be an integer, not a string"),
                Arguments.of(
                        "receiver: overlay attribute a number",
                        "rx",
                        "{\"flows\": [{\"sdp\": \"" + SDP + "\"}], \"overlay\": {\"attributes\": [100010]}}",
                        "overlay.attributes[0] must be a string of 8 hex digits, not a number"),
                Arguments.of(
                        "receiver: overlay enabled a string",
                        "rx",
                        "{\"flows\": [{\"sdp\": \"" + SDP + "\"}], \"overlay\": {\"enabled\": \"false\"}}",
                        "overlay.enabled must be true or false, not a string"),
                Arguments.of(
                        "receiver: layout a number",
                        "rx",
                        "{\"flows\": [{\"sdp\": \"" + SDP + "\"}], \"layout\": 1}",
                        "layout must be a string, not a number"),
                Arguments.of(
                        "receiver: sdp an object",
                        "rx",
                        "{\"flows\": [{\"sdp\": {}}]}",
                        "flows[0].sdp must be a string, not an object"),
                Arguments.of("receiver: flows not an array", "rx", "{\"flows\": {}}", "flows must be an array"),
                Arguments.of(
                        "receiver: 5000 sdpUrl flows",
                        "rx",
                        "{\"flows\": [" + "{\"sdpUrl\": \"http://127.0.0.1:9/SDP\"},".repeat(4999)
                                + "{\"sdpUrl\": \"x\"}]}",
                        "1 to 4 flows"),
                Arguments.of("receiver: flow with neither", "rx", "{\"flows\": [{}]}", "flows[0] needs sdp or sdpUrl"),
                Arguments.of("receiver: SDP that is not one", "rx", "{\"flows\": [{\"sdp\": \"hello\"}]}", "flows[0]"),
                Arguments.of("dicom: tag of 7 digits", "dicom", "{\"0010001\": {\"vr\": \"PN\"}}", "8 hex digits"),
                Arguments.of(
                        "dicom: group 0002",
                        "dicom",
                        "{\"00020010\": {\"vr\": \"UI\", \"Value\": [\"1.2\"]}}",
                        "group 0002"),
                Arguments.of(
                        "dicom: US value too large",
                        "dicom",
                        "{\"00280010\": {\"vr\": \"US\", \"Value\": [1e30]}}",
                        "needs integers"),
                Arguments.of(
                        "dicom: bad base64",
                        "dicom",
                        "{\"00340007\": {\"vr\": \"OB\", \"InlineBinary\": \"%%%\"}}",
                        "Illegal base64 character"));
    }

    @org.junit.jupiter.api.Test
    void theRowsBase_isAccepted() throws Exception {
        ReceiverControl.config(
                "{\"flows\": [{\"sdp\": \"" + SDP + "\"}], \"overlay\": {\"enabled\": false}}", (u, f) -> {
                    throw new AssertionError(u);
                });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void malformedBody_isRefusedQuickly_namingTheField(String name, String parser, String body, String expected) {
        RuntimeException e = assertTimeoutPreemptively(
                Duration.ofSeconds(2),
                () -> assertThrows(RuntimeException.class, () -> {
                    switch (parser) {
                        case "tx" -> TransmitterControl.config(body);
                        case "rx" ->
                            ReceiverControl.config(body, (url, flow) -> {
                                throw new AssertionError("fetched " + url + " before counting the flows");
                            });
                        default -> DicomJson.toDataset(Json.parse(body));
                    }
                }),
                name);
        assertTrue(
                e instanceof IllegalArgumentException
                        || e instanceof Json.JsonException
                        || e instanceof ControlServer.Refused,
                name + ": " + e);
        assertTrue(e.getMessage().contains(expected), name + ": " + e.getMessage());
    }
}
