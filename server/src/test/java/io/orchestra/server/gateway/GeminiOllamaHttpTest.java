package io.orchestra.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.json.Json;
import io.orchestra.server.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Gemini and Ollama over real HTTP: plain and streamed answers in the OpenAI shape, and fallback between them. */
class GeminiOllamaHttpTest {
    static String body(String model, boolean stream) {
        return "{\"model\":\"" + model + "\","
                + (stream ? "\"stream\":true,\"stream_options\":{\"include_usage\":true}," : "")
                + "\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Hi\"}]}";
    }

    @Test
    void geminiAndOllamaAnswerInTheOpenAiShape() {
        try (FakeUpstream upstream = new FakeUpstream();
                TestServer server =
                        TestServer.start(TestServer.Storage.SQLITE, Map.of(), """
                        gateway:
                          providers:
                            gemini: { kind: gemini, base_url: "%1$s/gemini", api_key: "AIza-test-key" }
                            local: { kind: ollama, base_url: "%1$s/ollama" }
                          retry: { attempts: 0 }
                          routes:
                            - { alias: gem, targets: [ { provider: gemini, model: gemini-2.5-flash } ] }
                            - { alias: llama, targets: [ { provider: local, model: llama3.2 } ] }
                            - { alias: local-first, targets: [ { provider: local, model: fail-500 }, { provider: gemini, model: gemini-2.5-flash } ] }
                        """.formatted(upstream.baseUrl()))) {
            String key = server.createKey("app", "member", "app");
            JsonNode gem = Json.tree(
                    server.post("/v1/chat/completions", key, body("gem", false)).body());
            assertThat(gem.path("choices")
                            .get(0)
                            .path("message")
                            .path("content")
                            .asString())
                    .isEqualTo("Hello from Gemini");
            assertThat(gem.path("usage").path("total_tokens").asInt()).isEqualTo(13);
            assertThat(upstream.headers.getLast().get("x-goog-api-key")).isEqualTo("AIza-test-key");
            assertThat(upstream.requests
                            .getLast()
                            .path("systemInstruction")
                            .path("parts")
                            .get(0)
                            .path("text")
                            .asString())
                    .isEqualTo("Be brief.");

            String gemStream = server.send(server.request("/v1/chat/completions", key)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body("gem", true)))
                            .build())
                    .body();
            assertThat(gemStream)
                    .contains("\"content\":\"Hello\"", "\"content\":\" from Gemini\"", "\"finish_reason\":\"stop\"")
                    .endsWith("data: [DONE]\n\n");

            JsonNode llama = Json.tree(server.post("/v1/chat/completions", key, body("llama", false))
                    .body());
            assertThat(llama.path("choices")
                            .get(0)
                            .path("message")
                            .path("content")
                            .asString())
                    .isEqualTo("Hello from Ollama");
            assertThat(upstream.requests.getLast().path("stream").asBoolean()).isFalse();
            HttpResponse<String> llamaStream = server.send(server.request("/v1/chat/completions", key)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body("llama", true)))
                    .build());
            assertThat(llamaStream.body())
                    .contains("\"content\":\"Hello\"", "\"content\":\" from Ollama\"", "\"total_tokens\":10")
                    .endsWith("data: [DONE]\n\n");

            HttpResponse<String> fallback = server.post("/v1/chat/completions", key, body("local-first", false));
            assertThat(fallback.headers().firstValue("x-orchestra-provider")).contains("gemini");
            assertThat(Json.tree(fallback.body())
                            .path("choices")
                            .get(0)
                            .path("message")
                            .path("content")
                            .asString())
                    .isEqualTo("Hello from Gemini");
        }
    }
}
