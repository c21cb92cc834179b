package org.medsync.bench.lag;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Two headless Chromiums: the driver's in namespace A (this JVM's), the follower's in namespace B, started
 * through a wrapper that runs {@code ip netns exec B /usr/bin/chromium}. Playwright talks to both over pipes,
 * which cross namespaces. Flags as in shared/reference/environment.md; the server's HTTPS origin on the
 * veth address uses the server's self-signed certificate, which these browsers accept.
 */
final class Browsers implements AutoCloseable {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private final Playwright playwright;
    private final Path wrapper;
    final Browser driver;
    final Browser follower;

    private Browsers(Playwright playwright, Path wrapper, Browser driver, Browser follower) {
        this.playwright = playwright;
        this.wrapper = wrapper;
        this.driver = driver;
        this.follower = follower;
    }

    static Browsers launch(NetnsPair ns) throws IOException {
        Path wrapper = Files.createTempFile(
                "medsync-lag-chromium-",
                ".sh",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.writeString(wrapper, "#!/bin/sh\nexec ip netns exec " + ns.nsB() + " " + CHROMIUM + " \"$@\"\n");
        Playwright pw = Playwright.create(
                new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        try {
            Browser driver = pw.chromium().launch(options(CHROMIUM));
            Browser follower = pw.chromium().launch(options(wrapper));
            return new Browsers(pw, wrapper, driver, follower);
        } catch (RuntimeException e) {
            pw.close();
            Files.deleteIfExists(wrapper);
            throw e;
        }
    }

    private static BrowserType.LaunchOptions options(Path executable) {
        List<String> args = new ArrayList<>(List.of(
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-features=WebRtcHideLocalIpsWithMdns",
                "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream",
                "--ignore-certificate-errors"));
        return new BrowserType.LaunchOptions()
                .setExecutablePath(executable)
                .setHeadless(true)
                .setArgs(args);
    }

    @Override
    public void close() throws IOException {
        try {
            driver.close();
            follower.close();
            playwright.close();
        } finally {
            Files.deleteIfExists(wrapper);
        }
    }
}
