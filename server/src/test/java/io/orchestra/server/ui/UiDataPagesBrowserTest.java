package io.orchestra.server.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
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

/**
 * The data pages (requests, usage, memory, documents, runs) in a real headless Chromium against a
 * real server whose gateway calls a fake upstream. All data is made through the public API by an
 * admin and two members, so owner scoping is checked on real rows. Fails on any console error.
 */
class UiDataPagesBrowserTest {
    static final Path SHOTS = Path.of("target/ui-screenshots");

    static FakeUpstream upstream;
    static TestServer server;
    static Chromium chromium;
    static Browser browser;
    static String alice;
    static String bob;
    static String carol;
    static String teamRunId;

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
        server = TestServer.start(
                TestServer.Storage.SQLITE,
                Map.of("orchestra.personas.dir", personas.toString(), "orchestra.chat.extract-memories", "false"),
                """
                gateway:
                  providers:
                    openai: { kind: openai, base_url: "%s/openai/v1", api_key: "sk-test" }
                  retry: { attempts: 1, backoff_ms: 10, max_backoff_ms: 50 }
                  routes:
                    - { alias: chat, targets: [ { provider: openai, model: gpt-4o-mini } ] }
                    - { alias: big, targets: [ { provider: openai, model: gpt-4o } ] }
                    - { alias: broken, targets: [ { provider: openai, model: fail-400 } ] }
                    - { alias: default, targets: [ { provider: openai, model: team } ] }
                """.formatted(upstream.baseUrl()));
        alice = server.createKey("alice-laptop", "member", "alice");
        bob = server.createKey("bob-phone", "member", "bob");
        for (int i = 0; i < 2; i++) {
            chat(TestServer.ADMIN_KEY, "chat");
        }
        for (int i = 0; i < 3; i++) {
            chat(alice, "chat");
        }
        assertThat(chat(alice, "broken").statusCode()).isEqualTo(400);
        chat(bob, "big");
        // Carol's team run: planner, three specialists, synthesis, all through the gateway.
        carol = server.createKey("carol-server", "member", "carol");
        HttpResponse<String> team = server.post(
                "/api/teams/runs", carol, "{\"task\":\"Launch a clinical payments product\",\"wait\":true}");
        assertThat(team.statusCode()).as(team.body()).isEqualTo(200);
        teamRunId = Json.tree(team.body()).path("id").asString();
        server.orchestra().usageRecorder().flush();
        remember(alice, "Alice prefers window seats on long flights");
        remember(alice, "Alice's team ships the billing service every Tuesday");
        remember(bob, "Bob is allergic to peanuts");
        assertThat(server.post("/api/memory/graph/entities", alice, """
                {"entities":[{"name":"Alice","entityType":"person","observations":["leads the billing team"]},
                 {"name":"Acme","entityType":"company","observations":["makes payment terminals"]},
                 {"name":"Berlin","entityType":"city","observations":[]}]}""").statusCode())
                .isEqualTo(201);
        assertThat(server.post("/api/memory/graph/relations", alice, """
                {"relations":[{"from":"Alice","to":"Acme","relationType":"works_at"},{"from":"Acme","to":"Berlin","relationType":"located_in"},
                 {"from":"Alice","to":"Berlin","relationType":"lives_in"}]}""").statusCode())
                .isEqualTo(201);

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

    static HttpResponse<String> chat(String key, String model) {
        return server.post(
                "/v1/chat/completions",
                key,
                "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    }

    /** A fresh browser (own cookies) signed in with {@code key}, at the given viewport width. */
    Page signIn(String key, int width) {
        return pages.signIn(key, width, width < 600 ? 844 : 900);
    }

    static void shot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(SHOTS.resolve(name + ".png"))
                .setFullPage(true));
        if (page.viewportSize().width < 600) {
            // Usable on a phone: nothing wider than the screen (wide tables scroll inside their box).
            assertThat(((Number) page.evaluate("document.documentElement.scrollWidth")).intValue())
                    .as(name)
                    .isLessThanOrEqualTo(390);
        }
    }

