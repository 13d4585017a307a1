package io.orchestra.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.orchestra.core.json.Json;
import io.orchestra.gateway.Gateway;
import io.orchestra.server.TestServer;
import io.orchestra.server.gateway.FakeUpstream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Request detail and the usage page's budget warning in a real headless Chromium against a real
 * server (SQLite, body logging on) whose gateway calls a fake provider: a call that fell back shows
 * both attempts and its masked bodies; a member over budget sees the warning with the budget as
 * {@code $0.0005}, when it resets, and a link to their own 429s, never another member's.
 */
class UiRequestsBrowserTest {
    static final String SECRET = "sk-live-9fQ2mZ7xK4pW8vB1nR6tY3";

    static FakeUpstream upstream;
    static TestServer server;
    static Chromium chromium;
    static String alice;
    static String bob;
    static String fellBack;
    static String alicesRefusal;
    static String bobsRefusal;

    private final BrowserPages pages = new BrowserPages(chromium.browser(), server.baseUrl());

    @BeforeAll
    static void start() throws Exception {
        chromium = Chromium.start();
        upstream = new FakeUpstream();
        // gpt-4o priced so that one call ($0.0019) spends a $0.0005 budget.
        Path prices = Files.createTempFile("prices", ".json");
        Files.writeString(prices, """
                {"version":"test","unit":"USD per 1M tokens","models":{"gpt-4o":{"input":100,"cached_input":50,"output":100}}}""");
        server = TestServer.start(
                TestServer.Storage.SQLITE,
                Map.of("orchestra.gateway.log-bodies", "true", "orchestra.gateway.prices-file", prices.toString()),
                """
                gateway:
                  providers:
                    openai: { kind: openai, base_url: "%s/openai/v1", api_key: "sk-test" }
                  retry: { attempts: 0, backoff_ms: 10, max_backoff_ms: 50 }
                  routes:
                    - { alias: fallback, targets: [ { provider: openai, model: fail-500 }, { provider: openai, model: gpt-4o-mini } ] }
                    - { alias: pricey, targets: [ { provider: openai, model: gpt-4o } ] }
                """.formatted(upstream.baseUrl()));
        alice = server.createKey("alice-laptop", "member", "alice");
        bob = server.createKey("bob-phone", "member", "bob");

        HttpResponse<String> answered = chat(alice, "fallback", "Summarise this; my key is " + SECRET);
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
        fellBack = answered.headers().firstValue(Gateway.LOG_ID_HEADER).orElseThrow();

        alicesRefusal = spendThenRefused("alice-laptop", alice);
        bobsRefusal = spendThenRefused("bob-phone", bob);
        server.orchestra().usageRecorder().flush();
    }

