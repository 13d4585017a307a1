package io.orchestra.server.agents;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.json.Json;
import io.orchestra.server.TestServer;
import io.orchestra.server.gateway.FakeUpstream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Facts the user reveals are extracted after the reply, stored once, and recalled later. */
class MemoryWriteBackTest {
    @Test
    void extractsRemembersDeduplicatesAndRecalls() throws Exception {
        Path personas = Files.createTempDirectory("personas");
        Files.copy(Path.of("..", "personas", "cherry.yaml"), personas.resolve("cherry.yaml"));
        try (FakeUpstream upstream = new FakeUpstream();
                TestServer server = TestServer.start(
                        TestServer.Storage.SQLITE, Map.of("orchestra.personas.dir", personas.toString()), """
                        gateway:
                          providers:
                            openai: { kind: openai, base_url: "%s/openai/v1", api_key: "sk-test" }
                          routes:
                            - { alias: default, targets: [ { provider: openai, model: gpt-4o-mini } ] }
                        """.formatted(
                                        upstream.baseUrl()))) {
            String dana = server.createKey("dana", "member", "dana");
            String message =
                    "{\"persona\":\"cherry\",\"message\":\"I live in Oslo. I have two cats. What should I cook tonight?\"}";
            assertThat(server.post("/api/chat", dana, message).statusCode()).isEqualTo(200);
            JsonNode stored = awaitMemories(server, dana, 2);
            assertThat(stored.toString()).contains("I live in Oslo.", "I have two cats.", "extracted");

            assertThat(server.post("/api/chat", dana, message).statusCode()).isEqualTo(200);
            Thread.sleep(1500);
            assertThat(Json.tree(server.get("/api/memory/memories", dana).body())
                            .path("data"))
                    .hasSize(2);

            server.post("/api/chat", dana, "{\"persona\":\"cherry\",\"message\":\"Which city do I live in?\"}");
            JsonNode chatRequest = upstream.requests.stream()
                    .filter(r ->
                            r.path("messages").get(0).path("content").asString().startsWith("You are Cherry"))
                    .reduce((a, b) -> b)
                    .orElseThrow();
            assertThat(chatRequest.path("messages").get(0).path("content").asString())
                    .contains("I live in Oslo.");
            String erin = server.createKey("erin", "member", "erin");
            assertThat(Json.tree(server.get("/api/memory/memories", erin).body())
                            .path("data"))
                    .isEmpty();
        }
    }

    static JsonNode awaitMemories(TestServer server, String key, int count) throws InterruptedException {
        JsonNode data = null;
        for (int i = 0; i < 100; i++) {
            data = Json.tree(server.get("/api/memory/memories", key).body()).path("data");
            if (data.size() >= count) {
                return data;
            }
            Thread.sleep(100);
        }
        return data;
    }
}
