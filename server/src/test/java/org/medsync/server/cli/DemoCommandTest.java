package org.medsync.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.medsync.archive.catalog.Hospital;
import org.medsync.archive.catalog.Hospitals;
import org.medsync.archive.catalog.Recording;
import org.medsync.archive.catalog.Recordings;
import org.medsync.archive.media.FfmpegProgram;
import org.medsync.archive.vault.Vault;
import org.medsync.dicom.synthetic.SyntheticCtHead;
import org.medsync.server.TestServer;
import org.medsync.server.config.ServerConfig;
import org.medsync.server.demo.DemoContent;
import org.medsync.server.demo.DemoRecordings;
import org.medsync.server.record.RecordingSink;

/**
 * The demo's passwords are in the README: it must not be reachable from the network unless someone asks for that.
 * Its archive has a hospital with every demo user, and recordings generated at start (not shipped) and ingested.
 */
class DemoCommandTest {
    @Test
    @Timeout(180)
    void demoArchive_hospitalMembersAndGeneratedRecordingsOfTheDemoStudy() throws Exception {
        Properties noHttps = new Properties();
        noHttps.setProperty("https.port", "-1");
        try (TestServer t = TestServer.start(false, noHttps)) {
            DemoContent.ensureArchive(t.server());
            DemoContent.ensureArchive(t.server()); // a restart finds it
            Hospitals hospitals = new Hospitals(t.server().dataSource());
            Hospital h = hospitals.find(DemoRecordings.HOSPITAL).orElseThrow();
            assertEquals("Demo University Hospital", h.name());
            assertEquals(Hospital.MasterPolicy.KEEP, h.masterPolicy());
            assertEquals(List.of(new Hospital.Region(0, 0, 1, 0.08)), h.anonymizeRegions());
            for (var u : DemoContent.USERS) {
                assertEquals(Set.of(DemoRecordings.HOSPITAL), hospitals.of(u.username()), u.username());
            }

            Recordings recordings = new Recordings(t.server().dataSource());
            Vault store = t.server().archive().vault();
            List<Recording> accepted = new ArrayList<>();
            var small = new DemoRecordings.Options(320, 180, 10, 2);
            List<Recording> made = DemoRecordings.ensure(
                    recordings, store, t.dataDir().resolve("archive/demo-work"), small, accepted::add);
            assertEquals(3, made.size());
            assertEquals(made, accepted, "each recording handed on as an accepted upload");
            String study = SyntheticCtHead.studyInstanceUid(SyntheticCtHead.Options.defaults());
            assertEquals(3, recordings.ofStudy(study).size());
            for (Recording r : made) {
                assertEquals(DemoRecordings.HOSPITAL, r.hospitalId());
                assertEquals(Recording.Status.UPLOADED, r.status());
                assertEquals(SyntheticCtHead.PATIENT_ID, r.patientId());
                assertEquals("attending", r.owner());
                Path copy = t.dataDir().resolve(r.id() + ".mp4");
                try (InputStream in = store.open(r.sourceObject(), 0, -1)) {
                    Files.copy(in, copy);
                }
                assertEquals(r.sourceObject(), RecordingSink.sha256(copy), "stored by its content");
                assertEquals(2.0, duration(copy), 0.25);
                // the fake patient banner, burned into the top 8 % of the picture (dark blue 0x102040)
                byte[] px = firstFramePixel(copy, 314, 0);
                assertEquals(0x10, px[0] & 0xff, 14);
                assertEquals(0x20, px[1] & 0xff, 14);
                assertEquals(0x40, px[2] & 0xff, 14);
            }
            assertTrue(
                    DemoRecordings.ensure(recordings, store, t.dataDir().resolve("w2"), small, accepted::add)
                            .isEmpty(),
                    "a restart does not make them again");
        }
    }

    private static double duration(Path file) throws Exception {
        Process p = FfmpegProgram.ffprobe()
                .command(List.of("-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", file.toString()))
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor());
        return Double.parseDouble(out);
    }

    private static byte[] firstFramePixel(Path file, int x, int y) throws Exception {
        Process p = FfmpegProgram.ffmpeg()
                .command(List.of(
                        "-v",
                        "error",
                        "-i",
                        file.toString(),
                        "-frames:v",
                        "1",
                        "-vf",
                        "crop=2:2:" + x + ":" + y, // 4:2:0 crops in whole chroma samples
                        "-f",
                        "rawvideo",
                        "-pix_fmt",
                        "rgb24",
                        "-"))
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor());
        assertEquals(12, out.length);
        return out;
    }

    @Test
    void demoWithPublicPasswordsIsNotReachableFromTheNetworkByDefault() throws Exception {
        ServerConfig c = DemoCommand.config(null, Map.of(), null);
        assertTrue(ServerConfig.isLoopback(c.httpsHost()), c.httpsHost());
        assertTrue(ServerConfig.isLoopback(c.httpHost()), c.httpHost());
        assertTrue(DemoCommand.exposureWarning(c).isEmpty());
        // serve keeps its own default: a real installation is meant for the hospital network.
        assertEquals("0.0.0.0", ServerConfig.load(null, Map.of()).httpsHost());
    }

    @Test
    void demoOnTheNetworkOnlyWhenToldAndThenWarnsLoudly() throws Exception {
        ServerConfig listen = DemoCommand.config(null, Map.of(), "0.0.0.0");
        assertEquals("0.0.0.0", listen.httpsHost());
        assertTrue(DemoCommand.exposureWarning(listen).orElseThrow().contains("WARNING"));
        assertTrue(DemoCommand.exposureWarning(listen).orElseThrow().contains("medsync-demo"));

        ServerConfig env = DemoCommand.config(null, Map.of("MEDSYNC_HTTPS_HOST", "192.0.2.10"), null);
        assertEquals("192.0.2.10", env.httpsHost());
        assertTrue(DemoCommand.exposureWarning(env).isPresent());
    }

    @Test
    void demoHonoursHttpsHostOfItsConfigFileAndListenOverridesIt(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("medsync.properties"), "https.host=0.0.0.0\n");
        assertEquals("0.0.0.0", DemoCommand.config(file, Map.of(), null).httpsHost());
        ServerConfig local = DemoCommand.config(file, Map.of(), "127.0.0.1");
        assertEquals("127.0.0.1", local.httpsHost());
        assertTrue(DemoCommand.exposureWarning(local).isEmpty());
        assertTrue(
                DemoCommand.exposureWarning(DemoCommand.config(null, Map.of("MEDSYNC_HTTPS_PORT", "-1"), "0.0.0.0"))
                        .isEmpty(),
                "no HTTPS, nothing on the network: plain HTTP is loopback-only");
    }
}
