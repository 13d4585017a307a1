package io.orchestra.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
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
    private static Chromium chromium;
    private static Browser browser;
    private final BrowserPages pages = new BrowserPages(browser, server.baseUrl());

    @BeforeAll
    static void start() throws Exception {
        chromium = Chromium.start();
        browser = chromium.browser();
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
                    - { alias: cached, cache_ttl_seconds: 60, targets: [ { provider: openai, model: gpt-4o-mini } ] }
                    - { alias: failing, targets: [ { provider: openai, model: flaky-1000 } ] }
                    - { alias: summaries, targets: [ { provider: openai, model: gpt-4o-mini } ] }
                """.formatted(upstream.baseUrl());
        server = TestServer.start(
                TestServer.Storage.SQLITE,
                Map.of("orchestra.personas.dir", personas.toString(), "orchestra.chat.extract-memories", "false"),
                yaml);
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

    /** A fresh browser context signed in with {@code key}, failing the test on any console error. */
    private Page signIn(String key, int width, int height) {
        return pages.signIn(key, width, height);
    }

    private Page signIn(String key) {
        return signIn(key, 1280, 800);
    }

    private static Locator button(Page page, String name) {
        return page.getByRole(
                AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true));
    }

    private static void shot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(SHOTS.resolve(name + ".png"))
                .setFullPage(true));
    }

    /** Nothing wider than the viewport: usable on a phone without sideways scrolling. */
    private static void fitsThePhone(Page page) {
        assertThat(((Number) page.evaluate("document.documentElement.scrollWidth")).intValue())
                .isLessThanOrEqualTo(390);
    }

    @Test
    void playgroundStreamsAModelAnswerTokenByTokenAndShowsItsAccounting() {
        Page page = signIn(TestServer.ADMIN_KEY);
        page.navigate(server.baseUrl() + "/ui/playground");
        assertThat(page.locator("#target option[value='model:gated']").count()).isEqualTo(1);
        assertThat(page.locator("#target option[value='persona:sophia']").count())
                .isEqualTo(1);
        page.getByLabel("Talk to").selectOption("model:gated");
        page.getByLabel("Message").fill("Say hello");
        button(page, "Send").click();

        // The fake sends "Hello" and then holds the rest back: the browser shows the first piece while the answer is
        // still open.
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
        JsonNode rows = Json.tree(server.get("/api/requests?model=gated", TestServer.ADMIN_KEY)
                        .body())
                .path("data");
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
        assertThat(upstream.requests.getLast().path("messages").toString())
                .contains("First question", "Hello from the fake", "Second question");
        shot(page, "playground");
    }

    @Test
    void playgroundShowsThePersonaToolCallsAndRecalledMemories() {
        HttpResponse<String> persona = server.post("/api/personas", TestServer.ADMIN_KEY, """
                {"id":"scout","name":"Scout","description":"Looks things up in your memory graph",
                 "system_prompt":"You are Scout.","model":"agent","tools":["memory.*"]}""");
        assertThat(persona.statusCode()).as(persona.body()).isEqualTo(201);
        HttpResponse<String> memory = server.post(
                "/api/memory/memories",
                TestServer.ADMIN_KEY,
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
        page.waitForCondition(
                () -> page.locator("#playground-error").textContent().contains("failed"));
        assertThat(page.locator("#playground-error").textContent()).contains("every provider for 'broken' failed");
        assertThat(page.locator(".turn.assistant").count()).isZero();
    }

    @Test
    void personaIsCreatedAndEditedWithInlineValidationAndAVersionHistory() {
        Page page = signIn(TestServer.ADMIN_KEY);
        page.navigate(server.baseUrl() + "/ui/personas");
        assertThat(page.locator("tbody tr").allTextContents())
                .anyMatch(row -> row.contains("Sophia") && row.contains("deployment (file)"));
        shot(page, "personas");
        page.getByText("New persona").click();
        page.getByLabel("Id", new Page.GetByLabelOptions().setExact(true)).fill("Tutor!");
        page.getByLabel("Name").fill("Tutor");
        page.getByLabel("Description (the router compares questions with it)").fill("Explains maths step by step");
        page.getByLabel("System prompt").fill("You are a patient maths tutor.");
        page.getByLabel("Temperature (0 to 2)").fill("5");
        button(page, "Create persona").click();

        // The parser's problems, each beside its field; what was typed is kept.
        assertThat(page.locator("#id-error").textContent()).contains("lowercase letters, digits and dashes");
        assertThat(page.locator("#temperature-error").textContent()).contains("a number from 0 to 2");
        assertThat(page.locator("#id").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(page.locator("[role=alert] li").count()).isEqualTo(2);
        assertThat(page.getByLabel("Name").inputValue()).isEqualTo("Tutor");
        shot(page, "persona-invalid");
        page.getByLabel("Id", new Page.GetByLabelOptions().setExact(true)).fill("tutor");
        page.getByLabel("Temperature (0 to 2)").fill("0.3");
        button(page, "Create persona").click();
        page.waitForURL("**/ui/personas/tutor?saved");
        assertThat(page.locator("[role=status]").textContent()).isEqualTo("Saved as version 1.");
        JsonNode created = Json.tree(
                server.get("/api/personas/tutor", TestServer.ADMIN_KEY).body());
        assertThat(created.path("temperature").asDouble()).isEqualTo(0.3);
        assertThat(created.path("system_prompt").asString()).isEqualTo("You are a patient maths tutor.");

        page.getByLabel("Temperature (0 to 2)").fill("0.9");
        page.getByLabel("Domains (comma separated)").fill("maths, teaching");
        button(page, "Save a new version").click();
        page.waitForURL("**/ui/personas/tutor?saved");
        assertThat(page.locator("[role=status]").textContent()).isEqualTo("Saved as version 2.");
        assertThat(page.locator(".history summary").first().textContent())
                .contains("Version 2")
                .contains("changed temperature, domains");
        assertThat(page.locator(".history li").count()).isEqualTo(2);
        JsonNode versions = Json.tree(server.get("/api/personas/tutor/versions", TestServer.ADMIN_KEY)
                        .body())
                .path("data");
        assertThat(versions.size()).isEqualTo(2);
        assertThat(versions.get(0).path("definition").path("domains").toString())
                .isEqualTo("[\"maths\",\"teaching\"]");
        page.locator(".history summary").first().click();
        shot(page, "persona-edit");

        page.getByText("Test-chat with Tutor").click();
        page.waitForURL("**/ui/playground?target=persona:tutor");
        assertThat(page.getByLabel("Talk to").inputValue()).isEqualTo("persona:tutor");
    }

    @Test
    void aPersonaNamingWhatDoesNotExistIsRefusedInlineAndItsHistoryDiffsRestoresAndDeletes() {
        Page page = signIn(TestServer.ADMIN_KEY);
        page.navigate(server.baseUrl() + "/ui/personas/_new");
        page.getByLabel("Id", new Page.GetByLabelOptions().setExact(true)).fill("historian");
        page.getByLabel("Name").fill("Historian");
        page.getByLabel("Description (the router compares questions with it)").fill("Knows dates");
        page.getByLabel("System prompt").fill("You know history.");
        page.getByLabel("Model (a route alias)").fill("gpt-9-turbo");
        page.locator("#tools").fill("memory.*, crystal.ball");
        page.locator("#read_from").fill("nobody-here");
        button(page, "Create persona").click();
        assertThat(page.locator("#model-error").textContent())
                .contains("'gpt-9-turbo' is not a model this server serves");
        assertThat(page.locator("#tools-error").textContent()).contains("'crystal.ball' matches no tool");
        assertThat(page.locator("#read_from-error").textContent()).contains("there is no persona 'nobody-here'");
        assertThat(page.locator("#model").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(server.get("/api/personas/historian", TestServer.ADMIN_KEY).statusCode())
                .isEqualTo(404);

        page.getByLabel("Model (a route alias)").fill("default");
        page.locator("#tools").fill("memory.*");
        page.locator("#read_from").fill("sophia");
        button(page, "Create persona").click();
        page.waitForURL("**/ui/personas/historian?saved");

        // Saving what is already there makes no version.
        button(page, "Save a new version").click();
        page.waitForURL("**/ui/personas/historian?unchanged");
        assertThat(page.locator("[role=status]").textContent())
                .contains("Nothing changed")
                .contains("version 1");
        assertThat(page.locator(".history > li").count()).isEqualTo(1);

        page.getByLabel("Temperature (0 to 2)").fill("1.1");
        button(page, "Save a new version").click();
        page.waitForURL("**/ui/personas/historian?saved");
        Locator newest = page.locator(".history li[data-version='2']");
        newest.locator("summary").click();
        assertThat(newest.locator("table.diff tbody tr").allTextContents()).containsExactly("temperature0.71.1");
        assertThat(newest.locator("summary").textContent()).contains("(current)");

        Locator first = page.locator(".history li[data-version='1']");
        first.locator("summary").click();
        button(page, "Restore version 1").click();
        page.waitForURL("**/ui/personas/historian?restored");
        assertThat(page.locator("[role=status]").textContent()).contains("version 3");
        assertThat(page.getByLabel("Temperature (0 to 2)").inputValue()).isEqualTo("0.7");
        assertThat(Json.tree(server.get("/api/personas/historian", TestServer.ADMIN_KEY)
                                .body())
                        .path("version")
                        .asInt())
                .isEqualTo(3);

        // Deleting asks first; dismissing keeps the persona.
        List<String> asked = new ArrayList<>();
        page.onceDialog(dialog -> {
            asked.add(dialog.message());
            dialog.dismiss();
        });
        button(page, "Delete persona").click();
        page.waitForCondition(() -> !asked.isEmpty());
        assertThat(asked.getFirst()).contains("Delete the persona Historian?");
        assertThat(server.get("/api/personas/historian", TestServer.ADMIN_KEY).statusCode())
                .isEqualTo(200);
        page.onceDialog(dialog -> dialog.accept());
        button(page, "Delete persona").click();
        page.waitForURL("**/ui/personas?deleted=historian");
        assertThat(page.locator("[role=status]").textContent()).contains("Deleted persona historian");
        assertThat(page.locator("tbody").textContent()).doesNotContain("Historian");
        assertThat(server.get("/api/personas/historian", TestServer.ADMIN_KEY).statusCode())
                .isEqualTo(404);
    }

    @Test
    void membersSeeTheDeploymentsPersonasAndTheirOwnAndChangeOnlyTheirOwn() {
        String bob = server.createKey("bob", "member", "bob");
        String carol = server.createKey("carol", "member", "carol");
        HttpResponse<String> bobs = server.post("/api/personas", bob, """
                {"id":"bobs-notes","name":"Bob's notes","description":"Keeps Bob's notes","system_prompt":"You keep notes.","model":"default"}""");
        assertThat(bobs.statusCode()).as(bobs.body()).isEqualTo(201);

        Page admin = signIn(TestServer.ADMIN_KEY);
        admin.navigate(server.baseUrl() + "/ui/personas");
        assertThat(admin.locator("tbody").textContent()).contains("Bob's notes");

        Page page = signIn(carol);
        assertThat(page.locator("nav a").allTextContents())
                .contains("Playground", "Personas")
                .doesNotContain("Routes", "Keys");
        page.navigate(server.baseUrl() + "/ui/personas");
        assertThat(page.locator("tbody").textContent()).contains("Sophia").doesNotContain("Bob's notes");
        page.navigate(server.baseUrl() + "/ui/personas/bobs-notes");
        assertThat(page.locator("main").textContent()).contains("There is no persona bobs-notes that you may see");

        // The deployment's personas are read-only for members: no save button, and a crafted post is refused.
        page.navigate(server.baseUrl() + "/ui/personas/sophia");
        assertThat(page.locator("fieldset[disabled]").count()).isEqualTo(3);
        assertThat(button(page, "Save a new version").count()).isZero();
        String csrf = page.locator("input[name=_csrf]").first().inputValue();
        var forged = page.request()
                .post(
                        server.baseUrl() + "/ui/personas/sophia",
                        com.microsoft.playwright.options.RequestOptions.create()
                                .setForm(com.microsoft.playwright.options.FormData.create()
                                        .set("_csrf", csrf)
                                        .set("name", "Hijacked")
                                        .set("description", "x")
                                        .set("system_prompt", "x")
                                        .set("model", "default")
                                        .set("memory_scope", "persona")
                                        .set("search_blend", "balanced")));
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.text()).contains("only admins change it");
        assertThat(Json.tree(server.get("/api/personas/sophia", carol).body())
                        .path("name")
                        .asString())
                .isEqualTo("Sophia");

        // Their own persona they create and edit like an admin does.
        page.navigate(server.baseUrl() + "/ui/personas/_new");
        page.getByLabel("Id", new Page.GetByLabelOptions().setExact(true)).fill("carols-coach");
        page.getByLabel("Name").fill("Carol's coach");
        page.getByLabel("Description (the router compares questions with it)").fill("Running coach");
        page.getByLabel("System prompt").fill("You coach runners.");
        button(page, "Create persona").click();
        page.waitForURL("**/ui/personas/carols-coach?saved");
        assertThat(Json.tree(server.get("/api/personas/carols-coach", carol).body())
                        .path("owner")
                        .asString())
                .isEqualTo("carol");
        assertThat(server.get("/api/personas/carols-coach", bob).statusCode()).isEqualTo(404);
    }

    private static HttpResponse<String> chatCompletion(String alias) {
        return server.post(
                "/v1/chat/completions",
                TestServer.ADMIN_KEY,
                "{\"model\":\"" + alias + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    }

    @Test
    void routesShowTargetsBreakersAndRecentErrorsAndAnEditTakesEffect() {
        // Two failures open the breaker of the failing target (circuit_breaker.failures = 2, no retries).
        for (int i = 0; i < 2; i++) {
            assertThat(chatCompletion("failing").statusCode()).isEqualTo(502);
        }
        assertThat(chatCompletion("summaries").headers().firstValue("x-orchestra-model"))
                .contains("gpt-4o-mini");
        server.orchestra().usageRecorder().flush();

        Page page = signIn(TestServer.ADMIN_KEY);
        page.navigate(server.baseUrl() + "/ui/routes");
        Locator failing = page.locator("tr[data-alias=failing]");
        assertThat(failing.locator(".targets").textContent()).contains("openai/flaky-1000");
        assertThat(failing.locator(".state").textContent()).isEqualTo("open");
        assertThat(page.locator("tr[data-alias=summaries] .state").textContent())
                .isEqualTo("closed");
        assertThat(page.locator("table.recent-errors tbody tr").allTextContents())
                .anyMatch(row ->
                        row.contains("failing") && row.contains("502") && row.contains("The server is overloaded"));
        assertThat(page.locator("section[aria-labelledby=providers-h] tbody tr").allTextContents())
                .containsExactly("openai" + "openai" + upstream.baseUrl() + "/openai/v1" + "configured");
        shot(page, "routes");

        // A bad edit is refused with the gateway parser's own words, beside the target it is about.
        page.getByLabel("Edit route summaries").click();
        page.getByLabel("Target 1 model").fill("");
        page.getByLabel("Target 1 weight").fill("heavy");
        button(page, "Save route").click();
        assertThat(page.locator(".target-rows .field-error").textContent())
                .contains("route.targets[0].model: required")
                .contains("route.targets[0].weight");
        assertThat(page.locator("[role=alert]").textContent()).contains("The route was not saved");
        assertThat(page.getByLabel("Target 1 weight").inputValue()).isEqualTo("heavy");
        shot(page, "route-invalid");

        // A good edit serves the very next request: a new first target, the old one as fallback.
        page.getByLabel("Target 1 model").fill("gpt-4o");
        page.getByLabel("Target 1 weight").fill("1");
        page.getByLabel("Target 2 provider").selectOption("openai");
        page.getByLabel("Target 2 model").fill("gpt-4o-mini");
        button(page, "Save route").click();
        page.waitForURL("**/ui/routes?saved=summaries");
        assertThat(page.locator("[role=status]").textContent())
                .contains("summaries")
                .contains("saved");
        assertThat(page.locator("tr[data-alias=summaries]").textContent())
                .contains("openai/gpt-4o", "openai/gpt-4o-mini", "edited here");
        assertThat(chatCompletion("summaries").headers().firstValue("x-orchestra-model"))
                .contains("gpt-4o");
        JsonNode stored = Json.tree(
                        server.get("/api/routes", TestServer.ADMIN_KEY).body())
                .path("routes");
        assertThat(stored.toString()).contains("\"model\":\"gpt-4o\"");

        // Reset goes back to orchestra.yaml.
        button(page, "Reset route summaries to orchestra.yaml").click();
        page.waitForURL("**/ui/routes?reset=summaries");
        assertThat(page.locator("tr[data-alias=summaries]").textContent())
                .contains("orchestra.yaml")
                .doesNotContain("openai/gpt-4o ");
        assertThat(chatCompletion("summaries").headers().firstValue("x-orchestra-model"))
                .contains("gpt-4o-mini");

        Page phone = signIn(TestServer.ADMIN_KEY, 390, 844);
        phone.navigate(server.baseUrl() + "/ui/routes");
        fitsThePhone(phone);
        phone.navigate(server.baseUrl() + "/ui/routes/edit?alias=summaries");
        fitsThePhone(phone);
        shot(phone, "route-edit-phone");
    }

    @Test
    void routesAreForAdminsOnly() {
        String member = server.createKey("routes-member", "member", "dave");
        Page page = signIn(member);
        assertThat(page.locator("nav a").allTextContents()).doesNotContain("Routes");
        var response = page.request().get(server.baseUrl() + "/ui/routes");
        assertThat(response.status()).isEqualTo(403);
        String csrf = page.request()
                .get(server.baseUrl() + "/ui/playground")
                .text()
                .replaceAll("(?s).*name=\"_csrf\" value=\"([^\"]+)\".*", "$1");
        var forged = page.request()
                .post(
                        server.baseUrl() + "/ui/routes/edit",
                        com.microsoft.playwright.options.RequestOptions.create()
                                .setForm(com.microsoft.playwright.options.FormData.create()
                                        .set("_csrf", csrf)
                                        .set("alias", "summaries")
                                        .set("strategy", "fallback")
                                        .set("provider", "openai")
                                        .set("target_model", "evil")));
        assertThat(forged.status()).isEqualTo(403);
        assertThat(server.get("/api/routes", TestServer.ADMIN_KEY).body()).doesNotContain("evil");
    }

    @Test
    void playgroundShowsACacheHitOnTheSecondIdenticalQuestion() {
        Page page = signIn(TestServer.ADMIN_KEY);
        page.navigate(server.baseUrl() + "/ui/playground?target=model:cached");
        for (int turn = 0; turn < 2; turn++) {
            button(page, "New conversation").click();
            page.getByLabel("Message").fill("What is a cache?");
            button(page, "Send").click();
            page.locator(".turn.assistant.done .meta-cache").waitFor();
        }
        Locator answer = page.locator(".turn.assistant").last();
        assertThat(answer.locator(".text").textContent()).isEqualTo("Hello from the fake");
        assertThat(answer.locator(".meta-cache").textContent()).isEqualTo("hit");
        assertThat(answer.locator(".meta-provider").textContent()).isEqualTo("cache");
    }

    @Test
    void aMemberPlaygroundOffersWhatTheirKeyMayUseAndShowsOnlyTheirOwnCalls() {
        String erin = server.createKey("erin", "member", "erin");
        String frank = server.createKey("frank", "member", "frank");
        assertThat(server.post("/api/personas", frank, """
                {"id":"franks-pal","name":"Frank's pal","description":"Frank only","system_prompt":"Hi.","model":"default"}""").statusCode()).isEqualTo(201);
        HttpResponse<String> adminCall = chatCompletion("default");
        String adminLogId = adminCall.headers().firstValue("x-orchestra-log-id").orElseThrow();

        Page page = signIn(erin);
        page.navigate(server.baseUrl() + "/ui/playground");
        List<String> options = page.locator("#target option").all().stream()
                .map(o -> o.getAttribute("value"))
                .toList();
        assertThat(options)
                .contains("persona:auto", "persona:sophia", "model:default")
                .doesNotContain("persona:franks-pal");
        page.getByLabel("Talk to").selectOption("model:default");
        page.getByLabel("Message").fill("Hello as Erin");
        button(page, "Send").click();
        page.locator(".turn.assistant.done .meta-provider").waitFor();
        server.orchestra().usageRecorder().flush();
        JsonNode erinsRows = Json.tree(server.get("/api/requests", erin).body()).path("data");
        assertThat(erinsRows.size()).as("the call is accounted to Erin's key").isEqualTo(1);

        // Another key's call is not Erin's to inspect.
        String details = page.request()
                .get(server.baseUrl() + "/ui/playground/details?log=" + adminLogId)
                .text();
        assertThat(details).contains("no row for this call").doesNotContain("meta-provider");
        // Forms without the session's CSRF token are refused.
        var forged = page.request()
                .post(
                        server.baseUrl() + "/ui/playground/chat",
                        com.microsoft.playwright.options.RequestOptions.create()
                                .setForm(com.microsoft.playwright.options.FormData.create()
                                        .set("target", "model:default")
                                        .set("message", "forged")));
        assertThat(forged.status()).isEqualTo(403);
        var forgedPersona = page.request()
                .post(
                        server.baseUrl() + "/ui/personas",
                        com.microsoft.playwright.options.RequestOptions.create()
                                .setForm(com.microsoft.playwright.options.FormData.create()
                                        .set("id", "forged")
                                        .set("name", "x")));
        assertThat(forgedPersona.status()).isEqualTo(403);
        assertThat(server.get("/api/personas/forged", TestServer.ADMIN_KEY).statusCode())
                .isEqualTo(404);

        Page phone = signIn(erin, 390, 844);
        phone.navigate(server.baseUrl() + "/ui/personas");
        fitsThePhone(phone);
        shot(phone, "personas-phone");
    }

    @Test
    void playgroundSaysWhichPersonaTheRouterChoseAndWhy() {
        Page page = signIn(TestServer.ADMIN_KEY);
        page.navigate(server.baseUrl() + "/ui/playground?target=persona:auto");
        page.getByLabel("Message").fill("What are the phases of a clinical trial and how is patient recruitment done?");
        button(page, "Send").click();
        page.locator(".turn.assistant.done .meta-persona").waitFor();
        Locator answer = page.locator(".turn.assistant").last();
        assertThat(answer.locator(".meta-persona").textContent()).isEqualTo("karen");
        assertThat(answer.locator(".meta-routing").textContent()).contains("similarity");
        assertThat(answer.locator(".text").textContent()).startsWith("Hello from the fake");
        // The answer itself says who answered and why, not "Auto: the router picks a persona".
        assertThat(answer.locator(".who").textContent()).isEqualTo("karen (picked by the router)");
        assertThat(answer.locator(".routing").textContent()).startsWith("Why: ").contains("similarity");
    }
}
