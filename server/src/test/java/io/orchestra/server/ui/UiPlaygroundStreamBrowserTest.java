package io.orchestra.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Playground against a provider that streams slowly, in a real headless Chromium: a persona with
 * tools is seen answering piece by piece; the transcript follows the answer unless the reader
 * scrolled up; Markdown renders and HTML in it is shown, never run; Stop closes the provider's
 * stream; Enter sends and Shift+Enter breaks the line; alias chats take a system prompt and a
 * temperature; each answer links its run and its request-log row.
 */
class UiPlaygroundStreamBrowserTest {
    private static StreamingAgentUpstream upstream;
    private static TestServer server;
    private static Chromium chromium;
    private final BrowserPages pages = new BrowserPages(chromium.browser(), server.baseUrl());

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

    @BeforeEach
    void freshUpstream() {
        upstream.reset();
    }

    @AfterEach
    void noConsoleErrors() {
        pages.closeAndCheck();
    }

    private Page signIn(int width, int height) {
        return pages.signIn(TestServer.ADMIN_KEY, width, height);
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

    private static String text(Page page) {
        return page.locator(".turn.assistant").last().locator(".text").textContent();
    }

    @Test
    void theTranscriptFollowsTheAnswerUntilTheReaderScrollsUp() {
        List<String> pieces = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            pieces.add("Paragraph " + i + " of a long answer.\n\n");
        }
        upstream.pieces = pieces;
        upstream.delayMillis = 80;
        Page page = signIn(1400, 900);
        page.navigate(server.baseUrl() + "/ui/playground?target=model:default");
        page.getByLabel("Message").fill("Tell me a long story");
        page.getByLabel("Message").press("Enter");
        page.waitForCondition(() -> text(page).contains("Paragraph 20 "));
        String atBottom = "(() => { const t = document.getElementById('transcript');"
                + " return t.scrollHeight > t.clientHeight && t.scrollHeight - t.scrollTop - t.clientHeight < 32; })()";
        assertThat((Boolean) page.evaluate(atBottom))
                .as("following the newest text")
                .isTrue();

        page.locator("#transcript").hover();
        page.mouse().wheel(0, -400);
        page.waitForTimeout(300);
        String scrollTop = "document.getElementById('transcript').scrollTop";
        double top = ((Number) page.evaluate(scrollTop)).doubleValue();
        assertThat((Boolean) page.evaluate(atBottom))
                .as("the reader scrolled up")
                .isFalse();
        page.waitForCondition(() -> text(page).contains("Paragraph 34 "));
        assertThat(((Number) page.evaluate(scrollTop)).doubleValue())
                .as("the reader's place is kept while the answer grows")
                .isEqualTo(top);
        assertThat((Boolean) page.evaluate(atBottom)).isFalse();
        page.locator(".turn.assistant.done").waitFor();
    }

    @Test
    void markdownRendersAndHtmlInTheAnswerIsShownNotRun() {
        upstream.pieces = List.of(
                "## Result\n\n**Bold** and *italic* with `code` and ",
                "<script>window.pwned = 1</script>",
                " <img src=x onerror=\"window.pwned = 2\">",
                "\n\n- first\n- [a link](https://example.com/x?a=1&b=2)\n",
                "\n[bad](javascript:window.pwned=3)");
        upstream.delayMillis = 20;
        Page page = signIn(1400, 900);
        page.navigate(server.baseUrl() + "/ui/playground?target=model:default");
        page.getByLabel("Message").fill("Format something");
        button(page, "Send").click();
        page.locator(".turn.assistant.done").waitFor();
        Locator answer = page.locator(".turn.assistant").last().locator(".text");
        assertThat(answer.locator("h4").textContent()).isEqualTo("Result");
        assertThat(answer.locator("strong").textContent()).isEqualTo("Bold");
        assertThat(answer.locator("em").textContent()).isEqualTo("italic");
        assertThat(answer.locator("code").textContent()).isEqualTo("code");
        assertThat(answer.locator("li").allTextContents()).containsExactly("first", "a link");
        assertThat(answer.locator("a").first().getAttribute("href")).isEqualTo("https://example.com/x?a=1&b=2");
        assertThat(answer.locator("a").count()).as("no javascript: link").isEqualTo(1);
        assertThat(answer.locator("script, img").count()).isZero();
        assertThat(answer.textContent())
                .contains("<script>window.pwned = 1</script>")
                .contains("<img src=x onerror=\"window.pwned = 2\">");
        assertThat(page.evaluate("typeof window.pwned")).isEqualTo("undefined");
    }

