package org.medsync.server.readout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.medsync.library.index.StudyQuery;
import org.medsync.library.index.StudyRow;
import org.medsync.server.TestServer;
import org.medsync.server.demo.DemoContent;

/**
 * Participants of a readout in Playwright pages, shared by the readout browser tests: log in or join with an
 * invite, enter a readout with the viewport forced to 512 x 512 CSS pixels, wait for conditions, and compare
 * the displayed canvases of driver and followers (MSE 0). Timeouts are generous: two busy cores.
 */
final class ReadoutPages {
    static final String VIEWPORT_512 =
            "[data-testid=viewport]{width:512px!important;height:512px!important;min-width:0!important;min-height:0!important;flex:none!important}";
    private final TestServer server;
    private final String rendering;
    private final Map<Page, Queue<String>> warnings = new ConcurrentHashMap<>();
    private final Queue<String> cspViolations = new ConcurrentLinkedQueue<>();

    ReadoutPages(TestServer server) {
        this(server, "auto");
    }

    /**
     * Pages whose viewer draws on {@code rendering}: {@code cpu} or {@code gpu} (WebGL, here in SwiftShader) forced by
     * the web app's stored choice, or {@code auto}, which takes the CPU path in this GPU-less Chromium.
     */
    ReadoutPages(TestServer server, String rendering) {
        this.server = server;
        this.rendering = rendering;
    }

    /** The synthetic CT head (512 x 512) and another study, preferably an MR. */
    static List<StudyRow> demoStudies(TestServer server) throws SQLException {
        List<StudyRow> rows = server.server().library().index().findStudies(StudyQuery.text("", 50));
        StudyRow ct = rows.stream()
                .filter(r -> r.modalities().contains("CT")
                        && r.description() != null
                        && r.description().toLowerCase().contains("synthetic"))
                .findFirst()
                .orElse(server.server()
                        .library()
                        .index()
                        .findStudies(StudyQuery.text("synthetic", 10))
                        .getFirst());
        StudyRow other = rows.stream()
                .filter(r ->
                        !r.studyUid().equals(ct.studyUid()) && r.modalities().contains("MR"))
                .findFirst()
                .orElse(rows.stream()
                        .filter(r -> !r.studyUid().equals(ct.studyUid()))
                        .findFirst()
                        .orElseThrow());
        return List.of(ct, other);
    }

    private Page newPage(BrowserContext context, String who) {
        Page page = context.newPage();
        // The readout's test surface, window.__medsyncReadout (web/README.md, "Readout"), exists only on request;
        // storage is denied on the blank page before the first navigation.
        page.addInitScript("try { localStorage.setItem('medsync.diagnostics', '1');"
                + " localStorage.setItem('medsync.rendering', '" + rendering + "'); } catch (e) {}");
        Queue<String> mine = new ConcurrentLinkedQueue<>();
        warnings.put(page, mine);
        // The browser reports what the server's Content-Security-Policy blocked both as an event and on the console.
        page.addInitScript("document.addEventListener('securitypolicyviolation', e => console.error("
                + "'CSP violation: ' + e.effectiveDirective + ' blocked ' + e.blockedURI))");
        page.onConsoleMessage(m -> {
            if (m.text().startsWith("CSP violation") || m.text().contains("Content Security Policy")) {
                cspViolations.add("[" + who + "] " + m.text());
            }
            if (m.type().equals("error")) {
                System.err.println("[" + who + "] " + m.text());
            } else if (m.type().equals("warning")) {
                mine.add(m.text());
            }
        });
        return page;
    }

    /** A demo user logged in through the form, on the worklist. */
    Page open(BrowserContext context, String user) {
        Page page = newPage(context, user);
        page.navigate(server.http() + "/#/login");
        page.fill("input[name=username]", user);
        page.fill("input[name=password]", DemoContent.PASSWORD);
        page.click("button[type=submit]");
        page.waitForSelector("[data-testid=worklist-row]", new Page.WaitForSelectorOptions().setTimeout(20_000));
        return page;
    }

    /** A guest joining with an invite link (student or observer), connected to the readout. */
    Page join(BrowserContext context, String invitePath, String name) {
        Page page = newPage(context, name);
        page.navigate(server.http() + invitePath);
        page.fill("[data-testid=join-name]", name);
        page.click("[data-testid=join-submit]");
        page.waitForSelector(
                "[data-testid=readout-status][data-state=connected]",
                new Page.WaitForSelectorOptions().setTimeout(30_000));
        page.addStyleTag(new Page.AddStyleTagOptions().setContent(VIEWPORT_512));
        assertRendering(page);
        return page;
    }

    void enter(Page page, String readoutId) {
        page.navigate(server.http() + "/#/readout/" + readoutId);
        page.addStyleTag(new Page.AddStyleTagOptions().setContent(VIEWPORT_512));
        page.waitForSelector(
                "[data-testid=readout-status][data-state=connected]",
                new Page.WaitForSelectorOptions().setTimeout(30_000));
        assertRendering(page);
    }

    /** The viewer of {@code page} draws on the path these pages asked for (auto: the CPU here, WebGL is SwiftShader). */
    void assertRendering(Page page) {
        String expected = rendering.equals("gpu") ? "gpu" : "cpu";
        page.waitForSelector("[data-testid=viewport]", new Page.WaitForSelectorOptions().setTimeout(30_000));
        assertEquals(
                expected,
                page.getAttribute("[data-testid=viewport]", "data-rendering"),
                "the viewer's rendering path for the choice " + rendering);
    }

