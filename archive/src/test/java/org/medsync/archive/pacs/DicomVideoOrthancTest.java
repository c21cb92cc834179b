package org.medsync.archive.pacs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.medsync.dicom.send.StorageClient;
import org.medsync.dicom.video.DicomVideoReader;
import org.medsync.dicom.video.DicomVideoWriter;
import org.medsync.dicom.video.VideoContainer;
import org.medsync.dicom.video.VideoInstance;
import org.medsync.dicom.video.VideoSopClass;
import org.medsync.dicom.video.VideoStream;
import org.medsync.dicom.video.VideoTransferSyntax;
import org.medsync.dicom.worklist.RemoteAe;
import org.medsync.library.dicomweb.MultipartRelated;
import org.medsync.testsupport.net.LoopbackPorts;

/**
 * The test: a real Orthanc accepts a DICOM video by STOW-RS and by C-STORE and returns it bit-exact. The
 * video is a real H.264 (and HEVC) MP4 made by the shipped FFmpeg; what Orthanc returns (its stored file, and WADO-RS)
 * is parsed by our scanner and its fragments, concatenated, must equal the MP4 sent byte for byte, with the SOP
 * class and transfer syntax unchanged.
 */
@Timeout(120)
class DicomVideoOrthancTest {
    private static final String STUDY = "1.2.826.0.1.3680043.8.498.77";
    private static OrthancPacs orthanc;
    private static Path h264;
    private static Path hevc;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(OrthancPacs.installed(), "Orthanc with its DICOMweb plugin is installed by scripts/setup --test");
        orthanc = OrthancPacs.start();
        h264 = TestVideos.make(
                dir.resolve("h264.mp4"), "320x180", 25, 2, "libx264", "-profile:v", "high", "-pix_fmt", "yuv420p");
        hevc = TestVideos.make(dir.resolve("hevc.mp4"), "320x180", 25, 2, "libx265", "-pix_fmt", "yuv420p10le");
    }

    @AfterAll
    static void stop() throws Exception {
        if (orthanc != null) {
            orthanc.close();
        }
    }

    private static VideoInstance instance(VideoSopClass sop) {
        return new VideoInstance(
                sop,
                "Doe^Jane",
                "PAT-77",
                STUDY,
                "ACC-77",
                "Laparoscopy",
                "OR 1",
                null,
                "Demo University Hospital",
                ZonedDateTime.of(2026, 12, 6, 10, 0, 0, 0, ZoneId.of("UTC")),
                null,
                null,
                900);
    }

    private static DicomVideoWriter.Written write(Path mp4, VideoSopClass sop, String name) throws Exception {
        VideoStream s = new VideoForPacs().probe(mp4, VideoContainer.MP4);
        return DicomVideoWriter.write(s, mp4, instance(sop), dir.resolve(name));
    }

    /** Fragments concatenated equal the file sent (and its pad byte, when its length is odd, is 0). */
    private static void assertBitExact(Path sent, DicomVideoReader.StoredVideo back) throws Exception {
        byte[] video = Files.readAllBytes(sent);
        byte[] got = back.stream();
        assertEquals(video.length + (video.length & 1), got.length);
        assertArrayEquals(video, Arrays.copyOf(got, video.length));
        assertEquals(0, back.basicOffsetTableLength());
    }

    private static DicomVideoReader.StoredVideo stored(String sopInstanceUid) throws Exception {
        String id = orthanc.instanceId(sopInstanceUid);
        assertNotNull(id, "Orthanc does not have " + sopInstanceUid + ": " + orthanc.log());
        Path back = dir.resolve(id + ".dcm");
        Files.write(back, orthanc.file(id));
        return DicomVideoReader.read(back);
    }

    @Test
    void stowRs_h264_isStoredAndReturnedBitExact() throws Exception {
        DicomVideoWriter.Written w = write(h264, VideoSopClass.ENDOSCOPIC, "stow-h264.dcm");
        assertEquals(VideoTransferSyntax.MPEG4_HIGH_41, w.transferSyntax());
        new StowClient().store(orthanc.destination("orthanc"), w.file());

        DicomVideoReader.StoredVideo back = stored(w.sopInstanceUid());
        assertEquals("1.2.840.10008.5.1.4.1.1.77.1.1.1", back.sopClassUid());
        assertEquals("1.2.840.10008.1.2.4.102", back.transferSyntaxUid());
        assertBitExact(h264, back);

        // And by WADO-RS, in the syntax it was stored in (transfer-syntax=*).
        HttpResponse<byte[]> wado = orthanc.wado(STUDY, w.seriesInstanceUid(), w.sopInstanceUid());
        assertEquals(200, wado.statusCode());
        List<MultipartRelated.Part> parts =
                MultipartRelated.parse(wado.headers().firstValue("Content-Type").orElseThrow(), wado.body());
        Path viaWado = dir.resolve("wado.dcm");
        Files.write(viaWado, parts.getFirst().body());
        DicomVideoReader.StoredVideo wadoBack = DicomVideoReader.read(viaWado);
        assertEquals("1.2.840.10008.1.2.4.102", wadoBack.transferSyntaxUid());
        assertBitExact(h264, wadoBack);
        assertEquals(
                "ES",
                orthanc.tags(orthanc.instanceId(w.sopInstanceUid()))
                        .path("Modality")
                        .asText());
    }

    @Test
    void cStore_h264_isStoredAndReturnedBitExact() throws Exception {
        DicomVideoWriter.Written w = write(h264, VideoSopClass.PHOTOGRAPHIC, "cstore-h264.dcm");
        StorageClient.store(
                orthanc.ae(),
                new StorageClient.Outgoing(
                        w.file(),
                        w.sopClassUid(),
                        w.sopInstanceUid(),
                        w.transferSyntax().uid()));
        DicomVideoReader.StoredVideo back = stored(w.sopInstanceUid());
        assertEquals("1.2.840.10008.5.1.4.1.1.77.1.4.1", back.sopClassUid());
        assertEquals("1.2.840.10008.1.2.4.102", back.transferSyntaxUid());
        assertBitExact(h264, back);
        assertEquals(
                "XC",
                orthanc.tags(orthanc.instanceId(w.sopInstanceUid()))
                        .path("Modality")
                        .asText());
    }

    @Test
    void stowRs_hevcMain10_isStoredAndReturnedBitExact() throws Exception {
        DicomVideoWriter.Written w = write(hevc, VideoSopClass.ENDOSCOPIC, "stow-hevc.dcm");
        assertEquals(VideoTransferSyntax.HEVC_MAIN10_51, w.transferSyntax());
        new StowClient().store(orthanc.destination("orthanc"), w.file());
        DicomVideoReader.StoredVideo back = stored(w.sopInstanceUid());
        assertEquals("1.2.840.10008.1.2.4.108", back.transferSyntaxUid());
        assertBitExact(hevc, back);
    }

    @Test
    void cStore_hevcMain10_isStoredAndReturnedBitExact() throws Exception {
        DicomVideoWriter.Written w = write(hevc, VideoSopClass.PHOTOGRAPHIC, "cstore-hevc.dcm");
        StorageClient.store(
                orthanc.ae(),
                new StorageClient.Outgoing(
                        w.file(),
                        w.sopClassUid(),
                        w.sopInstanceUid(),
                        w.transferSyntax().uid()));
        DicomVideoReader.StoredVideo back = stored(w.sopInstanceUid());
        assertEquals("1.2.840.10008.1.2.4.108", back.transferSyntaxUid());
        assertBitExact(hevc, back);
    }

    @Test
    void cStore_toAWrongCalledAeOrPort_failsWithAMessage() throws Exception {
        DicomVideoWriter.Written w = write(h264, VideoSopClass.ENDOSCOPIC, "refused.dcm");
        int closed = LoopbackPorts.free();
        StorageClient.StorageException e = assertThrows(
                StorageClient.StorageException.class,
                () -> StorageClient.store(
                        new RemoteAe("127.0.0.1", closed, "NOBODY", "MEDSYNC"),
                        new StorageClient.Outgoing(
                                w.file(),
                                w.sopClassUid(),
                                w.sopInstanceUid(),
                                w.transferSyntax().uid())));
        assertTrue(e.getMessage().contains("NOBODY at 127.0.0.1:" + closed), e.getMessage());
    }
}
