package io.orchestra.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import java.util.ArrayList;
import java.util.List;

/**
 * One test's browser contexts, each with its own cookies, and every console and page error their pages report.
 * {@link #closeAndCheck()} after each test closes them and fails the test on an error it did not ask for.
 */
final class BrowserPages {
    private final Browser browser;
    private final String baseUrl;
    private final List<String> consoleErrors = new ArrayList<>();
    private final List<BrowserContext> contexts = new ArrayList<>();

    BrowserPages(Browser browser, String baseUrl) {
        this.browser = browser;
        this.baseUrl = baseUrl;
    }

    /** A fresh context with these options; actions wait at most 10 s. */
    BrowserContext context(Browser.NewContextOptions options) {
        BrowserContext context = browser.newContext(options);
        context.setDefaultTimeout(10_000);
        contexts.add(context);
        return context;
    }

    /** A fresh context of this viewport signed in with {@code key}. */
    Page signIn(String key, int width, int height) {
        return signIn(context(new Browser.NewContextOptions().setViewportSize(width, height)), key);
    }

    /** A page of {@code context} signed in with {@code key}, on the overview. */
    Page signIn(BrowserContext context, String key) {
        Page page = context.newPage();
        page.onConsoleMessage(m -> {
            if (m.type().equals("error")) consoleErrors.add(m.text() + " at " + m.location());
        });
        page.onPageError(consoleErrors::add);
        page.navigate(baseUrl + "/ui/login");
        page.getByLabel("API key").fill(key);
        page.locator("button[type=submit]").click();
        page.waitForURL("**/ui");
        return page;
    }

    /** The errors so far; a test that provokes one (Chromium logs every 4xx) removes it here. */
    List<String> consoleErrors() {
        return consoleErrors;
    }

    void closeAndCheck() {
        contexts.forEach(BrowserContext::close);
        contexts.clear();
        assertThat(consoleErrors).isEmpty();
    }
}
