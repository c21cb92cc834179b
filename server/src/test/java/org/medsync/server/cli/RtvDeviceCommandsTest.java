package org.medsync.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsync.rtv.control.ControlAccess;
import picocli.CommandLine;

/** The token options of {@code medsync rtv tx|rx|configurator serve}: a 0600 file, its path printed, never the token. */
class RtvDeviceCommandsTest {

    @TempDir
    Path dir;

    @Test
    void deviceStartPrintsTheTokenFilePath_neverTheToken() throws Exception {
        RtvDeviceCommands.Tx tx = new RtvDeviceCommands.Tx();
        new CommandLine(tx)
                .parseArgs("--state-dir", dir.resolve("state").toString(), "--allowed-host", "tx1.or1.example");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        ControlAccess access;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            access = tx.access.load("tx", new InetSocketAddress("127.0.0.1", 9001));
        } finally {
            System.setOut(saved);
        }
        Path file = dir.resolve("state/tx-9001.token");
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains(file.toAbsolutePath().toString()), printed);
        assertFalse(printed.contains(access.token().bearer()), "the token itself is never printed");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(access.token().matches(Files.readString(file).strip()));
        assertEquals(java.util.List.of("tx1.or1.example"), access.allowedHosts());
    }

    @Test
    void worldReadableTokenFileStopsTheDevice() throws Exception {
        Path file = dir.resolve("shared.token");
        Files.writeString(file, "x".repeat(43));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        RtvDeviceCommands.Rx rx = new RtvDeviceCommands.Rx();
        new CommandLine(rx).parseArgs("--token-file", file.toString());
        assertThrows(IOException.class, () -> rx.access.load("rx", new InetSocketAddress("127.0.0.1", 9101)));
    }
}