    /** Sets a $0.0005 daily budget, spends it with one call, and returns the log id of the refused next call. */
    static String spendThenRefused(String keyName, String key) {
        HttpResponse<String> set =
                server.send(server.request("/api/keys/" + keyId(keyName) + "/limits", TestServer.ADMIN_KEY)
                        .header("Content-Type", "application/json")
                        .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"daily_budget_usd\":0.0005}"))
                        .build());
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        assertThat(chat(key, "pricey", "Hi").statusCode()).isEqualTo(200);
        HttpResponse<String> refused = chat(key, "pricey", "Hi again");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
        assertThat(refused.body()).contains("$0.0005").doesNotContain("E-4");
        return refused.headers().firstValue(Gateway.LOG_ID_HEADER).orElseThrow();
    }

    static String keyId(String name) {
        for (JsonNode k :
                Json.tree(server.get("/api/keys", TestServer.ADMIN_KEY).body()).path("data")) {
            if (k.path("name").asString().equals(name)) {
                return k.path("id").asString();
            }
        }
        throw new AssertionError("no key " + name);
    }

    static HttpResponse<String> chat(String key, String model, String text) {
        return server.post(
                "/v1/chat/completions",
                key,
                "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":" + Json.write(text)
                        + "}]}");
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

    Page signIn(String key) {
        return pages.signIn(key, 1400, 900);
    }

    @Test
    void aCallThatFellBackShowsBothAttemptsAndItsMaskedBodies() {
        Page page = signIn(alice);
        page.navigate(server.baseUrl() + "/ui/requests?model=FALLBACK");
        Locator rows = page.locator("table.requests tbody tr");
        assertThat(rows.count()).isEqualTo(1);
        rows.first().getByRole(AriaRole.LINK).click();
        page.waitForURL("**/ui/requests/" + fellBack);

        Locator attempts = page.locator("table.attempts tbody tr");
        assertThat(attempts.count()).isEqualTo(2);
        List<String> first = attempts.nth(0).locator("td").allTextContents();
        assertThat(first.get(1)).isEqualTo("openai");
        assertThat(first.get(2)).isEqualTo("fail-500");
        assertThat(first.get(3)).isEqualTo("500");
        assertThat(first.get(4)).isEqualTo("error status");
        assertThat(first.get(5)).endsWith("ms");
        assertThat(first.get(6)).isNotEqualTo("-");
        List<String> second = attempts.nth(1).locator("td").allTextContents();
        assertThat(second.get(2)).isEqualTo("gpt-4o-mini");
        assertThat(second.get(3)).isEqualTo("200");
        assertThat(second.get(4)).isEqualTo("answered");
        assertThat(second.get(6)).isEqualTo("-");

        String request = page.locator("#request-body").textContent();
        assertThat(request).contains("my key is sk-****").doesNotContain(SECRET);
        assertThat(page.locator("#response-body").textContent()).contains("Hello from the fake (gpt-4o-mini)");
        assertThat(page.content()).doesNotContain(SECRET);
        UiDataPagesBrowserTest.shot(page, "request-attempts");
    }

    @Test
    void aMemberOverBudgetSeesTheWarningAndOnlyTheirOwnRefusals() {
        Page page = signIn(alice);
        page.navigate(server.baseUrl() + "/ui/usage");
        Locator warning = page.locator(".budget-warning.over");
        assertThat(warning.count()).isEqualTo(1);
        String text = warning.textContent();
        assertThat(text)
                .contains("Daily budget of key alice-laptop is spent")
                .contains("of $0.0005")
                .contains("refused with 429 until the budget resets at")
                .contains("00:00:00 UTC")
                .doesNotContain("E-4")
                .doesNotContain("bob-phone");
        assertThat(page.locator("main").textContent()).doesNotContain("E-4");
        UiDataPagesBrowserTest.shot(page, "usage-over-budget");

        warning.getByRole(AriaRole.LINK).click();
        page.waitForURL(url -> url.contains("status=429"));
        Locator rows = page.locator("table.requests tbody tr");
        assertThat(rows.count()).isEqualTo(1);
        assertThat(rows.first().textContent())
                .contains("429")
                .contains("alice-laptop")
                .contains("daily budget of $0.0005 is spent");
        assertThat(page.locator("a[href='/ui/requests/" + alicesRefusal + "']").count())
                .isEqualTo(1);
        assertThat(page.locator("a[href='/ui/requests/" + bobsRefusal + "']").count())
                .isZero();

        rows.first().getByRole(AriaRole.LINK).click();
        page.waitForURL("**/ui/requests/" + alicesRefusal);
        assertThat(page.locator("#reason").textContent()).contains("daily budget of $0.0005 is spent");
        assertThat(page.locator("table.attempts").count()).isZero();

        // Bob's own page shows his refusal, never Alice's; Alice's refusal is not his to open.
        Page bobs = signIn(bob);
        bobs.navigate(server.baseUrl() + "/ui/requests?status=429&range=24h");
        assertThat(bobs.locator("a[href='/ui/requests/" + bobsRefusal + "']").count())
                .isEqualTo(1);
        assertThat(bobs.locator("main").textContent()).doesNotContain("alice-laptop");
        assertThat(bobs.request()
                        .get(server.baseUrl() + "/ui/requests/" + alicesRefusal)
                        .status())
                .isEqualTo(404);
    }
}
