package io.orchestra.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.server.TestServer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A differently worded question with the same meaning is served from the semantic cache. */
class SemanticCacheTest {
    static String chat(String question) {
        return "{\"model\":\"cached\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\""
                + question + "\"}]}";
    }

    @Test
    void servesParaphrasesAndMissesOtherQuestions() {
        try (FakeUpstream upstream = new FakeUpstream();
                TestServer server =
                        TestServer.start(TestServer.Storage.SQLITE, Map.of(), """
                        gateway:
                          providers:
                            openai: { kind: openai, base_url: "%s/openai/v1", api_key: "sk-test" }
                          cache: { semantic_threshold: 0.9 }
                          routes:
                            - { alias: cached, cache_ttl_seconds: 60, targets: [ { provider: openai, model: gpt-4o-mini } ] }
                        """.formatted(upstream.baseUrl()))) {
            String key = server.createKey("app", "member", "app");
            HttpResponse<String> first =
                    server.post("/v1/chat/completions", key, chat("What is the capital of France?"));
            assertThat(first.headers().firstValue("x-orchestra-cache")).contains("miss");
            int calls = upstream.calls("gpt-4o-mini");
            HttpResponse<String> paraphrase =
                    server.post("/v1/chat/completions", key, chat("What's the capital city of France?"));
            assertThat(paraphrase.headers().firstValue("x-orchestra-cache")).contains("hit");
            assertThat(paraphrase.body()).isEqualTo(first.body());
            assertThat(upstream.calls("gpt-4o-mini")).isEqualTo(calls);
            HttpResponse<String> other =
                    server.post("/v1/chat/completions", key, chat("How do I bake sourdough bread?"));
            assertThat(other.headers().firstValue("x-orchestra-cache")).contains("miss");
            assertThat(upstream.calls("gpt-4o-mini")).isEqualTo(calls + 1);
            String otherSystem =
                    "{\"model\":\"cached\",\"messages\":[{\"role\":\"system\",\"content\":\"Answer in French.\"},"
                            + "{\"role\":\"user\",\"content\":\"What's the capital city of France?\"}]}";
            assertThat(server.post("/v1/chat/completions", key, otherSystem)
                            .headers()
                            .firstValue("x-orchestra-cache"))
                    .contains("miss");
            assertThat(server.get("/metrics", null).body())
                    .contains("orchestra_gateway_cache_total{result=\"semantic_hit\"} 1.0");
        }
    }
}
