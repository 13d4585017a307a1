package io.orchestra.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.ColorScheme;
import io.orchestra.core.json.Json;
import io.orchestra.server.TestServer;
import io.orchestra.server.gateway.FakeUpstream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * The look in Chromium against a real server whose provider is faked at the HTTP level: the dark theme
 * follows the operating system with readable text, the sidebar and the phone menu, phone tables as
 * stacked rows, the overview's headline cards from real gateway calls (two owners), and providers
 * whose circuit is open or whose last calls failed shown as degraded. Screenshots of every page in
 * both themes go to target/ui-screenshots/look for docs/ui.md.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UiLookBrowserTest {
    static final Path SHOTS = Path.of("target/ui-screenshots/look");
    private static FakeUpstream upstream;
    private static TestServer server;
    private static Chromium chromium;
    private static String alice;
    private static String bob;
    private static String carol;
    private static String teamRunId;
    private final BrowserPages pages = new BrowserPages(chromium.browser(), server.baseUrl());

    @BeforeAll
    static void start() throws Exception {
        chromium = Chromium.start();
        upstream = new FakeUpstream();
        Path personas = Files.createTempDirectory("personas");
        for (String id : new String[] {"cherry", "sophia", "karen"}) {
            Files.copy(Path.of("..", "personas", id + ".yaml"), personas.resolve(id + ".yaml"));
        }
        String base = upstream.baseUrl() + "/openai/v1";
        server = TestServer.start(
                TestServer.Storage.SQLITE,
                Map.of("orchestra.personas.dir", personas.toString(), "orchestra.chat.extract-memories", "false"),
                """
                gateway:
                  providers:
                    openai: { kind: openai, base_url: "%1$s", api_key: "sk-test" }
                    flaky: { kind: openai, base_url: "%1$s", api_key: "sk-test" }
                    shaky: { kind: openai, base_url: "%1$s", api_key: "sk-test" }
                  retry: { attempts: 0, backoff_ms: 10, max_backoff_ms: 50 }
                  circuit_breaker: { failures: 2, window_ms: 600000, cooldown_ms: 600000 }
                  routes:
                    - { alias: chat, targets: [ { provider: openai, model: gpt-4o-mini } ] }
                    - { alias: refused, targets: [ { provider: openai, model: fail-400 } ] }
                    - { alias: default, targets: [ { provider: openai, model: team } ] }
                    - { alias: failing, targets: [ { provider: flaky, model: flaky-1000 } ] }
                    - { alias: wobbly, targets: [ { provider: shaky, model: flaky-1 } ] }
                """.formatted(base));
        alice = server.createKey("alice-laptop", "member", "alice");
        bob = server.createKey("bob-phone", "member", "bob");
        carol = server.createKey("carol-server", "member", "carol");
        // Alice: three answered calls and one the provider refuses (a 400 that counts as failed, breaker untouched).
        for (int i = 0; i < 3; i++) {
            assertThat(chat(alice, "chat").statusCode()).isEqualTo(200);
        }
        assertThat(chat(alice, "refused").statusCode()).isEqualTo(400);
        assertThat(chat(bob, "chat").statusCode()).isEqualTo(200);
        HttpResponse<String> team = server.post(
                "/api/teams/runs", carol, "{\"task\":\"Launch a clinical payments product\",\"wait\":true}");
        assertThat(team.statusCode()).as(team.body()).isEqualTo(200);
        teamRunId = Json.tree(team.body()).path("id").asString();
        for (String text :
                List.of("Carol reviews payment launches on Fridays", "Carol's clinic pilots start in March")) {
            HttpResponse<String> r = server.post("/api/memory/memories", carol, Json.write(Map.of("text", text)));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        }
        assertThat(server.post("/api/memory/graph/entities", carol, """
                {"entities":[{"name":"Carol","entityType":"person","observations":["runs the payments launch"]},
                 {"name":"Clinic pilot","entityType":"project","observations":["starts in March"]}]}""").statusCode())
                .isEqualTo(201);
        assertThat(server.post("/api/memory/graph/relations", carol, """
                {"relations":[{"from":"Carol","to":"Clinic pilot","relationType":"leads"}]}""").statusCode())
                .isEqualTo(201);
        server.orchestra().usageRecorder().flush();
        Files.createDirectories(SHOTS);
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

    @AfterEach
    void noConsoleErrors() {
        pages.closeAndCheck();
    }

    private static HttpResponse<String> chat(String key, String alias) {
        return server.post(
                "/v1/chat/completions",
                key,
                "{\"model\":\"" + alias + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    }

    private BrowserContext context(int width, int height, ColorScheme scheme, boolean javaScript) {
        return pages.context(new Browser.NewContextOptions()
                .setViewportSize(width, height)
                .setColorScheme(scheme)
                .setJavaScriptEnabled(javaScript));
    }

    /** A fresh browser signed in with {@code key}, failing the test on any console error. */
    private Page signIn(String key, int width, int height, ColorScheme scheme) {
        return pages.signIn(context(width, height, scheme, true), key);
    }

    // ---------------------------------------------------------------- theme

    /** The WCAG contrast ratio of two computed CSS colours ({@code rgb(...)}; opaque). */
    static double contrast(String a, String b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    private static final Pattern RGB = Pattern.compile("rgba?\\((\\d+), (\\d+), (\\d+)");

    private static double luminance(String css) {
        Matcher m = RGB.matcher(css);
        assertThat(m.find()).as("a computed colour: " + css).isTrue();
        double[] c = new double[3];
        for (int i = 0; i < 3; i++) {
            double v = Integer.parseInt(m.group(i + 1)) / 255.0;
            c[i] = v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    }

    /**
     * Every visible element that holds text of its own, with its colour and the first opaque background
     * behind it: the contrast of all of them is checked, not a sample.
     */
    @SuppressWarnings("unchecked")
    private static List<Map<String, String>> textColours(Page page) {
        return (List<Map<String, String>>) page.evaluate("""
                () => {
                  const opaque = (c) => c && c !== 'transparent' && !/rgba\\(.*, 0\\)$/.test(c);
                  const out = [];
                  for (const el of document.querySelectorAll('body *')) {
                    if (['SCRIPT', 'STYLE', 'OPTION', 'TITLE'].includes(el.tagName) || el.closest('svg')) continue;
                    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
                    if (!own) continue;
                    const r = el.getBoundingClientRect();
                    const style = getComputedStyle(el);
                    if (r.width === 0 || r.height === 0 || style.visibility === 'hidden' || el.closest('.visually-hidden, .skip')) continue;
                    let bg = null;
                    for (let e = el; e; e = e.parentElement) {
                      const b = getComputedStyle(e).backgroundColor;
                      if (opaque(b)) { bg = b; break; }
                    }
                    out.push({ text: el.textContent.trim().slice(0, 40), tag: el.tagName, fg: style.color,
                               bg: bg || getComputedStyle(document.documentElement).backgroundColor });
                  }
                  return out;
                }""");
    }

    private static String background(Page page) {
        return (String) page.evaluate("getComputedStyle(document.documentElement).backgroundColor");
    }

    @Test
    void darkThemeFollowsTheOperatingSystemWithReadableTextAndCharts() {
        Map<ColorScheme, String> backgrounds = new java.util.EnumMap<>(ColorScheme.class);
        Map<ColorScheme, String> bars = new java.util.EnumMap<>(ColorScheme.class);
        for (ColorScheme scheme : List.of(ColorScheme.LIGHT, ColorScheme.DARK)) {
            Page page = signIn(TestServer.ADMIN_KEY, 1400, 900, scheme);
            backgrounds.put(scheme, background(page));
            for (String path : List.of("/ui", "/ui/requests", "/ui/keys", "/ui/routes", "/ui/usage", "/ui/personas")) {
                page.navigate(server.baseUrl() + path);
                List<Map<String, String>> texts = textColours(page);
                assertThat(texts).as(path).hasSizeGreaterThan(10);
                for (Map<String, String> t : texts) {
                    assertThat(contrast(t.get("fg"), t.get("bg")))
                            .as(scheme + " " + path + ": " + t.get("tag") + " '" + t.get("text") + "' " + t.get("fg")
                                    + " on " + t.get("bg"))
                            .isGreaterThanOrEqualTo(4.5);
                }
            }
            // Chart bars take their colour from the theme and stand out from the chart's background.
            page.navigate(server.baseUrl() + "/ui");
            Locator bar =
                    page.locator("section[aria-labelledby=today-h] svg rect").last();
            String fill = (String) bar.evaluate("r => getComputedStyle(r).fill");
            String figure = (String) page.locator("section[aria-labelledby=today-h] figure")
                    .first()
                    .evaluate("f => getComputedStyle(f).backgroundColor");
            assertThat(contrast(fill, figure))
                    .as(scheme + " bar " + fill + " on " + figure)
                    .isGreaterThanOrEqualTo(3);
            bars.put(scheme, fill);
        }
        assertThat(backgrounds.get(ColorScheme.DARK)).isNotEqualTo(backgrounds.get(ColorScheme.LIGHT));
        assertThat(luminance(backgrounds.get(ColorScheme.DARK))).isLessThan(0.05);
        assertThat(luminance(backgrounds.get(ColorScheme.LIGHT))).isGreaterThan(0.8);
        assertThat(bars.get(ColorScheme.DARK)).isNotEqualTo(bars.get(ColorScheme.LIGHT));
    }

    // ---------------------------------------------------------------- navigation

    @Test
    void sidebarOnAWideScreenAndMenuOnAPhone() {
        Page wide = signIn(TestServer.ADMIN_KEY, 1400, 900, ColorScheme.LIGHT);
        var header = wide.locator("body > header").boundingBox();
        var main = wide.locator("main").boundingBox();
        assertThat(header.x).isEqualTo(0.0);
        assertThat(header.height)
                .as("the sidebar runs the height of the window")
                .isGreaterThanOrEqualTo(899);
        assertThat(header.width).isBetween(150.0, 320.0);
        assertThat(main.x).as("content beside the sidebar").isGreaterThanOrEqualTo(header.x + header.width - 1);
        Locator links = wide.locator("#main-nav a");
        assertThat(links.count()).isGreaterThanOrEqualTo(8);
        var first = links.nth(0).boundingBox();
        var second = links.nth(1).boundingBox();
        assertThat(second.y).as("links stacked down the sidebar").isGreaterThan(first.y + first.height - 1);
        assertThat(second.x).isEqualTo(first.x);
        assertThat(wide.locator("header .menu-toggle").isVisible()).isFalse();
        assertThat(links.nth(0).getAttribute("aria-current")).isEqualTo("page");
        // Scrolling a long page keeps the sidebar in view.
        wide.navigate(server.baseUrl() + "/ui/routes");
        wide.mouse().wheel(0, 2000);
        // Polled with evaluate: waitForFunction's polling evaluates a string, which the UI's CSP (no unsafe-eval)
        // refuses.
        for (int i = 0; i < 100 && ((Number) wide.evaluate("window.scrollY")).doubleValue() == 0; i++) {
            wide.waitForTimeout(20);
        }
        assertThat(((Number) wide.evaluate("window.scrollY")).doubleValue()).isPositive();
        assertThat(wide.locator("#main-nav a", new Page.LocatorOptions().setHasText("Keys"))
                        .isVisible())
                .isTrue();
        assertThat(wide.locator("body > header").boundingBox().y).isBetween(-1.0, 1.0);

        Page phone = signIn(TestServer.ADMIN_KEY, 390, 844, ColorScheme.LIGHT);
        var bar = phone.locator("body > header").boundingBox();
        assertThat(bar.width).as("a top bar across the phone").isBetween(389.0, 391.0);
        assertThat(bar.height).isLessThan(120);
        Locator menu = phone.locator("header .menu-toggle");
        assertThat(menu.isVisible()).isTrue();
        assertThat(phone.locator("#main-nav a").first().isVisible()).isFalse();
        menu.click();
        assertThat(menu.getAttribute("aria-expanded")).isEqualTo("true");
        assertThat(phone.locator("#main-nav a").first().isVisible()).isTrue();
        assertThat(phone.getByText("Sign out").isVisible()).isTrue();
    }

    // ---------------------------------------------------------------- phone tables

    /** Each cell's column name (data-label) and whether it lies inside the viewport. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> cells(Page page, String table) {
        return (List<Map<String, Object>>) page.evaluate("""
                (table) => [...document.querySelectorAll(table + ' tbody td, ' + table + ' tbody th')].map(c => {
                  const r = c.getBoundingClientRect();
                  return { label: c.dataset.label ?? null, text: c.textContent.trim().slice(0, 40),
                           before: getComputedStyle(c, '::before').content,
                           inside: r.left >= -1 && r.right <= document.documentElement.clientWidth + 1 && r.width > 0 };
                })""", table);
    }

    private static List<Map<String, Object>> labelled(List<Map<String, Object>> cells, String label) {
        return cells.stream().filter(c -> label.equals(c.get("label"))).toList();
    }

    @Test
    void onAPhoneTablesBecomeStackedRowsWithStatusCostAndRevokeReachable() {
        Page page = signIn(TestServer.ADMIN_KEY, 390, 844, ColorScheme.LIGHT);
        page.navigate(server.baseUrl() + "/ui/requests");
        List<Map<String, Object>> requests = cells(page, "table.requests");
        assertThat(page.locator("table.requests").getAttribute("class")).contains("stacked");
        assertThat(labelled(requests, "Status")).hasSizeGreaterThanOrEqualTo(6).allMatch(c ->
                (boolean) c.get("inside"));
        assertThat(labelled(requests, "Cost")).hasSizeGreaterThanOrEqualTo(6).allMatch(c -> (boolean) c.get("inside"));
        assertThat(labelled(requests, "Status").getFirst().get("before")).isEqualTo("\"Status\"");
        assertThat(requests).allMatch(c -> (boolean) c.get("inside"));
        // Stacked: a row's cells sit one under the other.
        Locator firstRow = page.locator("table.requests tbody tr").first();
        var time = firstRow.locator("td").nth(0).boundingBox();
        var status = firstRow.locator("td[data-label=Status]").boundingBox();
        assertThat(status.y).isGreaterThan(time.y);
        assertThat(status.x).isEqualTo(time.x);
        assertThat(((Number) page.evaluate("document.documentElement.scrollWidth")).intValue())
                .isLessThanOrEqualTo(390);

        page.navigate(server.baseUrl() + "/ui/keys");
        List<Map<String, Object>> keys = cells(page, ".table table");
        assertThat(keys).allMatch(c -> (boolean) c.get("inside"));
        Locator revoke = page.getByLabel("Revoke bob-phone");
        assertThat(revoke.isVisible()).isTrue();
        var box = revoke.boundingBox();
        assertThat(box.x).isGreaterThanOrEqualTo(0);
        assertThat(box.x + box.width).isLessThanOrEqualTo(390);
        revoke.scrollIntoViewIfNeeded();
        assertThat(
                        (boolean)
                                revoke.evaluate(
                                        "b => { const r = b.getBoundingClientRect(); return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === b; }"))
                .as("nothing covers the Revoke button")
                .isTrue();

        page.navigate(server.baseUrl() + "/ui/usage");
        assertThat(cells(page, "table.budgets")).allMatch(c -> (boolean) c.get("inside"));
        assertThat(((Number) page.evaluate("document.documentElement.scrollWidth")).intValue())
                .isLessThanOrEqualTo(390);

        // Without script the table keeps its columns and scrolls inside its own box; the page does not.
        BrowserContext plain = context(390, 844, ColorScheme.LIGHT, false);
        plain.addCookies(page.context().cookies());
        Page noScript = plain.newPage();
        noScript.navigate(server.baseUrl() + "/ui/requests");
        assertThat(noScript.locator("table.requests").getAttribute("class")).doesNotContain("stacked");
        assertThat(noScript.locator("table.requests td[data-label]").count()).isZero();
        Locator box2 = noScript.locator("div.table:has(table.requests)");
        assertThat(box2.evaluate("b => getComputedStyle(b).overflowX")).isEqualTo("auto");
        assertThat(((Number) box2.evaluate("b => b.scrollWidth - b.clientWidth")).intValue())
                .isPositive();
        assertThat(((Number) noScript.evaluate("document.documentElement.scrollWidth")).intValue())
                .isLessThanOrEqualTo(390);
    }

    // ---------------------------------------------------------------- overview

    /** What the request log holds for {@code key} today: [calls, failed, cost, p95 latency (nearest rank)]. */
    private static double[] today(String key) {
        String midnight = Instant.now().truncatedTo(ChronoUnit.DAYS).toString();
        JsonNode rows = Json.tree(server.get("/api/requests?limit=1000&from=" + midnight, key)
                        .body())
                .path("data");
        List<Double> latencies = new ArrayList<>();
        double cost = 0;
        int failed = 0;
        for (JsonNode row : rows) {
            latencies.add(row.path("latency_ms").asDouble());
            cost += row.path("cost_usd").asDouble();
            failed += row.path("status").asInt() >= 400 ? 1 : 0;
        }
        latencies.sort(null);
        double p95 = latencies.isEmpty() ? Double.NaN : latencies.get((int) Math.ceil(0.95 * latencies.size()) - 1);
        return new double[] {latencies.size(), failed, cost, p95};
    }

    private static String card(Page page, String id) {
        return page.locator("[data-card=" + id + "] .value").textContent().trim();
    }

    @Test
    void overviewCardsShowTodaysRealNumbersForWhoIsSignedIn() {
        double[] mine = today(alice);
        assertThat(mine[0]).isEqualTo(4);
        assertThat(mine[1]).isEqualTo(1);
        assertThat(mine[2]).isPositive();
        Page page = signIn(alice, 1400, 900, ColorScheme.LIGHT);
        assertThat(card(page, "requests")).isEqualTo("4");
        assertThat(card(page, "errors")).isEqualTo("25.0%");
        assertThat(page.locator("[data-card=errors] .sub").textContent()).isEqualTo("1 of 4 failed (4xx and 5xx)");
        assertThat(card(page, "cost")).isEqualTo(UiFormat.usd(mine[2]));
        assertThat(card(page, "p95")).isEqualTo(UiFormat.millis(mine[3]));
        // The cards sit above their charts, in the same section.
        var cards = page.locator("section[aria-labelledby=today-h] .cards").boundingBox();
        var chart =
                page.locator("section[aria-labelledby=today-h] figure").first().boundingBox();
        assertThat(cards.y + cards.height).isLessThanOrEqualTo(chart.y);
        assertThat(page.locator("#today-h").textContent()).contains("your keys");

        // Bob sees only his one call, never Alice's.
        Page bobs = signIn(bob, 390, 844, ColorScheme.LIGHT);
        assertThat(card(bobs, "requests")).isEqualTo("1");
        assertThat(card(bobs, "errors")).isEqualTo("0.0%");
        assertThat(card(bobs, "cost")).isEqualTo(UiFormat.usd(today(bob)[2]));

        // The admin sees the whole server: every call in the log today.
        double[] all = today(TestServer.ADMIN_KEY);
        Page admin = signIn(TestServer.ADMIN_KEY, 1400, 900, ColorScheme.LIGHT);
        assertThat(card(admin, "requests")).isEqualTo(UiFormat.count((long) all[0]));
        assertThat(all[0]).isGreaterThanOrEqualTo(mine[0] + 1 + 5);
        assertThat(card(admin, "cost")).isEqualTo(UiFormat.usd(all[2]));
    }

    @Test
    void aProviderWithAnOpenCircuitOrFailingCallsShowsDegraded() {
        Page before = signIn(TestServer.ADMIN_KEY, 1400, 900, ColorScheme.LIGHT);
        assertThat(before.locator("li[data-provider=openai] .status").textContent())
                .isEqualTo("up");

        // Two failures open the breaker of flaky/flaky-1000 (failures: 2, no retries).
        for (int i = 0; i < 2; i++) {
            assertThat(chat(TestServer.ADMIN_KEY, "failing").statusCode()).isEqualTo(502);
        }
        // One failure of shaky/flaky-1: the breaker is still closed, but the provider's last call failed.
        assertThat(chat(TestServer.ADMIN_KEY, "wobbly").statusCode()).isEqualTo(502);
        JsonNode circuits = Json.tree(
                        server.get("/api/routes/status", TestServer.ADMIN_KEY).body())
                .path("circuits");
        assertThat(circuits.path("flaky/flaky-1000").path("state").asString()).isEqualTo("OPEN");
        assertThat(circuits.path("shaky/flaky-1").path("state").asString()).isEqualTo("CLOSED");

        for (String key : List.of(TestServer.ADMIN_KEY, bob)) {
            Page page = signIn(key, 1400, 900, ColorScheme.LIGHT);
            Locator flaky = page.locator("li[data-provider=flaky]");
            assertThat(flaky.locator(".status").textContent()).isEqualTo("degraded");
            assertThat(flaky.textContent()).contains("circuit open: flaky/flaky-1000");
            Locator shaky = page.locator("li[data-provider=shaky]");
            assertThat(shaky.locator(".status").textContent()).isEqualTo("degraded");
            assertThat(shaky.textContent()).contains("last calls failed: shaky/flaky-1");
            assertThat(page.locator("li[data-provider=openai] .status").textContent())
                    .isEqualTo("up");
            assertThat(page.locator("#health-h .status").textContent()).isEqualTo("degraded");
            // Degraded is its own colour, neither ok nor error.
            String degraded = (String) flaky.locator(".status").evaluate("e => getComputedStyle(e).color");
            String up = (String)
                    page.locator("li[data-provider=openai] .status").evaluate("e => getComputedStyle(e).color");
            String down = (String) page.evaluate(
                    "() => { const s = document.createElement('span'); s.className = 'status down'; document.body.append(s);"
                            + " const c = getComputedStyle(s).color; s.remove(); return c; }");
            assertThat(degraded).isNotEqualTo(up).isNotEqualTo(down);
        }
        // A member's overview holds no other owner's request data: nothing from the admin's failed calls.
        Page member = signIn(bob, 1400, 900, ColorScheme.LIGHT);
        assertThat(member.locator("main").textContent())
                .doesNotContain("overloaded")
                .doesNotContain("alice")
                .doesNotContain("admin");
        // The same providers component is in /api/health.
        JsonNode health =
                Json.tree(server.get("/api/health", TestServer.ADMIN_KEY).body());
        assertThat(health.path("status").asString()).isEqualTo("degraded");
        assertThat(health.path("components").path("providers").path("status").asString())
                .isEqualTo("degraded");

        // The next call to shaky/flaky-1 succeeds: the provider is up again.
        assertThat(chat(TestServer.ADMIN_KEY, "wobbly").statusCode()).isEqualTo(200);
        Page after = signIn(TestServer.ADMIN_KEY, 1400, 900, ColorScheme.LIGHT);
        assertThat(after.locator("li[data-provider=shaky] .status").textContent())
                .isEqualTo("up");
        assertThat(after.locator("li[data-provider=flaky] .status").textContent())
                .isEqualTo("degraded");
    }

    // ---------------------------------------------------------------- empty states and docs

    @Test
    void anEmptyRequestsPageSaysWhatToDoNextWithACurlForThisServer() {
        String dave = server.createKey("dave-new", "member", "dave");
        Page page = signIn(dave, 1400, 900, ColorScheme.LIGHT);
        page.navigate(server.baseUrl() + "/ui/requests");
        Locator empty = page.locator("#requests-empty");
        assertThat(empty.textContent()).contains("No gateway calls in this time range yet");
        String curl = empty.locator("pre").textContent();
        assertThat(curl)
                .contains("curl " + server.baseUrl() + "/v1/chat/completions")
                .contains("Bearer orc_YOUR_KEY")
                .doesNotContain(dave);
        // The curl works as printed once the placeholder is a real key (here as a JSON body sent by Java).
        assertThat(chat(dave, "chat").statusCode()).isEqualTo(200);
        page.locator("#requests-empty a", new Page.LocatorOptions().setHasText("gateway docs"))
                .click();
        page.waitForURL("**/ui/docs/gateway.md");
        assertThat(page.locator("h1").textContent()).isEqualTo("LLM gateway");
        assertThat(page.locator("pre.doc").textContent()).contains("POST /v1/chat/completions");
        assertThat(page.request()
                        .get(server.baseUrl() + "/ui/docs/..%2Fpom.xml")
                        .status())
                .isBetween(400, 404);
        assertThat(page.request().get(server.baseUrl() + "/ui/docs/nothing.md").status())
                .isEqualTo(404);
        assertThat(page.request().get(server.baseUrl() + "/ui/docs/pom.xml").status())
                .isEqualTo(404);
        server.orchestra().usageRecorder().flush();
        page.navigate(server.baseUrl() + "/ui/requests");
        assertThat(page.locator("#requests-empty").count()).isZero();
        assertThat(page.locator("table.requests tbody tr").count()).isEqualTo(1);
    }

    // ---------------------------------------------------------------- screenshots

    private static void shot(Page page, String name, ColorScheme scheme) {
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(SHOTS.resolve(name + (scheme == ColorScheme.DARK ? "-dark" : "") + ".png"))
                .setFullPage(true));
    }

    /** Last, so the pictures show what the other tests made: a degraded provider, an open circuit. */
    @Test
    @Order(Integer.MAX_VALUE)
    void screenshotsOfEveryPageInBothThemes() {
        record Shot(String name, String path) {}
        List<Shot> shots = List.of(
                new Shot("overview", "/ui"),
                new Shot("playground", "/ui/playground"),
                new Shot("personas", "/ui/personas"),
                new Shot("routes", "/ui/routes"),
                new Shot("route-edit", "/ui/routes/edit?alias=chat"),
                new Shot("requests", "/ui/requests"),
                new Shot("usage", "/ui/usage"),
                new Shot("memory", "/ui/memory?owner=carol"),
                new Shot("documents", "/ui/documents?owner=carol"),
                new Shot("runs", "/ui/runs?owner=carol"),
                new Shot("run", "/ui/runs/" + teamRunId + "?owner=carol"),
                new Shot("keys", "/ui/keys"));
        for (ColorScheme scheme : List.of(ColorScheme.LIGHT, ColorScheme.DARK)) {
            BrowserContext context = context(1400, 900, scheme, true);
            Page login = context.newPage();
            login.navigate(server.baseUrl() + "/ui/login");
            shot(login, "login", scheme);
            Page page = pages.signIn(context, TestServer.ADMIN_KEY);
            for (Shot s : shots) {
                page.navigate(server.baseUrl() + s.path());
                assertThat(page.locator("h1").count()).as(s.path()).isEqualTo(1);
                shot(page, s.name(), scheme);
            }
            page.navigate(server.baseUrl() + "/ui/personas");
            page.locator("main table tbody tr td a").first().click();
            page.waitForURL("**/ui/personas/*");
            shot(page, "persona-edit", scheme);
            page.navigate(server.baseUrl() + "/ui/memory?owner=carol");
            page.locator("ul.entities a").first().click();
            page.waitForURL("**/ui/memory/entity*");
            shot(page, "memory-entity", scheme);
            page.navigate(server.baseUrl() + "/ui/requests");
            page.locator("table.requests tbody tr a").first().click();
            page.waitForURL("**/ui/requests/*");
            shot(page, "request", scheme);

            Page phone = signIn(TestServer.ADMIN_KEY, 390, 844, scheme);
            for (Shot s : List.of(
                    new Shot("overview-phone", "/ui"),
                    new Shot("requests-phone", "/ui/requests"),
                    new Shot("keys-phone", "/ui/keys"),
                    new Shot("usage-phone", "/ui/usage"))) {
                phone.navigate(server.baseUrl() + s.path());
                shot(phone, s.name(), scheme);
            }
            phone.locator("header .menu-toggle").click();
            shot(phone, "menu-phone", scheme);

            Page empty = signIn(
                    server.createKey("erin-" + scheme.name().toLowerCase(), "member", "erin"), 1400, 900, scheme);
            empty.navigate(server.baseUrl() + "/ui/requests");
            shot(empty, "requests-empty", scheme);
        }
    }
}