    static Locator rows(Page page) {
        return page.locator("table.requests tbody tr");
    }

    @Test
    void requestLogFiltersAndOpensOneRequest() {
        Page page = signIn(TestServer.ADMIN_KEY, 1280);
        page.getByRole(
                        AriaRole.LINK,
                        new Page.GetByRoleOptions().setName("Requests").setExact(true))
                .click();
        page.waitForURL("**/ui/requests");
        // 7 chat calls plus the team run's 5 model calls.
        assertThat(rows(page).count()).isEqualTo(12);
        shot(page, "requests");

        page.getByLabel("Key")
                .selectOption(new com.microsoft.playwright.options.SelectOption().setLabel("alice-laptop"));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Filter"))
                .click();
        page.waitForURL(url -> url.contains("key="));
        assertThat(rows(page).count()).isEqualTo(4);
        page.getByLabel("Status").selectOption("error");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Filter"))
                .click();
        page.waitForURL(url -> url.contains("status=error"));
        assertThat(rows(page).count()).isEqualTo(1);
        assertThat(rows(page).first().textContent()).contains("400").contains("fail-400");

        page.getByLabel("Status").selectOption("");
        page.getByLabel("Key").selectOption("");
        page.getByLabel("Model or alias").fill("BIG"); // by part, any case: bob's alias "big"
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Filter"))
                .click();
        page.waitForURL(url -> url.contains("model=BIG"));
        assertThat(rows(page).count()).isEqualTo(1);
        assertThat(rows(page).first().textContent()).contains("bob-phone");

        page.navigate(server.baseUrl() + "/ui/requests?status=error");
        rows(page).first().getByRole(AriaRole.LINK).click();
        page.waitForURL("**/ui/requests/*");
        String detail = page.locator("dl.facts").textContent();
        assertThat(detail)
                .contains("400")
                .contains("alice-laptop")
                .contains("broken")
                .contains("Attempts1")
                .contains("Invalid value for 'messages'");
        shot(page, "request");

        // Bad filter input is reported inline; the page still works.
        page.navigate(server.baseUrl() + "/ui/requests?status=teapot&range=forever&page=-1");
        assertThat(page.locator("[role=alert]").textContent())
                .contains("Status")
                .contains("Time range")
                .contains("page");
        assertThat(rows(page).count()).isEqualTo(12);
    }

