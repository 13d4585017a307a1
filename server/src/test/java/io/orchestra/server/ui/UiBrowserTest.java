package io.orchestra.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import io.orchestra.server.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The UI in a real headless Chromium: pages render, htmx works, no console errors; screenshots for docs. */
class UiBrowserTest {
    private static TestServer server;
    private static Chromium chromium;
    private static Browser browser;

    @BeforeAll
    static void start() {
        chromium = Chromium.start();
        browser = chromium.browser();
        server = TestServer.start(TestServer.Storage.SQLITE);
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyPageRendersWithoutConsoleErrors() throws Exception {
        for (int i = 0; i < 3; i++) {
            server.get("/api/keys", TestServer.ADMIN_KEY);
        }
        Path shots = Path.of("target/ui-screenshots");
        Files.createDirectories(shots);
        Page page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1280, 800));
        List<String> errors = new ArrayList<>();
        page.onConsoleMessage(m -> {
            if (m.type().equals("error")) errors.add(m.text() + " at " + m.location());
        });
        page.onPageError(errors::add);

        page.navigate(server.baseUrl() + "/ui");
        assertThat(page.url()).endsWith("/ui/login");
        page.screenshot(new Page.ScreenshotOptions().setPath(shots.resolve("login.png")));
        page.getByLabel("API key").fill("orc_wrong");
        page.getByText("Sign in").last().click();
        assertThat(page.locator("[role=alert]").textContent()).contains("not valid");
        page.getByLabel("API key").fill(TestServer.ADMIN_KEY);
        page.locator("button[type=submit]").click();
        page.waitForURL("**/ui");
        assertThat(page.locator("h1").textContent()).isEqualTo("Overview");
        // Four traffic charts, plus tokens and cost today.
        assertThat(page.locator("section[aria-labelledby=traffic-h] figure").count())
                .isEqualTo(4);
        assertThat(page.locator("section[aria-labelledby=today-h] figure").count())
                .isEqualTo(2);
        // The range picker swaps the panel through htmx.
        page.getByLabel("Time range").selectOption("15");
        page.waitForSelector("text=last 15 minutes");
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(shots.resolve("overview.png"))
                .setFullPage(true));

        page.navigate(server.baseUrl() + "/ui/keys");
        page.getByLabel("Name").fill("browser-made");
        page.locator("form.create button").click();
        assertThat(page.locator("#new-secret").inputValue()).startsWith("orc_");
        page.screenshot(
                new Page.ScreenshotOptions().setPath(shots.resolve("keys.png")).setFullPage(true));

        Page phone = browser.newPage(new Browser.NewPageOptions().setViewportSize(390, 844));
        phone.context().addCookies(page.context().cookies());
        phone.navigate(server.baseUrl() + "/ui");
        phone.screenshot(new Page.ScreenshotOptions()
                .setPath(shots.resolve("overview-phone.png"))
                .setFullPage(true));
        assertThat(errors).isEmpty();
    }
}
