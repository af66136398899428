package io.eventfeeds.web;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Debian's chromium, headless, driven by Playwright. Playwright's own browser builds cannot be downloaded on these
 * machines, so the executable is the distribution's package ({@code eventfeeds.chromium}, /usr/bin/chromium).
 */
final class Browser implements AutoCloseable {

    /** Without the background-networking flags Chromium tries to reach Google's services, which a closed network refuses. */
    private static final List<String> ARGS = List.of("--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage");

    private final Playwright playwright;
    private final com.microsoft.playwright.Browser browser;
    private final Path screenshots = Path.of(System.getProperty("eventfeeds.screenshots", "target/screenshots"));
    private final List<BrowserContext> contexts = new ArrayList<>();

    Browser() {
        Path executable = Path.of(System.getProperty("eventfeeds.chromium", "/usr/bin/chromium"));
        if (!Files.isExecutable(executable)) {
            throw new IllegalStateException(executable + " is missing: apt-get install chromium (.ci/run does)");
        }
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(executable).setHeadless(true).setArgs(ARGS));
    }

    /** A new, separate browser profile (own cookies and storage), as a second person on another machine. */
    Page newPage(int width, int height) {
        BrowserContext context = browser.newContext(new com.microsoft.playwright.Browser.NewContextOptions()
                .setViewportSize(width, height));
        context.setDefaultTimeout(20_000);
        contexts.add(context);
        Page page = context.newPage();
        page.onConsoleMessage(message -> System.out.println("[browser " + message.type() + "] " + message.text()));
        return page;
    }

    void screenshot(Page page, String name) {
        try {
            Files.createDirectories(screenshots);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        page.screenshot(new Page.ScreenshotOptions().setPath(screenshots.resolve(name + ".png")).setFullPage(true));
    }

    /** Closes every page opened so far, so that idle pages do not keep reconnecting during later tests. */
    void closePages() {
        contexts.forEach(BrowserContext::close);
        contexts.clear();
    }

    @Override
    public void close() {
        contexts.forEach(BrowserContext::close);
        browser.close();
        playwright.close();
    }
}