    /** What the Content-Security-Policy blocked in any page so far (the app must need nothing it forbids). */
    List<String> cspViolations() {
        return List.copyOf(cspViolations);
    }

    /** Console warnings the page logged so far. */
    List<String> warnings(Page page) {
        return List.copyOf(warnings.get(page));
    }

    static String createReadout(Page organizer, List<String> studyUids) {
        return createReadout(organizer, studyUids, "");
    }

    /** A readout over the local studies, each labelled {@code label}; returns its id. */
    static String createReadout(Page organizer, List<String> studyUids, String label) {
        return (String) organizer.evaluate(
                "a => fetch('/api/readouts', {method: 'POST', headers: {'Content-Type': 'application/json'},"
                        + " body: JSON.stringify({title: 'Teaching', worklist: a[0].map(u => ({source: 'local', studyInstanceUid: u, label: a[1]}))})})"
                        + ".then(r => r.json()).then(j => j.id)",
                List.of(studyUids, label));
    }

    /** The invite link path (`/#/join/...`) for {@code role}. */
    static String invite(Page organizer, String readoutId, String role) {
        return (String) organizer.evaluate(
                "async a => { const r = await fetch('/api/readouts/' + a[0] + '/invites', {method: 'POST',"
                        + " headers: {'Content-Type': 'application/json'}, body: JSON.stringify({role: a[1], minutes: 10})}); return (await r.json()).path; }",
                List.of(readoutId, role));
    }

    static int peerId(Page p) {
        return Integer.parseInt(p.getAttribute("[data-testid=readout-status]", "data-peer-id"));
    }

    static void waitFor(Page p, String js, Object arg) {
        p.waitForFunction(js, arg, new Page.WaitForFunctionOptions().setTimeout(30_000));
    }

    static void waitForDriver(List<Page> pages, int driver) {
        for (Page p : pages) {
            waitFor(
                    p,
                    "id => document.querySelector('[data-testid=readout-status]').getAttribute('data-driver') === String(id)",
                    driver);
        }
    }

    static void waitAllReady(List<Page> pages) {
        for (Page p : pages) {
            waitFor(
                    p,
                    "n => document.querySelectorAll('[data-testid=roster-entry][data-ready=true]').length === n",
                    pages.size());
        }
    }

    /** Moves to image {@code index} (0-based) with the slice slider, as a user dragging it. */
    static void scrollTo(Page p, int index) {
        p.evaluate(
                "i => { const s = document.querySelector('[data-testid=slice-slider]'); s.value = String(i + 1);"
                        + " s.dispatchEvent(new Event('input', {bubbles: true})); }",
                index);
    }

    static void setWindow(Page p, int center, int width) {
        p.fill("[data-testid=wc-input]", String.valueOf(center));
        p.press("[data-testid=wc-input]", "Enter");
        p.fill("[data-testid=ww-input]", String.valueOf(width));
        p.press("[data-testid=ww-input]", "Enter");
    }

    static String canvas(Page p) {
        return (String)
                p.evaluate(
                        "() => { const c = document.querySelector('[data-testid=viewport] canvas');"
                                + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let h = c.width + 'x' + c.height + ':';"
                                + " let s = 0, x = 0; for (let i = 0; i < d.length; i += 4) { s = (s * 31 + d[i]) >>> 0; x += d[i]; } return h + s + ':' + x; }");
    }

    /** Waits until every follower applied the driver's latest view and rendered it, then compares pixels (MSE 0). */
    static void assertInSync(Page driver, List<Page> followers, String step) {
        driver.waitForSelector(
                "[data-testid=viewport][data-rendered=true]", new Page.WaitForSelectorOptions().setTimeout(30_000));
        driver.waitForTimeout(150);
        int seq = Integer.parseInt(driver.getAttribute("[data-testid=viewport]", "data-sync-seq"));
        for (Page f : followers) {
            waitFor(
                    f,
                    "s => { const v = document.querySelector('[data-testid=viewport]');"
                            + " return v && Number(v.getAttribute('data-sync-seq')) >= s && v.getAttribute('data-rendered') === 'true'; }",
                    seq);
        }
        String expected = canvas(driver);
        assertTrue(expected.startsWith("512x512:"), step + ": driver canvas " + expected);
        for (Page f : followers) {
            String got = null;
            // A render may still be in flight right after the state applied; after a floor change a follower's
            // sequence may still be the old driver's (each driver counts its own), so wait for the pixels too.
            for (int i = 0; i < 100; i++) {
                got = canvas(f);
                if (got.equals(expected)) {
                    break;
                }
                f.waitForTimeout(100);
            }
            assertEquals(expected, got, step + ": follower canvas differs from the driver's (MSE > 0)");
            assertEquals(
                    driver.getAttribute("[data-testid=viewport]", "data-image-index"),
                    f.getAttribute("[data-testid=viewport]", "data-image-index"),
                    step);
            assertEquals(
                    driver.getAttribute("[data-testid=viewport]", "data-voi"),
                    f.getAttribute("[data-testid=viewport]", "data-voi"),
                    step);
        }
    }
}
