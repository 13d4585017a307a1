package io.orchestra.server.ui;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import io.orchestra.testkit.TestChromium;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * A headless Chromium driven by Playwright, which never downloads a browser here: the one {@link TestChromium}
 * finds. Without one, the test class is skipped with the command that fixes it; when the browser is there but
 * does not start, the class fails once with that cause.
 */
record Chromium(Playwright playwright, Browser browser) implements AutoCloseable {

    static Chromium start() {
        Path executable = TestChromium.executable().orElse(null);
        if (executable == null) {
            String reason = "browser tests need Chromium: " + TestChromium.FIX;
            System.err.println("SKIPPED: " + reason);
            Assumptions.abort(reason);
        }
        Playwright playwright = Playwright.create(
                new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        try {
            return new Chromium(
                    playwright,
                    playwright
                            .chromium()
                            .launch(new BrowserType.LaunchOptions()
                                    .setHeadless(true)
                                    .setExecutablePath(executable)
                                    .setArgs(List.of(
                                            "--no-sandbox",
                                            "--disable-gpu",
                                            "--disable-background-networking",
                                            "--disable-component-update",
                                            "--disable-sync",
                                            "--no-first-run"))));
        } catch (RuntimeException e) {
            playwright.close();
            throw new IllegalStateException("Chromium at " + executable + " did not start", e);
        }
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
