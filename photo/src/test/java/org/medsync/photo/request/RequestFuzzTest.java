package org.medsync.photo.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Locale;

/**
 * Jazzer targets for the photo routes' small parsers of client input: the upload's attachTo field and the manual
 * corners body. Under plain surefire they replay src/test/resources/.../RequestFuzzTestInputs; with JAZZER_FUZZ=1
 * (scripts/fuzz) they fuzz. Only IllegalArgumentException (with a message) may escape, and what
 * parses writes back (attachTo) or is four finite corners that parse again from their own JSON (corners).
 */
class RequestFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void attachTo_parsesOrIsRefused_andWritesBackTheSame(String field) {
        Attachment a;
        try {
            a = Attachment.parse(field);
        } catch (IllegalArgumentException e) {
            assertFalse(e.getMessage().isEmpty());
            return;
        }
        assertEquals(a, Attachment.parse(a.wire()));
        assertEquals(field.trim(), a.wire());
    }

    @FuzzTest(maxDuration = "10s")
    void corners_parseOrAreRefused_andWhatParsesParsesAgain(String body) {
        double[][] xy;
        try {
            xy = CornersRequest.parse(body);
        } catch (IllegalArgumentException e) {
            assertFalse(e.getMessage().isEmpty());
            return;
        }
        assertEquals(4, xy.length);
        StringBuilder again = new StringBuilder("{\"corners\":[");
        for (int i = 0; i < 4; i++) {
            assertTrue(Double.isFinite(xy[i][0]) && Double.isFinite(xy[i][1]));
            again.append(i == 0 ? "" : ",")
                    .append(String.format(
                            Locale.ROOT, "[%s,%s]", Double.toString(xy[i][0]), Double.toString(xy[i][1])));
        }
        double[][] back = CornersRequest.parse(again.append("]}").toString());
        for (int i = 0; i < 4; i++) {
            assertEquals(xy[i][0], back[i][0]);
            assertEquals(xy[i][1], back[i][1]);
        }
    }
}
