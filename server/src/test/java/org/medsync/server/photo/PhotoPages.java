package org.medsync.server.photo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.FilePayload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.medsync.dicom.derived.SecondaryCapture;
import org.medsync.library.importer.StudyImporter;
import org.medsync.server.TestServer;
import org.medsync.server.browser.ViewerPage;

/** What the photo page's browser tests share: the study the photos are of, and sending a photo from the page. */
final class PhotoPages {
    private PhotoPages() {}

    /** Imports the simulated photos' source image as a new study into the server's library; returns its UID. */
    static String importSourceStudy(TestServer server) throws Exception {
        String studyUid = SecondaryCapture.newUid();
        Path dir = Files.createTempDirectory("medsync-photo-source-");
        Path source = SimulatedPhoto.sourceStudy(dir, studyUid);
        assertEquals(
                1,
                server.server()
                        .library()
                        .importer()
                        .importFiles(List.of(new StudyImporter.Candidate(source, "source.dcm")))
                        .imported());
        Files.delete(source);
        Files.delete(dir);
        return studyUid;
    }

    /** Logs in as a clinician, opens the photo page and sends {@code jpeg} attached to the study. */
    static void send(Page page, TestServer server, String studyUid, String name, byte[] jpeg) {
        ViewerPage.login(page, server.http(), "attending");
        page.click("[data-testid=nav-photo]");
        page.waitForSelector("[data-testid=photo-file]");
        page.selectOption("[data-testid=photo-attach-kind]", "study");
        page.fill("[data-testid=photo-attach-ref]", studyUid);
        page.setInputFiles("[data-testid=photo-file]", new FilePayload(name, "image/jpeg", jpeg));
        page.click("[data-testid=photo-send]");
    }
}
