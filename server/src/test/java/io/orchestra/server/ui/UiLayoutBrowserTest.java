package io.orchestra.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import io.orchestra.server.TestServer;
import io.orchestra.server.gateway.FakeUpstream;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Layout in Chromium with real data: at 1400 px no table cell is clipped or hidden in a sideways
 * scroll (each cell's right edge is inside the viewport and the box around it); on a phone, where
 * tables may scroll sideways, the navigation folds
 * into a Menu button; charts carry axes and a tooltip with the exact value and time.
 */
class UiLayoutBrowserTest {
    private static FakeUpstream upstream;
    private static TestServer server;
    private static Chromium chromium;
    private static final List<String> PAGES = List.of(
            "/ui", "/ui/requests", "/ui/usage", "/ui/keys", "/ui/personas", "/ui/routes", "/ui/runs", "/ui/memory");

    @BeforeAll
    static void start() {
        chromium = Chromium.start();
        upstream = new FakeUpstream();
        server = TestServer.start(
                TestServer.Storage.SQLITE, Map.of("orchestra.chat.extract-memories", "false"), """
                gateway:
                  providers:
                    openai: { kind: openai, base_url: "%s/openai/v1", api_key: "sk-test" }
                  routes:
                    - { alias: default, targets: [ { provider: openai, model: gpt-4o-mini } ] }
                    - { alias: a-rather-long-route-alias-for-the-nightly-batch-jobs, targets: [ { provider: openai, model: gpt-4o-2024-08-06-long-model-name } ] }
                """.formatted(
                                upstream.baseUrl()));
        for (String name : new String[] {"alice-laptop-with-a-long-descriptive-name", "bob-phone", "carol-server"}) {
            String key = server.createKey(name, "member", name.substring(0, 3));
            for (String model : new String[] {"default", "a-rather-long-route-alias-for-the-nightly-batch-jobs"}) {
                server.post(
                        "/v1/chat/completions",
                        key,
                        "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
            }
            String id = io.orchestra.core.json.Json.tree(
                            server.get("/api/keys", TestServer.ADMIN_KEY).body())
                    .path("data")
                    .valueStream()
                    .filter(k -> k.path("name").asString().equals(name))
                    .findFirst()
                    .orElseThrow()
                    .path("id")
                    .asString();
            server.send(server.request("/api/keys/" + id + "/limits", TestServer.ADMIN_KEY)
                    .header("Content-Type", "application/json")
                    .PUT(
                            HttpRequest.BodyPublishers.ofString(
                                    "{\"daily_budget_usd\":0.0005,\"monthly_budget_usd\":12.5,\"requests_per_minute\":600,\"tokens_per_minute\":100000}"))
                    .build());
        }
        server.orchestra().usageRecorder().flush();
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (server != null) {
            server.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    private final BrowserPages pages = new BrowserPages(chromium.browser(), server.baseUrl());

    @AfterEach
    void noConsoleErrors() {
        pages.closeAndCheck();
    }

    private Page signIn(int width, int height) {
        return pages.signIn(TestServer.ADMIN_KEY, width, height);
    }

    /**
     * Cells whose right edge is outside the viewport or past the visible part of the box around them;
     * with {@code scrollingAllowed} a box that scrolls sideways to the cell is fine.
     */
    @SuppressWarnings("unchecked")
    private static List<String> clippedCells(Page page, boolean scrollingAllowed) {
        return (List<String>) page.evaluate("""
                (scrollingAllowed) => {
                  const viewport = document.documentElement.clientWidth;
                  const bad = [];
                  for (const cell of document.querySelectorAll('main td, main th')) {
                    const r = cell.getBoundingClientRect();
                    if (r.width === 0 || r.height === 0) continue;
                    let box = cell.parentElement;
                    while (box && box !== document.body && getComputedStyle(box).overflowX === 'visible') box = box.parentElement;
                    const name = (cell.textContent || '').trim().slice(0, 30);
                    if (box && box !== document.body) {
                      const b = box.getBoundingClientRect();
                      const scrolls = scrollingAllowed && ['auto', 'scroll'].includes(getComputedStyle(box).overflowX)
                        && box.scrollWidth > box.clientWidth;
                      if (r.right > b.right + 1 && !scrolls) bad.push(name + ' clipped by ' + box.className);
                      if (b.right > viewport + 1) bad.push(name + ' in a box past the viewport');
                    } else if (r.right > viewport + 1) {
                      bad.push(name + ' past the viewport');
                    }
                  }
                  return bad;
                }""", scrollingAllowed);
    }

    @Test
    void noTableCellIsClippedAt1400Pixels() {
        Page page = signIn(1400, 900);
        for (String path : PAGES) {
            page.navigate(server.baseUrl() + path);
            assertThat(clippedCells(page, false)).as(path).isEmpty();
            assertThat(((Number) page.evaluate("document.documentElement.scrollWidth")).intValue())
                    .as(path + " scrolls sideways")
                    .isLessThanOrEqualTo(1400);
        }
        page.navigate(server.baseUrl() + "/ui/usage");
        assertThat(((Number) page.evaluate("document.querySelectorAll('main td').length")).intValue())
                .as("the check saw the usage tables")
                .isGreaterThan(30);
        // Budgets read like money, never with an exponent.
        assertThat(page.locator("table.budgets").textContent())
                .contains("$0.0005", "$12.50")
                .doesNotContain("E-");
        page.context().close();
    }

    @Test
    void onAPhoneTheNavigationFoldsIntoAMenu() {
        Page page = signIn(390, 844);
        var menu = page.locator("header .menu-toggle");
        var firstLink = page.locator("#main-nav a").first();
        assertThat(menu.isVisible()).isTrue();
        assertThat(menu.getAttribute("aria-expanded")).isEqualTo("false");
        assertThat(firstLink.isVisible()).isFalse();
        menu.click();
        assertThat(menu.getAttribute("aria-expanded")).isEqualTo("true");
        assertThat(firstLink.isVisible()).isTrue();
        page.locator("#main-nav a", new Page.LocatorOptions().setHasText("Usage"))
                .click();
        page.waitForURL("**/ui/usage");
        assertThat(clippedCells(page, true))
                .as("tables scroll sideways on a phone")
                .isEmpty();
        assertThat(((Number) page.evaluate("document.documentElement.scrollWidth")).intValue())
                .isLessThanOrEqualTo(390);
        page.context().close();

        Page wide = signIn(1400, 900);
        assertThat(wide.locator("header .menu-toggle").isVisible()).isFalse();
        assertThat(wide.locator("#main-nav a").first().isVisible()).isTrue();
        wide.context().close();
    }

    @Test
    void chartsHaveAxesWithUnitsAndTooltipsWithValueAndTime() {
        Page page = signIn(1400, 900);
        var figures = page.locator("section[aria-labelledby=today-h] figure");
        assertThat(figures.count()).isEqualTo(2);
        var tokens = figures.nth(0);
        List<String> yLabels = tokens.locator(".y-axis span").allTextContents();
        assertThat(yLabels).hasSize(3);
        assertThat(yLabels.getFirst()).endsWith(" tokens");
        assertThat(yLabels.getLast()).isEqualTo("0");
        List<String> xLabels = tokens.locator(".x-axis span").allTextContents();
        assertThat(xLabels.getFirst()).isEqualTo("00:00");
        assertThat(tokens.locator("svg line.grid").count()).isEqualTo(3);
        List<String> tips = new ArrayList<>();
        tokens.locator("rect title").allTextContents().forEach(tips::add);
        assertThat(tips).allMatch(t -> t.matches("\\d+ tokens, \\d\\d:00 to \\d\\d:59 UTC"));
        assertThat(tips.getLast()).doesNotStartWith("0 tokens");
        var cost = figures.nth(1);
        assertThat(cost.locator(".y-axis span").first().textContent()).startsWith("$");

        var traffic = page.locator("section[aria-labelledby=traffic-h] figure");
        assertThat(traffic.first().locator("figcaption").textContent()).contains("requests in total");
        List<String> minuteTips = traffic.first().locator("rect title").allTextContents();
        assertThat(minuteTips).isNotEmpty().allMatch(t -> t.matches("\\d+ req at \\d\\d:\\d\\d UTC"));
        assertThat(traffic.nth(2).locator("figcaption small").textContent()).matches("max \\d+ ms");
        page.context().close();
    }
}
