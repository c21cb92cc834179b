package org.medsync.rtv.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token files: created owner-only, refused when others may read them, never shown. */
class ControlTokenTest {

    @TempDir
    Path tmp;

    @Test
    void generatedTokenFileIsOwnerOnly_andReadBackOnTheNextStart() throws Exception {
        Path file = tmp.resolve("state/tx-9001/control.token");
        ControlToken.Loaded first = ControlToken.loadOrCreate(file);
        assertTrue(first.created());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        assertTrue(first.token().bearer().length() >= 43, "32 random bytes");
        ControlToken.Loaded again = ControlToken.loadOrCreate(file);
        assertFalse(again.created());
        assertTrue(again.token().matches(first.token().bearer()), "a restart keeps the token the configurator holds");
        assertNotEquals(first.token().bearer(), ControlToken.random().bearer());
        assertFalse(first.token().toString().contains(first.token().bearer()));
    }

    @Test
    void tokenFileReadableByOthersIsRefused() throws Exception {
        Path file = tmp.resolve("shared.token");
        Files.writeString(file, ControlToken.random().bearer() + "\n");
        for (String mode : new String[] {"rw-r--r--", "rw----r--", "rw-rw----", "rw-------"}) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
            if (mode.equals("rw-------")) {
                ControlToken.load(file);
            } else {
                IOException e = assertThrows(IOException.class, () -> ControlToken.load(file), mode);
                assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
            }
        }
    }

    @Test
    void weakTokenIsRefused() throws Exception {
        Path file = tmp.resolve("weak.token");
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        for (String weak : new String[] {"", "secret", "a".repeat(31), "a".repeat(20) + " " + "a".repeat(20)}) {
            Files.writeString(file, weak);
            assertThrows(IllegalArgumentException.class, () -> ControlToken.load(file), weak);
        }
    }
}
