package io.orchestra.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.orchestra.server.TestServer;
import io.orchestra.server.agents.StreamingAgentUpstream;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Playground against a provider that streams slowly, in a real headless Chromium: a persona with
 * tools is seen answering piece by piece.
 */
class UiPlaygroundStreamBrowserTest {
    private static StreamingAgentUpstream upstream;
    private static TestServer server;
    private static Chromium chromium;
    private final List<String> consoleErrors = new ArrayList<>();
    private final List<BrowserContext> contexts = new ArrayList<>();

    @BeforeAll
    static void start() {
        chromium = Chromium.start();
        upstream = new StreamingAgentUpstream();
        String yaml = """
                gateway:
                  providers:
                    openai: { kind: openai, base_url: "%s", api_key: "sk-test" }
                  routes:
                    - { alias: default, targets: [ { provider: openai, model: slow-agent } ] }
                """.formatted(upstream.baseUrl());
        server = TestServer.start(TestServer.Storage.SQLITE, Map.of("orchestra.chat.extract-memories", "false"), yaml);
        HttpResponse<String> persona = server.post("/api/personas", TestServer.ADMIN_KEY, """
                {"id":"scout","name":"Scout","description":"Looks things up in your memory graph",
                 "system_prompt":"You are Scout.","model":"default","tools":["memory.*"]}""");
        assertThat(persona.statusCode()).as(persona.body()).isEqualTo(201);
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
        contexts.forEach(BrowserContext::close);
        assertThat(consoleErrors).isEmpty();
    }

    private Page signIn(int width, int height) {
        BrowserContext context =
                chromium.browser().newContext(new Browser.NewContextOptions().setViewportSize(width, height));
        contexts.add(context);
        Page page = context.newPage();
        page.onConsoleMessage(m -> {
            if (m.type().equals("error")) consoleErrors.add(m.text() + " at " + m.location());
        });
        page.onPageError(consoleErrors::add);
        page.navigate(server.baseUrl() + "/ui/login");
        page.getByLabel("API key").fill(TestServer.ADMIN_KEY);
        page.locator("button[type=submit]").click();
        page.waitForURL("**/ui");
        return page;
    }

    private static Locator button(Page page, String name) {
        return page.getByRole(
                AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true));
    }

    /** Records every state of the newest answer's text with the time it appeared. */
    private static void watchTheAnswer(Page page) {
        page.evaluate("""
                () => {
                  window.growth = [];
                  new MutationObserver(() => {
                    const text = document.querySelector('.turn.assistant:last-of-type .text');
                    const now = text ? text.textContent : '';
                    const last = window.growth.length ? window.growth[window.growth.length - 1].text : '';
                    if (now && now !== last) window.growth.push({ text: now, at: performance.now() });
                  }).observe(document.getElementById('transcript'), { subtree: true, childList: true, characterData: true });
                }""");
    }

    @Test
    void aPersonaWithToolsIsSeenAnsweringPieceByPiece() {
        Page page = signIn(1400, 900);
        page.navigate(server.baseUrl() + "/ui/playground?target=persona:scout");
        watchTheAnswer(page);
        page.getByLabel("Message").fill("What do you know about Ada?");
        button(page, "Send").click();
        page.locator(".turn.assistant.done").waitFor();

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> growth = (List<Map<String, Object>>) page.evaluate("window.growth");
        List<String> texts = growth.stream().map(g -> (String) g.get("text")).toList();
        assertThat(texts.getLast().replace("*", "")).isEqualTo("The tool found what you asked for.");
        assertThat(texts.size()).as(texts.toString()).isGreaterThanOrEqualTo(5);
        for (int i = 1; i < texts.size(); i++) {
            assertThat(texts.get(i).replace("*", "").length())
                    .as("the answer only grows")
                    .isGreaterThanOrEqualTo(texts.get(i - 1).replace("*", "").length());
        }
        double first = ((Number) growth.getFirst().get("at")).doubleValue();
        double last = ((Number) growth.getLast().get("at")).doubleValue();
        assertThat(last - first)
                .as("the pieces arrived over time, as the provider sent them 150 ms apart")
                .isGreaterThan(4 * 100.0);
        Locator answer = page.locator(".turn.assistant").last();
        assertThat(answer.locator(".tools li code").first().textContent()).isEqualTo("memory_search_nodes");
    }
}