    @Test
    void stopClosesTheProvidersStream() throws Exception {
        List<String> pieces = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            pieces.add("word" + i + " ");
        }
        upstream.pieces = pieces;
        Page page = signIn(1400, 900);
        page.navigate(server.baseUrl() + "/ui/playground?target=persona:scout");
        assertThat(button(page, "Stop").isVisible()).isFalse();
        page.getByLabel("Message").fill("Keep talking");
        button(page, "Send").click();
        page.waitForCondition(() -> text(page).contains("word3 "));
        button(page, "Stop").click();
        assertThat(upstream.callerHungUp.await(10, java.util.concurrent.TimeUnit.SECONDS))
                .as("the provider sees its connection close")
                .isTrue();
        assertThat(upstream.sentAt.size()).isLessThan(40);
        page.locator(".turn.assistant.done.stopped").waitFor();
        assertThat(page.locator(".turn.assistant.stopped .timing").textContent())
                .startsWith("Stopped after");
        assertThat(button(page, "Stop").isVisible()).isFalse();
        assertThat(button(page, "Send").isEnabled()).isTrue();
    }

    @Test
    void enterSendsShiftEnterBreaksTheLine() {
        upstream.delayMillis = 10;
        Page page = signIn(1400, 900);
        page.navigate(server.baseUrl() + "/ui/playground?target=model:default");
        Locator message = page.getByLabel("Message");
        message.click();
        page.keyboard().type("line one");
        page.keyboard().press("Shift+Enter");
        page.keyboard().type("line two");
        assertThat(message.inputValue()).isEqualTo("line one\nline two");
        assertThat(page.locator(".turn").count()).isZero();
        page.keyboard().press("Enter");
        page.locator(".turn.assistant.done").waitFor();
        assertThat(page.locator(".turn.user .text").textContent()).isEqualTo("line one\nline two");
        assertThat(upstream.requests
                        .getLast()
                        .path("messages")
                        .get(0)
                        .path("content")
                        .asString())
                .isEqualTo("line one\nline two");
    }

    @Test
    void aliasChatsTakeASystemPromptAndATemperature() {
        upstream.delayMillis = 10;
        Page page = signIn(1400, 900);
        page.navigate(server.baseUrl() + "/ui/playground?target=persona:scout");
        assertThat(page.locator("#model-settings").isVisible())
                .as("a persona brings its own")
                .isFalse();
        page.getByLabel("Talk to").selectOption("model:default");
        page.getByLabel("System prompt").fill("Answer in French.");
        page.getByLabel("Temperature (0 to 2; empty for the provider's default)")
                .fill("hot");
        page.getByLabel("Message").fill("Bonjour?");
        button(page, "Send").click();
        page.waitForCondition(
                () -> !page.locator("#playground-error").textContent().isEmpty());
        assertThat(page.locator("#playground-error").textContent()).contains("temperature: a number from 0 to 2");

        page.getByLabel("Temperature (0 to 2; empty for the provider's default)")
                .fill("0.2");
        button(page, "Send").click();
        page.locator(".turn.assistant.done").waitFor();
        tools.jackson.databind.JsonNode sent = upstream.requests.getLast();
        assertThat(sent.path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(sent.path("messages").get(0).path("role").asString()).isEqualTo("system");
        assertThat(sent.path("messages").get(0).path("content").asString()).isEqualTo("Answer in French.");
        assertThat(sent.path("messages").get(1).path("content").asString()).isEqualTo("Bonjour?");
    }

    @Test
    void eachAnswerLinksItsRunAndItsRequestLogRow() {
        upstream.delayMillis = 10;
        Page page = signIn(1400, 900);
        page.navigate(server.baseUrl() + "/ui/playground?target=persona:scout");
        page.getByLabel("Message").fill("Ada?");
        button(page, "Send").click();
        page.locator(".turn.assistant.done .meta-run").waitFor();
        Locator answer = page.locator(".turn.assistant").last();
        String run = answer.locator(".meta-run").getAttribute("href");
        String log = answer.locator(".meta-log").getAttribute("href");
        assertThat(run).matches("/ui/runs/[^/]+");
        assertThat(log).matches("/ui/requests/[^/]+");
        answer.locator(".meta-log").click();
        page.waitForURL("**" + log);
        assertThat(page.locator("main").textContent()).contains(log.substring("/ui/requests/".length()));
        page.goBack();
        page.navigate(server.baseUrl() + run);
        assertThat(page.locator("main").textContent()).contains("memory_search_nodes");
    }
}
