package io.orchestra.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.orchestra.core.json.Json;
import io.orchestra.server.TestServer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * An upstream 429 is back-pressure, not a fault: the target rests until its Retry-After (the
 * next target answers meanwhile), its circuit breaker stays closed, and when every target is
 * rate limited the client gets 429 with Retry-After, which the OpenAI SDK raises as a rate limit.
 */
class UpstreamRateLimitTest {
    static ScriptedUpstream upstream;
    static TestServer server;
    static String key;

    static final String OK =
            "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"spare\","
                    + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"finish_reason\":\"stop\"}],"
                    + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}}";
    static final String LIMITED =
            "{\"error\":{\"message\":\"Rate limit reached for requests\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}";

    @BeforeAll
    static void start() {
        upstream = new ScriptedUpstream();
        String yaml = """
                gateway:
                  providers:
                    openai: { kind: openai, base_url: "%1$s/v1", api_key: "sk-o" }
                  retry: { attempts: 2, backoff_ms: 1, max_backoff_ms: 5 }
                  circuit_breaker: { failures: 2, window_ms: 60000, cooldown_ms: 60000 }
                  routes:
                    - { alias: busy-then-spare, targets: [ { provider: openai, model: busy }, { provider: openai, model: spare } ] }
                    - { alias: all-busy, targets: [ { provider: openai, model: busy-a }, { provider: openai, model: busy-b } ] }
                """.formatted(upstream.baseUrl());
        server = TestServer.start(TestServer.Storage.SQLITE, Map.of(), yaml);
        key = server.createKey("busy", "member", "team-busy");
        upstream.script("busy", ScriptedUpstream.Reply.json(429, LIMITED, "Retry-After", "30"));
        upstream.script("spare", ScriptedUpstream.Reply.json(200, OK));
        upstream.script("busy-a", ScriptedUpstream.Reply.json(429, LIMITED, "Retry-After", "20"));
        upstream.script("busy-b", ScriptedUpstream.Reply.json(429, LIMITED, "Retry-After", "7"));
    }

    @AfterAll
    static void stop() {
        server.close();
        upstream.close();
    }

    static HttpResponse<String> chat(String model) {
        return server.post(
                "/v1/chat/completions",
                key,
                "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    }

    static String breakerState(String target) {
        JsonNode status =
                Json.tree(server.get("/api/routes/status", TestServer.ADMIN_KEY).body());
        JsonNode breaker = status.findValue(target);
        return breaker == null ? "CLOSED" : breaker.path("state").asString();
    }

    @Test
    void aRateLimitedTargetRestsUntilItsRetryAfterWhileTheNextTargetAnswers() {
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> response = chat("busy-then-spare");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.headers().firstValue("x-orchestra-provider")).contains("openai");
            assertThat(response.headers().firstValue("x-orchestra-model")).contains("spare");
        }
        // One 429, no retries against it, then skipped for its 30 s.
        assertThat(upstream.calls("busy")).isEqualTo(1);
        assertThat(breakerState("openai/busy")).isEqualTo("CLOSED");
    }

    @Test
    void whenEveryTargetIsRateLimitedTheClientGets429WithRetryAfterNot503() {
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> response = chat("all-busy");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(429);
            long retryAfter =
                    Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow());
            // The shortest wait among the targets (busy-b's 7 s), counting down.
            assertThat(retryAfter).isBetween(1L, 7L);
            JsonNode error = Json.tree(response.body()).path("error");
            assertThat(error.path("type").asString()).isEqualTo("rate_limit_error");
            assertThat(error.path("code").asString()).isEqualTo("upstream_rate_limited");
        }
        assertThat(upstream.calls("busy-a")).isEqualTo(1);
        assertThat(upstream.calls("busy-b")).isEqualTo(1);
        assertThat(breakerState("openai/busy-a")).isEqualTo("CLOSED");
        assertThat(breakerState("openai/busy-b")).isEqualTo("CLOSED");
    }

    @Test
    void theOpenAiSdkRaisesARateLimitErrorWhenEveryTargetIsBusy() {
        OpenAIClient client = OpenAIOkHttpClient.builder()
                .baseUrl(server.baseUrl() + "/v1")
                .apiKey(key)
                .maxRetries(0)
                .build();
        try {
            assertThatThrownBy(() -> client.chat()
                            .completions()
                            .create(ChatCompletionCreateParams.builder()
                                    .model("all-busy")
                                    .addUserMessage("Hi")
                                    .build()))
                    .isInstanceOfSatisfying(
                            RateLimitException.class,
                            e -> assertThat(e.headers().values("Retry-After")).isNotEmpty());
        } finally {
            client.close();
        }
    }
}
