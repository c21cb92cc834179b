package org.medsync.server.orthanc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.dicom.DicomFiles;
import org.medsync.library.dicomweb.MultipartRelated;
import org.medsync.server.TestServer;
import org.medsync.server.browser.Chromium;
import org.medsync.server.browser.ViewerPage;
import org.medsync.testsupport.orthanc.OrthancServer;

/** A real Orthanc as an external DICOMweb source: its studies join the worklist and serve the viewer. */
class OrthancSourceTest {
    private static final Path TEST_FILES = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");
    private static final Path MR = TEST_FILES.resolve("MR_small.dcm");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static OrthancServer orthanc;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(OrthancServer.installed(), "Orthanc is installed by scripts/setup --test");
        orthanc = OrthancServer.start("MEDSYNC_TEST");
        orthanc.store(MR);
        Properties p = new Properties();
        p.setProperty("sources", "pacs,gone");
        p.setProperty("source.pacs.url", orthanc.dicomWebRoot().toString());
        p.setProperty("source.pacs.name", "Radiology PACS");
        p.setProperty("source.gone.url", "http://127.0.0.1:9/dicom-web");
        p.setProperty("source.gone.timeout-seconds", "2");
        server = TestServer.start(false, p);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (orthanc != null) {
            orthanc.close();
        }
    }

    @Test
    void pacsStudies_joinTheWorklist_evenWhenAnotherSourceIsDown() throws Exception {
        HttpClient c = server.login("attending");
        JsonNode sources = JSON.readTree(get(c, "/api/sources").body());
        assertEquals(
                List.of("local", "pacs", "gone"),
                List.of(
                        sources.get(0).path("id").asText(),
                        sources.get(1).path("id").asText(),
                        sources.get(2).path("id").asText()));
        JsonNode worklist = JSON.readTree(get(c, "/api/worklist").body());
        assertEquals(1, worklist.size(), worklist.toString());
        assertEquals("pacs", worklist.get(0).path("source").asText());
        assertEquals(
                DicomFiles.readHeader(MR).studyInstanceUid(),
                worklist.get(0).path("studyInstanceUid").asText());
        JsonNode status = JSON.readTree(get(c, "/api/sources/status").body());
        assertEquals("ok", status.path("pacs").asText());
        assertTrue(status.path("gone").asText().contains("unreachable"), status.toString());
    }

    @Test
    void worklistOfADownPacsIsAnErrorNotEmpty() throws Exception {
        HttpClient c = server.login("attending");
        HttpResponse<String> merged = get(c, "/api/worklist");
        assertEquals(200, merged.statusCode());
        assertEquals(
                "gone",
                merged.headers().firstValue("X-MedSync-Unavailable-Sources").orElse(""),
                "the merged list says which source is missing from it");
        HttpResponse<String> only = get(c, "/api/worklist?source=gone");
        assertEquals(502, only.statusCode(), only.body());
        assertEquals("unavailable", JSON.readTree(only.body()).path("error").asText());
        assertTrue(JSON.readTree(only.body()).path("message").asText().contains("unreachable"), only.body());
        assertTrue(get(c, "/api/worklist?source=pacs")
                .headers()
                .firstValue("X-MedSync-Unavailable-Sources")
                .isEmpty());
    }

    @Test
    void pacsFrames_areTheBytesOfTheFile_throughOurServer() throws Exception {
        HttpClient c = server.login("resident");
        var mr = DicomFiles.readHeader(MR);
        String base = "/dicomweb/pacs/studies/" + mr.studyInstanceUid() + "/series/" + mr.seriesInstanceUid();
        JsonNode metadata = JSON.readTree(get(c, base + "/metadata").body());
        assertEquals(1, metadata.size());
        assertEquals(
                base + "/instances/" + mr.sopInstanceUid() + "/frames",
                metadata.get(0).path("7FE00010").path("BulkDataURI").asText());
        HttpResponse<byte[]> frame = c.send(
                HttpRequest.newBuilder(server.http().resolve(base + "/instances/" + mr.sopInstanceUid() + "/frames/1"))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, frame.statusCode());
        var part = MultipartRelated.parse(
                        frame.headers().firstValue("Content-Type").orElseThrow(), frame.body())
                .getFirst();
        assertArrayEquals(DicomFiles.frame(MR, 1).bytes(), part.body());
        HttpResponse<byte[]> thumb = c.send(
                HttpRequest.newBuilder(server.http().resolve(base + "/thumbnail"))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, thumb.statusCode());
    }

    @Test
    void student_seesPacsStudiesDeidentified() throws Exception {
        HttpClient c = server.login("student");
        var mr = DicomFiles.readHeader(MR);
        String metadata = get(
                        c,
                        "/dicomweb/pacs/studies/" + mr.studyInstanceUid() + "/series/" + mr.seriesInstanceUid()
                                + "/metadata")
                .body();
        assertFalse(metadata.contains(mr.patientName()), "patient name leaked to a student");
        assertTrue(metadata.contains("ANONYMIZED"));
        JsonNode worklist = JSON.readTree(get(c, "/api/worklist").body());
        assertEquals("ANONYMIZED", worklist.get(0).path("patientName").asText());
    }

    @Test
    void pacsStudy_opensInTheViewer_withTheSamePixels() throws Exception {
        assumeTrue(Chromium.installed(), "Chromium is installed by scripts/setup --test");
        try (Chromium chromium = Chromium.launch();
                BrowserContext context =
                        chromium.browser().newContext(new Browser.NewContextOptions().setViewportSize(1400, 1000))) {
            Page page = context.newPage();
            ViewerPage.login(page, server.http(), "attending");
            ViewerPage.FullRange range = ViewerPage.openAtFullRange(page, "pacs", MR);
            ViewerPage.assertMatchesServer(page, MR, range.columns(), range.rows(), range.center(), range.width());
        }
    }

    private static HttpResponse<String> get(HttpClient c, String path) throws Exception {
        return c.send(
                HttpRequest.newBuilder(server.http().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
