package io.orchestra.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import io.orchestra.core.json.Json;
import io.orchestra.server.TestServer;
import io.orchestra.server.gateway.FakeUpstream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The Playground, Personas and Routes pages in a real headless Chromium against a real server whose
 * LLM provider is faked at the HTTP level. Data is created through the API; every page must load
 * without console errors; screenshots go to target/ui-screenshots for docs/ui.md.
 */
class UiAgentPagesBrowserTest {
    static final Path SHOTS = Path.of("target/ui-screenshots");
    private static FakeUpstream upstream;
    private static TestServer server;
    private static Playwright playwright;
    private static Browser browser;
    private final List<String> consoleErrors = new ArrayList<>();
    private final List<BrowserContext> contexts = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        upstream = new FakeUpstream();
        Path personas = Files.createTempDirectory("personas");
        for (String id : new String[] {"cherry", "sophia", "karen"}) {
            Files.copy(Path.of("..", "personas", id + ".yaml"), personas.resolve(id + ".yaml"));
        }
        String yaml = """
                gateway:
                  providers:
                    openai: { kind: openai, base_url: "%s/openai/v1", api_key: "sk-test" }
                  retry: { attempts: 0, backoff_ms: 10, max_backoff_ms: 50 }
                  circuit_breaker: { failures: 2, window_ms: 60000, cooldown_ms: 600000 }
                  routes:
                    - { alias: default, targets: [ { provider: openai, model: gpt-4o-mini } ] }
                    - { alias: gated, targets: [ { provider: openai, model: gated } ] }
                    - { alias: agent, targets: [ { provider: openai, model: agent } ] }
                    - { alias: broken, targets: [ { provider: openai, model: fail-500 } ] }
                """.formatted(upstream.baseUrl());
        server = TestServer.start(TestServer.Storage.SQLITE, Map.of("orchestra.personas.dir", personas.toString(),
                "orchestra.chat.extract-memories", "false"), yaml);
        Files.createDirectories(SHOTS);
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setHeadless(true)
                .setExecutablePath(Path.of("/usr/bin/chromium"))
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run")));
    }

    @AfterAll
    static void stop() {
        browser.close();
        playwright.close();
        server.close();
        upstream.close();
    }

    @AfterEach
    void noConsoleErrors() {
        contexts.forEach(BrowserContext::close);
        assertThat(consoleErrors).isEmpty();
    }

    /** A fresh browser context signed in with {@code key}, failing the test on any console error. */
    private Page signIn(String key, int width, int height) {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(width, height));
        contexts.add(context);
        Page page = context.newPage();
        page.onConsoleMessage(m -> { if (m.type().equals("error")) consoleErrors.add(m.text() + " at " + m.location()); });
        page.onPageError(consoleErrors::add);
        page.navigate(server.baseUrl() + "/ui/login");
        page.getByLabel("API key").fill(key);
        page.locator("button[type=submit]").click();
        page.waitForURL("**/ui");
        return page;
    }

    private Page signIn(String key) {
        return signIn(key, 1280, 800);
    }

    private static Locator button(Page page, String name) {
        return page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true));
    }

    private static void shot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(name + ".png")).setFullPage(true));
    }

    /** Nothing wider than the viewport: usable on a phone without sideways scrolling. */
    private static void fitsThePhone(Page page) {
        assertThat(((Number) page.evaluate("document.documentElement.scrollWidth")).intValue()).isLessThanOrEqualTo(390);
    }

    @Test
    void playgroundStreamsAModelAnswerTokenByTokenAndShowsItsAccounting() {
        Page page = signIn(TestServer.ADMIN_KEY);
        page.navigate(server.baseUrl() + "/ui/playground");
        assertThat(page.locator("#target option[value='model:gated']").count()).isEqualTo(1);
        assertThat(page.locator("#target option[value='persona:sophia']").count()).isEqualTo(1);
        page.getByLabel("Talk to").selectOption("model:gated");
        page.getByLabel("Message").fill("Say hello");
        button(page, "Send").click();

        // The fake sends "Hello" and then holds the rest back: the browser shows the first piece while the answer is still open.
        Locator answer = page.locator(".turn.assistant").last();
        page.waitForCondition(() -> answer.locator(".text").textContent().equals("Hello"));
        assertThat(answer.getAttribute("aria-busy")).isEqualTo("true");
        assertThat(answer.locator(".details").count()).isZero();
        upstream.gate.countDown();

        page.locator(".turn.assistant.done .meta-provider").waitFor();
        assertThat(answer.locator(".text").textContent()).isEqualTo("Hello from the fake");
        assertThat(answer.locator(".meta-provider").textContent()).isEqualTo("openai");
        assertThat(answer.locator(".meta-tokens").textContent()).isEqualTo("12 in, 4 out, 2 cached");
        assertThat(answer.locator(".meta-cache").textContent()).isEqualTo("off");
        assertThat(answer.locator(".meta-cost").textContent()).matches("\\$0\\.0000\\d\\d");
        assertThat(answer.locator(".meta-latency").textContent()).contains("ms, first token");
        assertThat(upstream.gateTimedOut).isFalse();

        // The same call is in the request log under the signed-in key: accounting applied.
        JsonNode rows = Json.tree(server.get("/api/requests?model=gated", TestServer.ADMIN_KEY).body()).path("data");
        assertThat(rows.size()).isEqualTo(1);
        assertThat(rows.get(0).path("completion_tokens").asInt()).isEqualTo(4);

        // A second turn sends the first one along, so the model sees the whole conversation.
        page.getByLabel("Talk to").selectOption("model:default");
        page.getByLabel("Message").fill("First question");
        button(page, "Send").click();
        page.locator(".turn.assistant.done").waitFor();
        page.getByLabel("Message").fill("Second question");
        button(page, "Send").click();
        page.locator(".turn.assistant.done").nth(1).waitFor();
        assertThat(upstream.requests.getLast().path("messages").toString()).contains("First question", "Hello from the fake", "Second question");
        shot(page, "playground");
    }

    @Test
    void playgroundShowsThePersonaToolCallsAndRecalledMemories() {
        HttpResponse<String> persona = server.post("/api/personas", TestServer.ADMIN_KEY, """
                {"id":"scout","name":"Scout","description":"Looks things up in your memory graph",
                 "system_prompt":"You are Scout.","model":"agent","tools":["memory.*"]}""");
        assertThat(persona.statusCode()).as(persona.body()).isEqualTo(201);
        HttpResponse<String> memory = server.post("/api/memory/memories", TestServer.ADMIN_KEY,
                "{\"text\":\"I am training for the Berlin marathon in September\"}");
        assertThat(memory.statusCode()).as(memory.body()).isEqualTo(201);

        Page page = signIn(TestServer.ADMIN_KEY);
        page.navigate(server.baseUrl() + "/ui/playground?target=persona:scout");
        assertThat(page.getByLabel("Talk to").inputValue()).isEqualTo("persona:scout");
        page.getByLabel("Message").fill("When is my marathon?");
        page.keyboard().press("Control+Enter");
        page.locator(".turn.assistant.done .meta-persona").waitFor();
        Locator answer = page.locator(".turn.assistant").last();
        assertThat(answer.locator(".text").textContent()).startsWith("Tool said:");
        assertThat(answer.locator(".meta-persona").textContent()).isEqualTo("scout");
        assertThat(answer.locator(".tools li code").first().textContent()).isEqualTo("memory_search_nodes");
        assertThat(answer.locator(".recalled").textContent()).contains("Berlin marathon");
        shot(page, "playground-persona");

        Page phone = signIn(TestServer.ADMIN_KEY, 390, 844);
        phone.navigate(server.baseUrl() + "/ui/playground?target=persona:scout");
        phone.getByLabel("Message").fill("When is my marathon?");
        button(phone, "Send").click();
        phone.locator(".turn.assistant.done .meta-persona").waitFor();
        fitsThePhone(phone);
        shot(phone, "playground-phone");
    }

    @Test
    void playgroundSaysWhatWentWrongInsteadOfFailing() {
        Page page = signIn(TestServer.ADMIN_KEY);
        page.navigate(server.baseUrl() + "/ui/playground");
        button(page, "Send").click();
        assertThat(page.locator("#playground-error").textContent()).isEqualTo("Type a message first.");
        page.getByLabel("Talk to").selectOption("model:broken");
        page.getByLabel("Message").fill("Hello?");
        button(page, "Send").click();
        page.waitForCondition(() -> page.locator("#playground-error").textContent().contains("failed"));
        assertThat(page.locator("#playground-error").textContent()).contains("every provider for 'broken' failed");
        assertThat(page.locator(".turn.assistant").count()).isZero();
    }
}
