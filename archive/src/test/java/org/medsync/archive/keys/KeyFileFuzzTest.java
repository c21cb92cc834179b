package org.medsync.archive.keys;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The key file is read at every start and after every change, possibly edited by hand: any text is read as key
 * versions or refused with an IOException naming the line, never another exception.
 */
class KeyFileFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void anyText_isKeysOrARefusal(byte[] text) {
        try {
            LocalKeyFile.parse(new String(text, StandardCharsets.UTF_8), "fuzz.keys");
        } catch (IOException expected) {
            // refused with the line number
        }
    }
}
