package io.orchestra.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.json.Json;
import io.orchestra.gateway.Gateway;
import io.orchestra.server.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A provider that closes its stream cleanly before its end event (no finish_reason and no
 * [DONE], no message_stop, no finishReason, no done) has cut the answer off: the client gets an
 * error event and the end of the response, never [DONE], and the request log says 502.
 */
class TruncatedStreamTest {
    static ScriptedUpstream upstream;
    static TestServer server;
    static String key;

    static final String OPENAI_HEAD =
            "{\"id\":\"chatcmpl-t\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"gpt-4o-mini\",\"choices\":[";

    @BeforeAll
    static void start() throws Exception {
        upstream = new ScriptedUpstream();
        Path personas = Files.createTempDirectory("personas");
        // A persona without tools, so its turn streams straight through the gateway.
        Files.writeString(personas.resolve("plain.yaml"), """
                id: plain
                name: Plain
                description: answers directly
                system_prompt: Answer briefly.
                model: default
                domains: [general]
                tools: []
                coordinator: false
                """);
        String yaml = """
                gateway:
                  providers:
                    openai: { kind: openai, base_url: "%1$s/v1", api_key: "sk-o" }
                    claude: { kind: anthropic, base_url: "%1$s", api_key: "sk-a", models: [ cut-claude ] }
                    gem: { kind: gemini, base_url: "%1$s", api_key: "g-key", models: [ cut-gemini ] }
                    llama: { kind: ollama, base_url: "%1$s", models: [ cut-ollama ] }
                  retry: { attempts: 0 }
                  routes:
                    - { alias: default, targets: [ { provider: openai, model: cut-openai } ] }
                    - { alias: whole, targets: [ { provider: openai, model: whole-openai } ] }
                """.formatted(upstream.baseUrl());
        server = TestServer.start(
                TestServer.Storage.SQLITE,
                Map.of("orchestra.personas.dir", personas.toString(), "orchestra.chat.extract-memories", "false"),
                yaml);
        key = server.createKey("cut", "member", "team-cut");
        String[] openAi = new String[3];
        for (int i = 0; i < 3; i++) {
            openAi[i] = "data: " + OPENAI_HEAD + "{\"index\":0,\"delta\":{\"content\":\"part" + i
                    + " \"},\"logprobs\":null,\"finish_reason\":null}]}\n\n";
        }
        upstream.script("cut-openai", ScriptedUpstream.Reply.sse(openAi));
        upstream.script(
                "whole-openai",
                ScriptedUpstream.Reply.sse(
                        openAi[0],
                        "data: " + OPENAI_HEAD + "{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n",
                        "data: [DONE]\n\n"));
        upstream.script(
                "cut-claude",
                ScriptedUpstream.Reply.sse(
                        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"cut-claude\",\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}}\n\n",
                        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}\n\n"));
        upstream.script(
                "cut-gemini",
                ScriptedUpstream.Reply.sse(
                        "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hello\"}],\"role\":\"model\"},\"index\":0}]}\r\n\r\n"));
        upstream.script(
                "cut-ollama",
                ScriptedUpstream.Reply.stream(
                        "application/x-ndjson",
                        List.of(
                                "{\"model\":\"cut-ollama\",\"message\":{\"role\":\"assistant\",\"content\":\"Hello\"},\"done\":false}\n"
                                        .getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    }

    @AfterAll
    static void stop() {
        server.close();
        upstream.close();
    }

    static HttpResponse<String> stream(String model) {
        return server.send(server.request("/v1/chat/completions", key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model
                        + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}"))
                .build());
    }

    static JsonNode logRow(String logId) throws InterruptedException {
        return logRow(server, key, logId);
    }

    /** The call's row; a stream's row is written just after its last byte went out, so wait briefly for it. */
    static JsonNode logRow(TestServer server, String key, String logId) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            server.orchestra().usageRecorder().flush();
            for (JsonNode row :
                    Json.tree(server.get("/api/requests", key).body()).path("data")) {
                if (row.path("id").asString().equals(logId)) {
                    return row;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no request log row " + logId);
    }

    static void assertCutOff(HttpResponse<String> response, String firstContent) throws InterruptedException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> events = GatewayHttpTest.data(response.body());
        assertThat(String.join("", events)).contains(firstContent);
        assertThat(events).doesNotContain("[DONE]");
        JsonNode error = Json.tree(events.getLast()).path("error");
        assertThat(error.path("type").asString()).isEqualTo("upstream_error");
        assertThat(error.path("message").asString()).contains("before the answer was complete");
        JsonNode row =
                logRow(response.headers().firstValue(Gateway.LOG_ID_HEADER).orElseThrow());
        assertThat(row.path("status").asInt()).isEqualTo(502);
        assertThat(row.path("error").asString()).isEqualTo(Gateway.TRUNCATED);
    }

    @Test
    void openAiStreamClosedWithoutFinishReasonOrDoneEndsWithAnErrorAndIsLoggedAs502() throws Exception {
        HttpResponse<String> response = stream("default");
        assertCutOff(response, "part2 ");
        assertThat(GatewayHttpTest.data(response.body())).hasSize(4);
    }

    @Test
    void anthropicStreamWithoutMessageStopIsCutOff() throws Exception {
        assertCutOff(stream("claude/cut-claude"), "\"content\":\"Hello\"");
    }

    @Test
    void geminiStreamWithoutFinishReasonIsCutOff() throws Exception {
        assertCutOff(stream("gem/cut-gemini"), "\"content\":\"Hello\"");
    }

    @Test
    void ollamaStreamWithoutDoneIsCutOff() throws Exception {
        assertCutOff(stream("llama/cut-ollama"), "\"content\":\"Hello\"");
    }

    @Test
    void aWholeStreamStillEndsWithDoneAndIsLoggedAs200() throws Exception {
        HttpResponse<String> response = stream("whole");
        assertThat(GatewayHttpTest.data(response.body()).getLast()).isEqualTo("[DONE]");
        JsonNode row =
                logRow(response.headers().firstValue(Gateway.LOG_ID_HEADER).orElseThrow());
        assertThat(row.path("status").asInt()).isEqualTo(200);
    }

    @Test
    void personaStreamOverACutOffAnswerFailsTheRunAndKeepsNoHalfAnswer() {
        HttpResponse<String> response = stream("persona:plain");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> events = GatewayHttpTest.data(response.body());
        assertThat(events).doesNotContain("[DONE]");
        assertThat(Json.tree(events.getLast()).path("error").path("type").asString())
                .isEqualTo("upstream_error");
        String runId = response.headers().firstValue("x-orchestra-run").orElseThrow();
        JsonNode run = Json.tree(server.get("/api/runs/" + runId, key).body());
        assertThat(run.path("status").asString()).isEqualTo("failed");
        assertThat(run.path("error").asString()).contains("before the answer was complete");
        String session = response.headers().firstValue("x-orchestra-session").orElseThrow();
        JsonNode messages =
                Json.tree(server.get("/api/sessions/" + session, key).body()).path("messages");
        assertThat(messages.findValuesAsString("content")).noneMatch(c -> c.contains("part0"));
    }
}
