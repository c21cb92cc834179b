package org.medsync.server.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.WaitForSelectorState;
import java.net.URI;
import java.nio.file.Path;
import java.util.Base64;
import org.medsync.dicom.DicomFiles;
import org.medsync.dicom.DicomInstance;
import org.medsync.dicom.render.DecodedFrame;
import org.medsync.dicom.render.DicomRender;
import org.medsync.server.demo.DemoContent;

/** What the browser tests do with the viewer through its test hooks (web/README.md). */
public final class ViewerPage {
    private static final Page.WaitForSelectorOptions WAIT = new Page.WaitForSelectorOptions().setTimeout(30_000);

    private ViewerPage() {}

    /** A window over an image's whole value range, and its size. */
    public record FullRange(int columns, int rows, long center, long width) {}

    public static void login(Page page, URI server, String user) {
        page.navigate(server + "/#/login");
        page.fill("input[name=username]", user);
        page.fill("input[name=password]", DemoContent.PASSWORD);
        page.click("button[type=submit]");
        page.waitForSelector(
                "[data-testid=worklist-row]",
                new Page.WaitForSelectorOptions()
                        .setState(WaitForSelectorState.VISIBLE)
                        .setTimeout(20_000));
    }

    /**
     * Logs in and waits for the page header's user, whatever page the role lands on (a student's or an admin's
     * first page has no worklist rows). Generous: browser tests share two loaded cores with the server they test.
     */
    public static void signIn(Page page, URI server, String user) {
        page.navigate(server + "/#/login");
        page.fill("input[name=username]", user);
        page.fill("input[name=password]", DemoContent.PASSWORD);
        page.click("button[type=submit]");
        page.waitForSelector("[data-testid=current-user]", new Page.WaitForSelectorOptions().setTimeout(60_000));
    }

    /** Clicks the study in the worklist and waits for its first image. */
    public static void open(Page page, String source, String studyUid) {
        page.locator("[data-testid=worklist-row][data-source='" + source + "'][data-study-uid='" + studyUid + "']")
                .click();
        page.waitForSelector("[data-testid=viewport][data-rendered=true]", WAIT);
    }

    /** Sizes the viewport to {@code columns x rows} CSS pixels and resets, so the image shows 1:1. */
    public static void showActualSize(Page page, int columns, int rows) {
        page.addStyleTag(new Page.AddStyleTagOptions()
                .setContent("[data-testid=viewport]{width:" + columns + "px!important;height:" + rows
                        + "px!important;min-width:0!important;min-height:0!important;flex:none!important}"));
        page.waitForTimeout(300);
        page.click("[data-testid=tool-reset]");
    }

    public static void setWindow(Page page, long center, long width) {
        page.fill("[data-testid=wc-input]", String.valueOf(center));
        page.press("[data-testid=wc-input]", "Enter");
        page.fill("[data-testid=ww-input]", String.valueOf(width));
        page.press("[data-testid=ww-input]", "Enter");
        page.waitForSelector(
                "[data-testid=viewport][data-voi='" + center + "," + width + "'][data-rendered=true]", WAIT);
    }

    /** Opens the file's study from {@code source}, shows it 1:1 and windows it over its whole range. */
    public static FullRange openAtFullRange(Page page, String source, Path file) throws Exception {
        DicomInstance d = DicomFiles.readHeader(file);
        DecodedFrame decoded = DicomRender.decode(file, 1);
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (float v : decoded.values()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        FullRange range = new FullRange(d.columns(), d.rows(), Math.round((min + max) / 2), Math.round(max - min + 1));
        open(page, source, d.studyInstanceUid());
        showActualSize(page, range.columns(), range.rows());
        setWindow(page, range.center(), range.width());
        assertEquals(0, page.locator("[data-testid=viewer-error]:visible").count(), "viewer reports an error");
        return range;
    }

    /** The canvas equals the server's rendering of {@code file} (PS3.3 linear VOI) within one grey level everywhere. */
    public static void assertMatchesServer(Page page, Path file, int columns, int rows, double center, double width)
            throws Exception {
        byte[] canvas = canvasGrey(page, columns, rows);
        byte[] expected = DicomRender.windowToGrey8(DicomRender.decode(file, 1), center, width);
        int worst = 0;
        int off = 0;
        for (int i = 0; i < expected.length; i++) {
            int d = Math.abs((canvas[i] & 0xFF) - (expected[i] & 0xFF));
            if (d > 1) {
                off++;
            }
            worst = Math.max(worst, d);
        }
        assertEquals(
                0,
                off,
                "pixels differing by more than one grey level (worst " + worst + ")" + " at window " + center + "/"
                        + width + " of " + file.getFileName());
    }

    /** The red channel of the viewport's canvas (grey images have R = G = B), checked to be columns x rows. */
    public static byte[] canvasGrey(Page page, int columns, int rows) {
        String b64 = (String) page.evaluate("() => { const c = document.querySelector('[data-testid=viewport] canvas');"
                + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height);"
                + " const out = new Uint8Array(c.width * c.height); for (let i = 0; i < out.length; i++) out[i] = d.data[i * 4];"
                + " let s = ''; for (let i = 0; i < out.length; i++) s += String.fromCharCode(out[i]);"
                + " return c.width + 'x' + c.height + ':' + btoa(s); }");
        assertEquals(columns + "x" + rows, b64.substring(0, b64.indexOf(':')), "canvas size");
        return Base64.getDecoder().decode(b64.substring(b64.indexOf(':') + 1));
    }

    /** Pearson correlation of two grey images. */
    public static double correlation(byte[] a, byte[] b) {
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i] & 0xFF;
            mb += b[i] & 0xFF;
        }
        ma /= a.length;
        mb /= b.length;
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            double x = (a[i] & 0xFF) - ma;
            double y = (b[i] & 0xFF) - mb;
            sab += x * y;
            saa += x * x;
            sbb += y * y;
        }
        return sab / Math.sqrt(saa * sbb);
    }
}