    @Test
    void memberSeesOnlyTheirOwnRequests() {
        Page page = signIn(bob, 390);
        page.navigate(server.baseUrl() + "/ui/requests");
        assertThat(rows(page).count()).isEqualTo(1);
        shot(page, "requests-phone");
        assertThat(page.locator("main").textContent()).contains("bob-phone").doesNotContain("alice-laptop");
        assertThat(page.locator("#f-key option").allTextContents()).containsExactly("Any key", "bob-phone");
        String aliceRequest = Json.tree(server.get("/api/requests", alice).body())
                .path("data")
                .get(0)
                .path("id")
                .asString();
        var other = page.request().get(server.baseUrl() + "/ui/requests/" + aliceRequest);
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.text()).contains("Request not found");
        var own = page.request()
                .get(server.baseUrl() + "/ui/requests/"
                        + Json.tree(server.get("/api/requests", bob).body())
                                .path("data")
                                .get(0)
                                .path("id")
                                .asString());
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.text()).contains("gpt-4o");
    }

    static String keyId(String name) {
        for (var key :
                Json.tree(server.get("/api/keys", TestServer.ADMIN_KEY).body()).path("data")) {
            if (key.path("name").asString().equals(name)) {
                return key.path("id").asString();
            }
        }
        throw new IllegalStateException("no key " + name);
    }

    static double apiCost(String key) {
        double total = 0;
        for (var row :
                Json.tree(server.get("/api/usage?group_by=model", key).body()).path("data")) {
            total += row.path("cost_usd").asDouble();
        }
        return total;
    }

    @Test
    void usageChartsCostAndShowsWhatIsLeftOfABudget() {
        HttpResponse<String> limits =
                server.send(server.request("/api/keys/" + keyId("alice-laptop") + "/limits", TestServer.ADMIN_KEY)
                        .header("Content-Type", "application/json")
                        .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(
                                "{\"daily_budget_usd\":1,\"monthly_budget_usd\":20,\"requests_per_minute\":60}"))
                        .build());
        assertThat(limits.statusCode()).as(limits.body()).isEqualTo(200);
        Page page = signIn(TestServer.ADMIN_KEY, 1280);
        page.navigate(server.baseUrl() + "/ui/usage");
        assertThat(page.locator("#total-cost").textContent()).isEqualTo(UiFormat.usd(apiCost(TestServer.ADMIN_KEY)));
        assertThat(page.locator("svg[role=img] rect").count()).isEqualTo(31);
        Locator byModel = page.locator("figure.usage").nth(0).locator("tbody th");
        assertThat(byModel.allTextContents()).containsExactly("gpt-4o", "gpt-4o-mini", "fail-400", "team");
        assertThat(page.locator("figure.usage").nth(1).locator("tbody th").allTextContents())
                .containsExactlyInAnyOrder("admin (configured)", "alice-laptop", "bob-phone", "carol-server");
        Locator aliceBudget = page.locator("table.budgets tr", new Page.LocatorOptions().setHasText("alice-laptop"))
                .locator("td.num");
        // Three cheap calls: a few millionths spent today, so almost all of the dollar is left.
        assertThat(aliceBudget.nth(0).textContent()).startsWith("$0.0000").isNotEqualTo("$0.000000");
        assertThat(aliceBudget.allTextContents()).contains("$1.00", "$20.00", "60");
        assertThat(aliceBudget.nth(2).textContent()).contains("$1.0000");
        assertThat(page.locator("table.budgets tr", new Page.LocatorOptions().setHasText("bob-phone"))
                        .textContent())
                .contains("none");
        shot(page, "usage");

        page.getByLabel("Time range").selectOption("24h");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Show"))
                .click();
        page.waitForURL(url -> url.contains("range=24h"));
        assertThat(page.locator("svg[role=img] rect").count()).isEqualTo(2);

        // An admin sets a key's limits on the page; bad values are marked beside their fields.
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Edit limits of carol-server"))
                .click();
        page.getByLabel("Daily budget (USD)").fill("-1");
        page.getByLabel("Requests per minute").fill("ten");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save limits"))
                .click();
        assertThat(page.locator("#l-daily-error")).hasText("zero or more");
        assertThat(page.locator("#l-rpm-error")).containsText("a whole number");
        assertThat(page.getByLabel("Daily budget (USD)")).hasValue("-1");
        pages.consoleErrors().removeIf(e -> e.contains("status of 422"));
        page.getByLabel("Daily budget (USD)").fill("0.5");
        page.getByLabel("Requests per minute").fill("10");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save limits"))
                .click();
        page.waitForURL(url -> url.contains("saved=carol-server"));
        assertThat(page.locator("[role=status]")).hasText("Limits saved for carol-server.");
        assertThat(page.locator("table.budgets tr", new Page.LocatorOptions().setHasText("carol-server"))
                        .locator("td.num")
                        .allTextContents())
                .contains("$0.50", "10");
        var saved = Json.tree(server.get("/api/keys/" + keyId("carol-server") + "/limits", TestServer.ADMIN_KEY)
                .body());
        assertThat(saved.path("daily_budget_usd").asDouble()).isEqualTo(0.5);
        assertThat(saved.path("requests_per_minute").asInt()).isEqualTo(10);
    }

    /** Prompt plus completion tokens of the caller's calls, by the API's own hourly usage. */
    static long apiTokens(String key) {
        long total = 0;
        for (var row :
                Json.tree(server.get("/api/usage?group_by=hour", key).body()).path("data")) {
            total += row.path("prompt_tokens").asLong()
                    + row.path("completion_tokens").asLong();
        }
        return total;
    }

    @Test
    void overviewChartsTokensAndCostTodayForWhoIsSignedIn() {
        long adminTokens = apiTokens(TestServer.ADMIN_KEY);
        long bobTokens = apiTokens(bob);
        assertThat(adminTokens).isGreaterThan(bobTokens).isGreaterThan(0);
        Page page = signIn(TestServer.ADMIN_KEY, 1280);
        page.navigate(server.baseUrl() + "/ui");
        Locator tokens =
                page.locator("section[aria-labelledby=today-h] figcaption").nth(0);
        assertThat(tokens.textContent()).contains("Tokens per hour today").contains(adminTokens + " tokens");
        assertThat(page.locator("section[aria-labelledby=today-h] figcaption")
                        .nth(1)
                        .textContent())
                .contains("Cost per hour today");
        int hours = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).getHour() + 1;
        assertThat(page.locator("section[aria-labelledby=today-h] svg")
                        .nth(0)
                        .locator("rect")
                        .count())
                .isEqualTo(hours);
        Page member = signIn(bob, 390);
        member.navigate(server.baseUrl() + "/ui");
        assertThat(member.locator("#today-h").textContent()).contains("your keys");
        assertThat(member.locator("section[aria-labelledby=today-h] figcaption")
                        .nth(0)
                        .textContent())
                .contains(bobTokens + " tokens");
    }

    @Test
    void memberSeesOnlyTheirOwnUsage() {
        Page page = signIn(bob, 390);
        page.navigate(server.baseUrl() + "/ui/usage");
        assertThat(page.locator("#total-cost").textContent()).isEqualTo(UiFormat.usd(apiCost(bob)));
        assertThat(page.locator("figure.usage").nth(0).locator("tbody th").allTextContents())
                .containsExactly("gpt-4o");
        assertThat(page.locator("figure.usage").nth(1).locator("tbody th").allTextContents())
                .containsExactly("bob-phone");
        assertThat(page.locator("table.budgets tbody th").allTextContents()).containsExactly("bob-phone");
        assertThat(page.locator("main").textContent()).doesNotContain("alice");
        assertThat(page.locator("a[href^='/ui/usage/limits/']")).hasCount(0);
        assertThat(page.request()
                        .get(server.baseUrl() + "/ui/usage/limits/" + keyId("bob-phone"))
                        .status())
                .isEqualTo(403);
        shot(page, "usage-phone");
    }

    static void remember(String key, String text) {
        HttpResponse<String> r =
                server.post("/api/memory/memories", key, Json.write(Map.of("text", text, "tags", List.of("ui-test"))));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    static List<String> memoryTexts(String key) {
        List<String> texts = new ArrayList<>();
        Json.tree(server.get("/api/memory/memories", key).body())
                .path("data")
                .forEach(m -> texts.add(m.path("text").asString()));
        return texts;
    }

    @Test
    void memorySearchGraphViewAndConfirmedDeletes() {
        Page page = signIn(TestServer.ADMIN_KEY, 1280);
        page.navigate(server.baseUrl() + "/ui/memory");
        // The admin starts on their own (empty) memory and switches owner.
        assertThat(page.locator("#mem-h + p.empty").textContent()).contains("No memories for admin yet");
        page.getByLabel("Owner").selectOption("alice");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Switch owner"))
                .click();
        page.waitForURL(url -> url.contains("owner=alice"));
        assertThat(page.locator("ul.memories li")).hasCount(2);
        assertThat(page.locator("ul.entities li")).hasCount(3);

        page.getByLabel("Search memories and entities").fill("airplane seating");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Search"))
                .click();
        page.waitForURL(url -> url.contains("q=airplane"));
        // Recall ranks by meaning: the flight memory first, though it shares no word with the query.
        assertThat(page.locator("ul.memories li").first().textContent())
                .contains("window seats")
                .contains("score");
        page.getByLabel("Search memories and entities").fill("payment terminals");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Search"))
                .click();
        page.waitForURL(url -> url.contains("q=payment"));
        assertThat(page.locator("ul.entities li").allTextContents())
                .singleElement()
                .asString()
                .contains("Acme");
        shot(page, "memory");

        page.navigate(server.baseUrl() + "/ui/memory?owner=alice");
        page.getByRole(
                        AriaRole.LINK,
                        new Page.GetByRoleOptions().setName("Alice").setExact(true))
                .click();
        page.waitForURL(url -> url.contains("/ui/memory/entity"));
        assertThat(page.locator("figure.graph circle")).hasCount(3);
        assertThat(page.locator("figure.graph text.edge").allTextContents())
                .containsExactlyInAnyOrder("works_at", "lives_in");
        assertThat(page.locator("table.relations tbody tr")).hasCount(2);
        shot(page, "memory-entity");
        // Neighbours are links: Berlin's view has both of its relations.
        page.locator("figure.graph a", new Page.LocatorOptions().setHasText("Berlin"))
                .click();
        page.waitForURL(url -> url.contains("name=Berlin"));
        assertThat(page.locator("table.relations tbody tr")).hasCount(2);

        // Cancelling the confirmation keeps the entity; accepting deletes it and its relations.
        page.onceDialog(d -> d.dismiss());
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Delete entity"))
                .click();
        assertThat(Json.tree(server.post("/api/memory/graph/nodes", alice, "{\"names\":[\"Berlin\"]}")
                                .body())
                        .path("entities")
                        .size())
                .isEqualTo(1);
        page.onceDialog(d -> d.accept());
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Delete entity"))
                .click();
        page.waitForURL(url -> url.contains("deleted=Berlin"));
        assertThat(page.locator("[role=status]").textContent()).contains("Deleted the entity Berlin");
        assertThat(page.locator("ul.entities li")).hasCount(2);
        assertThat(Json.tree(server.get("/api/memory/graph", alice).body())
                        .path("relations")
                        .size())
                .isEqualTo(1);

        page.onceDialog(d -> d.accept());
        page.locator("ul.memories li", new Page.LocatorOptions().setHasText("window seats"))
                .getByRole(AriaRole.BUTTON)
                .click();
        assertThat(page.locator("ul.memories li")).hasCount(1);
        assertThat(memoryTexts(alice)).containsExactly("Alice's team ships the billing service every Tuesday");
    }

    @Test
    void memberSeesOnlyTheirOwnMemoryAndCannotDeleteOthers() {
        Page page = signIn(bob, 390);
        page.navigate(server.baseUrl() + "/ui/memory?owner=alice");
        assertThat(page.locator("[role=alert]").textContent()).contains("Owner");
        assertThat(page.locator("ul.memories li").allTextContents())
                .singleElement()
                .asString()
                .contains("peanuts");
        assertThat(page.locator("#owner")).hasCount(0);
        assertThat(page.locator("main").textContent()).doesNotContain("Alice");
        shot(page, "memory-phone");
        String aliceMemory = Json.tree(server.get("/api/memory/memories", alice).body())
                .path("data")
                .get(0)
                .path("id")
                .asString();
        String csrf = page.locator("input[name=_csrf]").first().inputValue();
        var forged = page.request()
                .post(
                        server.baseUrl() + "/ui/memory/memories/" + aliceMemory + "/delete",
                        com.microsoft.playwright.options.RequestOptions.create()
                                .setHeader("X-CSRF-Token", csrf)
                                .setHeader("HX-Request", "true")
                                .setForm(com.microsoft.playwright.options.FormData.create()
                                        .set("owner", "alice")));
        assertThat(forged.text()).contains("already deleted or is not yours");
        var noToken = page.request()
                .post(
                        server.baseUrl() + "/ui/memory/memories/" + aliceMemory + "/delete",
                        com.microsoft.playwright.options.RequestOptions.create()
                                .setForm(com.microsoft.playwright.options.FormData.create()
                                        .set("owner", "bob")));
        assertThat(noToken.status()).isEqualTo(403);
        assertThat(server.get("/api/memory/memories", alice).body()).contains(aliceMemory);
    }

    @Test
    void uploadShowsProgressThenIngestionThenCitations() {
        Page page = signIn(TestServer.ADMIN_KEY, 1280);
        page.navigate(server.baseUrl() + "/ui/documents?owner=alice");
        assertThat(page.locator("#documents .empty")).containsText("No documents for alice yet");

        // Bad input stays on the page: no file, then an empty file (refused by the server, shown inline).
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Upload"))
                .click();
        assertThat(page.locator("#upload-status")).hasText("Choose a file to upload first.");
        page.getByLabel("File")
                .setInputFiles(
                        new com.microsoft.playwright.options.FilePayload("empty.txt", "text/plain", new byte[0]));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Upload"))
                .click();
        assertThat(page.locator("#upload-status")).hasText("Upload failed: the uploaded file is empty");
        // Chromium logs every 4xx answer to the console; that one was asked for.
        assertThat(pages.consoleErrors()).singleElement().asString().contains("status of 400");
        pages.consoleErrors().clear();

        // Long enough (about 250 chunks to embed, half a second on an idle laptop) that ingestion is still going when
        // the list first shows it.
        StringBuilder notes = new StringBuilder(
                "# Lisbon trip\n\nThe Zephyr hotel in Lisbon serves a rooftop breakfast from seven in the morning.\n\n");
        for (int i = 1; notes.length() < 250_000; i++) {
            notes.append("Day ")
                    .append(i)
                    .append(": trams to Belem leave from Praca da Figueira every ")
                    .append(i % 17 + 5)
                    .append(" minutes.\n");
        }
        page.getByLabel("File")
                .setInputFiles(new com.microsoft.playwright.options.FilePayload(
                        "lisbon-notes.md",
                        "text/markdown",
                        notes.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Upload"))
                .click();
        assertThat(page.locator("#upload-status")).hasText("lisbon-notes.md uploaded; ingestion has started.");
        assertThat(page.locator("#upload-progress")).hasJSProperty("value", 100);
        // The list polls while the document is queued or processing (with its progress), and stops once it is ready.
        assertThat(page.locator("#documents tr[data-status=queued], #documents tr[data-status=processing]"))
                .hasCount(1);
        assertThat(page.locator("#documents")).hasAttribute("hx-trigger", "every 1s");
        assertThat(page.locator("#documents tbody progress")).hasCount(1);
        shot(page, "documents-ingesting");
        assertThat(page.locator("#documents tr[data-status=ready]"))
                .hasCount(
                        1,
                        new com.microsoft.playwright.assertions.LocatorAssertions.HasCountOptions().setTimeout(60_000));
        assertThat(page.locator("#documents")).not().hasAttribute("hx-trigger", java.util.regex.Pattern.compile(".*"));
        assertThat(page.locator("#documents tr[data-status=ready] td.num").first())
                .not()
                .hasText("0");
        assertThat(Json.tree(server.get("/api/documents", alice).body())
                        .path("data")
                        .get(0)
                        .path("status")
                        .asString())
                .isEqualTo("ready");

        page.getByLabel("Search the documents").fill("where can I have breakfast on a roof");
        page.getByRole(
                        AriaRole.BUTTON,
                        new Page.GetByRoleOptions().setName("Search").setExact(true))
                .click();
        page.waitForURL(url -> url.contains("q=where"));
        assertThat(page.locator("ol.citations li").first()).containsText("lisbon-notes.md");
        assertThat(page.locator("ol.citations li").first()).containsText("rooftop breakfast");
        shot(page, "documents");

        Page other = signIn(bob, 390);
        other.navigate(server.baseUrl() + "/ui/documents");
        assertThat(other.locator("#documents .empty")).containsText("No documents for bob yet");
        shot(other, "documents-phone");

        page.onceDialog(d -> d.accept());
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Delete lisbon-notes.md"))
                .click();
        assertThat(page.locator("#documents .empty")).containsText("No documents for alice yet");
        assertThat(Json.tree(server.get("/api/documents", alice).body())
                        .path("data")
                        .size())
                .isEqualTo(0);
    }

    @Test
    void runsListAndStepTimeline() {
        Page page = signIn(TestServer.ADMIN_KEY, 1280);
        page.navigate(server.baseUrl() + "/ui/runs");
        assertThat(page.locator("main .empty")).containsText("No runs for admin yet");
        page.getByLabel("Owner").selectOption("carol");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Switch owner"))
                .click();
        page.waitForURL(url -> url.contains("owner=carol"));
        assertThat(page.locator("table.runs tbody tr")).hasCount(1);
        assertThat(page.locator("table.runs tbody tr")).containsText("team");
        assertThat(page.locator("table.runs tbody tr")).containsText("250 / 100");
        shot(page, "runs");

        page.locator("table.runs tbody tr a").click();
        page.waitForURL(url -> url.contains("/ui/runs/" + teamRunId));
        Locator steps = page.locator("table.timeline tbody tr");
        assertThat(steps).hasCount(5);
        List<String> kinds = steps.locator("th").allTextContents().stream()
                .map(t -> t.trim().replaceAll("(?s)^\\d+\\. (\\w+).*", "$1"))
                .toList();
        assertThat(kinds).containsExactly("plan", "subtask", "subtask", "subtask", "synthesis");
        assertThat(steps.nth(1)).containsText("50 / 20");
        assertThat(page.locator("table.timeline svg rect")).hasCount(5);
        // A finished run stops polling; its answer is on the page.
        assertThat(page.locator("#timeline")).not().hasAttribute("hx-trigger", java.util.regex.Pattern.compile(".*"));
        assertThat(page.locator("#timeline")).containsText("Final answer combining 3 reports");
        steps.nth(1).locator("summary").click();
        assertThat(steps.nth(1).locator("details .output")).containsText("Specialist answer to:");
        shot(page, "run");

        Page member = signIn(bob, 390);
        member.navigate(server.baseUrl() + "/ui/runs");
        assertThat(member.locator("main .empty")).containsText("No runs for bob yet");
        var other = member.request().get(server.baseUrl() + "/ui/runs/" + teamRunId + "?owner=carol");
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.text()).contains("Run not found");
        // Every data page answers a forged form post (no CSRF token) with 403.
        for (String path : List.of(
                "/ui/documents/upload",
                "/ui/documents/x/delete",
                "/ui/memory/entity/delete",
                "/ui/memory/memories/x/delete")) {
            assertThat(member.request()
                            .post(
                                    server.baseUrl() + path,
                                    com.microsoft.playwright.options.RequestOptions.create()
                                            .setForm(com.microsoft.playwright.options.FormData.create()
                                                    .set("name", "Alice")))
                            .status())
                    .as(path)
                    .isEqualTo(403);
        }
    }

    @Test
    void requestLogWorksFromTheKeyboardAlone() {
        Page page = signIn(TestServer.ADMIN_KEY, 1280);
        page.navigate(server.baseUrl() + "/ui/requests");
        page.keyboard().press("Tab");
        assertThat(page.locator("a.skip")).isFocused();
        page.keyboard().press("Enter");
        assertThat(page.locator("#main")).isFocused();
        // Tab order follows the form: key, then model; Enter in a field submits the filter.
        page.keyboard().press("Tab");
        assertThat(page.locator("#f-key")).isFocused();
        page.keyboard().press("Tab");
        assertThat(page.locator("#f-model")).isFocused();
        page.keyboard().type("gpt-4o-mini");
        page.keyboard().press("Enter");
        page.waitForURL(url -> url.contains("model=gpt-4o-mini"));
        assertThat(rows(page)).hasCount(5);
        page.locator("table.requests tbody a").first().focus();
        page.keyboard().press("Enter");
        page.waitForURL(url -> url.matches(".*/ui/requests/req_[^?]+"));
        assertThat(page.locator("dl.facts")).containsText("gpt-4o-mini");
    }
}
