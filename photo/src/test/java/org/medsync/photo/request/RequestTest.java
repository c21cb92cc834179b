package org.medsync.photo.request;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The photo routes' parsers accept what the page sends and say precisely what is wrong with the rest. */
class RequestTest {
    @Test
    void cornersAsThePageSendsThem_otherMembersIgnored() {
        double[][] xy = CornersRequest.parse(
                " {\"note\": \"a\\u00e9\\n\", \"corners\": [[1,2],[3.5,-4e1],[0,0],[10E+2, 7]], \"x\": [true, null]} ");
        assertArrayEquals(new double[] {3.5, -40}, xy[1]);
        assertArrayEquals(new double[] {1000, 7}, xy[3]);
    }

    @Test
    void malformedCornersAreRefusedWithTheReason() {
        assertEquals("the body is empty: " + CornersRequest.SHAPE, message(""));
        assertEquals(CornersRequest.SHAPE, message("{\"corners\": [[1,2],[3,4],[5,6]]}"));
        assertEquals(
                "corner 2 must be [x,y] with two numbers", message("{\"corners\": [[1,2],[3,4],[5,\"6\"],[7,8]]}"));
        assertEquals(
                "corner 0 is out of the range of numbers", message("{\"corners\": [[1e999,2],[3,4],[5,6],[7,8]]}"));
        assertEquals("text after the JSON value at character 3", message("{} {}"));
        assertEquals("a number without digits at character 13", message("{\"corners\": [-]}"));
        assertEquals("JSON nested deeper than 16", message("[".repeat(40)));
        assertEquals("a string is not closed", message("{\"corn"));
        assertEquals("expected ':' at character 11", message("{\"corners\" [1]}"));
    }

    @Test
    void attachToForms() {
        assertEquals(new Attachment(Attachment.Kind.STUDY, "1.2.3"), Attachment.parse(" study:1.2.3 "));
        assertEquals(new Attachment(Attachment.Kind.CONSULT, null), Attachment.parse("consult"));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Attachment.parse("study:Smith^John"));
        assertEquals("attachTo study: needs a DICOM UID (digits and dots, at most 64)", e.getMessage());
    }

    private static String message(String body) {
        return assertThrows(IllegalArgumentException.class, () -> CornersRequest.parse(body))
                .getMessage();
    }
}
