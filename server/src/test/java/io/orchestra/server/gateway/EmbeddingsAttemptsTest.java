package io.orchestra.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.json.Json;
import io.orchestra.gateway.Gateway;
import io.orchestra.server.TestServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Embeddings go through the same attempts as chat (retry, fallback, breaker, metrics, request
 * log), every provider's embeddings call carries its key and configured headers, and a Gemini
 * stream ends with the usage chunk the client asked for. Fake providers over real HTTP.
 */
class EmbeddingsAttemptsTest {
    static ScriptedUpstream upstream;
    static TestServer server;
    static String key;

    static final String OPENAI_VECTORS =
            "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.5,-0.25]}],"
                    + "\"model\":\"m\",\"usage\":{\"prompt_tokens\":3,\"total_tokens\":3}}";
    static final String OVERLOADED = "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}";

    @BeforeAll
    static void start() {
        upstream = new ScriptedUpstream();
        String yaml = """
                gateway:
                  providers:
                    openai: { kind: openai, base_url: "%1$s/v1", api_key: "sk-o" }
                    llama: { kind: ollama, base_url: "%1$s", api_key: "ollama-key", headers: { X-Team: llamas } }
                    gem: { kind: gemini, base_url: "%1$s", api_key: "gem-key", headers: { X-Goog-User-Project: proj-7 } }
                  retry: { attempts: 1, backoff_ms: 1, max_backoff_ms: 5 }
                  routes:
                    - { alias: flaky-embed, targets: [ { provider: openai, model: flaky-embed } ] }
                    - { alias: fallback-embed, targets: [ { provider: openai, model: down-embed }, { provider: llama, model: nomic } ] }
                    - { alias: dead-embed, targets: [ { provider: openai, model: dead-embed } ] }
                    - { alias: gem-embed, targets: [ { provider: gem, model: text-embedding-004 } ] }
                    - { alias: gem-chat, targets: [ { provider: gem, model: gemini-2.5-flash } ] }
                """.formatted(upstream.baseUrl());
        server = TestServer.start(TestServer.Storage.SQLITE, Map.of(), yaml);
        key = server.createKey("embedder", "member", "team-embed");
        upstream.script(
                "flaky-embed",
                ScriptedUpstream.Reply.json(503, OVERLOADED),
                ScriptedUpstream.Reply.json(200, OPENAI_VECTORS));
        upstream.script("down-embed", ScriptedUpstream.Reply.json(500, OVERLOADED));
        upstream.script("dead-embed", ScriptedUpstream.Reply.json(500, OVERLOADED));
        upstream.script(
                "nomic",
                ScriptedUpstream.Reply.json(
                        200, "{\"model\":\"nomic\",\"embeddings\":[[0.1,0.2,0.3]],\"prompt_eval_count\":4}"));
        upstream.script(
                "text-embedding-004", ScriptedUpstream.Reply.json(200, "{\"embeddings\":[{\"values\":[0.75,0.5]}]}"));
        upstream.script(
                "gemini-2.5-flash",
                ScriptedUpstream.Reply.sse(
                        "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}],\"role\":\"model\"},\"index\":0}],\"modelVersion\":\"gemini-2.5-flash\"}\r\n\r\n",
                        "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\" there\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],"
                                + "\"usageMetadata\":{\"promptTokenCount\":9,\"candidatesTokenCount\":4,\"totalTokenCount\":13},\"modelVersion\":\"gemini-2.5-flash\"}\r\n\r\n"));
    }

    @AfterAll
    static void stop() {
        server.close();
        upstream.close();
    }

    static HttpResponse<String> embed(String model) {
        return server.post("/v1/embeddings", key, "{\"model\":\"" + model + "\",\"input\":\"hello\"}");
    }

    static ScriptedUpstream.Received lastCall(String pathPart) {
        return upstream.received.stream()
                .filter(r -> r.path().contains(pathPart))
                .reduce((a, b) -> b)
                .orElseThrow();
    }

    static String header(ScriptedUpstream.Received call, String name) {
        return call.headers().entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(null);
    }

    @Test
    void aTransientEmbeddingsFailureIsRetriedOnTheSameTarget() {
        HttpResponse<String> response = embed("flaky-embed");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-orchestra-attempts")).contains("2");
        assertThat(Json.tree(response.body())
                        .path("data")
                        .get(0)
                        .path("embedding")
                        .get(0)
                        .asDouble())
                .isEqualTo(0.5);
    }

    @Test
    void embeddingsFallBackToTheNextTargetAndTheFallbackShowsInMetrics() {
        HttpResponse<String> response = embed("fallback-embed");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-orchestra-provider")).contains("llama");
        assertThat(response.headers().firstValue("x-orchestra-attempts")).contains("3");
        assertThat(Json.tree(response.body())
                        .path("usage")
                        .path("prompt_tokens")
                        .asInt())
                .isEqualTo(4);
        String metrics = server.get("/metrics", null).body();
        assertThat(metrics.lines())
                .anyMatch(l -> l.startsWith("orchestra_gateway_attempts_total{")
                        && l.contains("model=\"down-embed\"")
                        && l.contains("outcome=\"status\""))
                .anyMatch(l -> l.startsWith("orchestra_gateway_attempts_total{")
                        && l.contains("model=\"nomic\"")
                        && l.contains("outcome=\"ok\""));
    }

    @Test
    void ollamaEmbeddingsSendTheKeyAndTheConfiguredHeaders() {
        assertThat(embed("llama/nomic").statusCode()).isEqualTo(200);
        ScriptedUpstream.Received call = lastCall("/api/embed");
        assertThat(header(call, "Authorization")).isEqualTo("Bearer ollama-key");
        assertThat(header(call, "X-Team")).isEqualTo("llamas");
    }

    @Test
    void geminiEmbeddingsKeepTheConfiguredHeaders() {
        HttpResponse<String> response = embed("gem-embed");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        ScriptedUpstream.Received call = lastCall(":batchEmbedContents");
        assertThat(header(call, "x-goog-api-key")).isEqualTo("gem-key");
        assertThat(header(call, "X-Goog-User-Project")).isEqualTo("proj-7");
    }

    @Test
    void aFailedEmbeddingsCallHasARequestLogRow() throws Exception {
        HttpResponse<String> response = embed("dead-embed");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(502);
        assertThat(Json.tree(response.body()).path("error").path("type").asString())
                .isEqualTo("api_error");
        JsonNode row = TruncatedStreamTest.logRow(
                server,
                key,
                response.headers().firstValue(Gateway.LOG_ID_HEADER).orElseThrow());
        assertThat(row.path("status").asInt()).isEqualTo(502);
        assertThat(row.path("endpoint").asString()).isEqualTo("embeddings");
        assertThat(row.path("attempts").asInt()).isEqualTo(2);
        assertThat(row.path("error").asString()).contains("overloaded");
    }

    @Test
    void geminiStreamEndsWithTheUsageChunkTheClientAskedFor() {
        HttpResponse<String> response = server.post(
                "/v1/chat/completions",
                key,
                "{\"model\":\"gem-chat\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> events = GatewayHttpTest.data(response.body());
        assertThat(events.getLast()).isEqualTo("[DONE]");
        JsonNode usageChunk = Json.tree(events.get(events.size() - 2));
        assertThat(usageChunk.path("choices")).isEmpty();
        assertThat(usageChunk.path("usage").path("prompt_tokens").asInt()).isEqualTo(9);
        assertThat(usageChunk.path("usage").path("completion_tokens").asInt()).isEqualTo(4);
        assertThat(usageChunk.path("usage").path("total_tokens").asInt()).isEqualTo(13);
    }
}
