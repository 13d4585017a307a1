package io.orchestra.server.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.json.Json;
import io.orchestra.server.TestServer;
import io.orchestra.server.gateway.FakeUpstream;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** /api/health's providers component over real HTTP against a fake provider: up, failing, open, recovered. */
class ProviderHealthTest {

    private static JsonNode provider(TestServer server, String name) {
        JsonNode health =
                Json.tree(server.get("/api/health", TestServer.ADMIN_KEY).body());
        for (JsonNode p : health.path("components").path("providers").path("providers")) {
            if (p.path("name").asString().equals(name)) {
                return p;
            }
        }
        throw new AssertionError("no provider " + name + " in " + health);
    }

    private static int chat(TestServer server, String alias) {
        return server.post(
                        "/v1/chat/completions",
                        TestServer.ADMIN_KEY,
                        "{\"model\":\"" + alias + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .statusCode();
    }

    @Test
    void aProviderIsDegradedWhileItsCircuitIsOpenOrItsLastCallsFailed() {
        try (FakeUpstream upstream = new FakeUpstream();
                TestServer server =
                        TestServer.start(TestServer.Storage.SQLITE, Map.of(), """
                        gateway:
                          providers:
                            good: { kind: openai, base_url: "%1$s/openai/v1", api_key: "sk-test" }
                            bad: { kind: openai, base_url: "%1$s/openai/v1", api_key: "sk-secret-never-shown" }
                          retry: { attempts: 0, backoff_ms: 10, max_backoff_ms: 50 }
                          circuit_breaker: { failures: 3, window_ms: 600000, cooldown_ms: 600000 }
                          routes:
                            - { alias: fine, targets: [ { provider: good, model: gpt-4o-mini } ] }
                            - { alias: refused, targets: [ { provider: good, model: fail-400 } ] }
                            - { alias: flaky, targets: [ { provider: bad, model: flaky-4 } ] }
                        """.formatted(upstream.baseUrl()))) {
            assertThat(chat(server, "fine")).isEqualTo(200);
            assertThat(provider(server, "good").path("status").asString()).isEqualTo("up");
            assertThat(provider(server, "bad").path("status").asString()).isEqualTo("up");

            // A request the provider refuses (400) is the caller's fault: the provider stays up.
            assertThat(chat(server, "refused")).isEqualTo(400);
            assertThat(provider(server, "good").path("status").asString()).isEqualTo("up");

            // One failure: the breaker is closed, but the last call failed.
            assertThat(chat(server, "flaky")).isEqualTo(502);
            JsonNode bad = provider(server, "bad");
            assertThat(bad.path("status").asString()).isEqualTo("degraded");
            assertThat(bad.path("reason").asString()).isEqualTo("last calls failed: bad/flaky-4 (1)");
            JsonNode report =
                    Json.tree(server.get("/api/health", TestServer.ADMIN_KEY).body());
            assertThat(report.path("status").asString()).isEqualTo("degraded");
            assertThat(report.path("components")
                            .path("providers")
                            .path("status")
                            .asString())
                    .isEqualTo("degraded");

            // Three failures open the circuit.
            assertThat(chat(server, "flaky")).isEqualTo(502);
            assertThat(chat(server, "flaky")).isEqualTo(502);
            assertThat(provider(server, "bad").path("reason").asString()).isEqualTo("circuit open: bad/flaky-4");
            assertThat(server.get("/api/health", TestServer.ADMIN_KEY).body()).doesNotContain("sk-secret");

            // Members may not read /api/health (they see provider health on the overview instead).
            String member = server.createKey("m", "member", "m");
            assertThat(server.get("/api/health", member).statusCode()).isEqualTo(403);
        }
    }

    @Test
    void aSuccessAfterAFailureBringsTheProviderBack() {
        try (FakeUpstream upstream = new FakeUpstream();
                TestServer server =
                        TestServer.start(TestServer.Storage.SQLITE, Map.of(), """
                        gateway:
                          providers:
                            shaky: { kind: openai, base_url: "%s/openai/v1", api_key: "sk-test" }
                          retry: { attempts: 0, backoff_ms: 10, max_backoff_ms: 50 }
                          routes:
                            - { alias: wobbly, targets: [ { provider: shaky, model: flaky-1 } ] }
                        """.formatted(upstream.baseUrl()))) {
            assertThat(chat(server, "wobbly")).isEqualTo(502);
            assertThat(provider(server, "shaky").path("status").asString()).isEqualTo("degraded");
            assertThat(chat(server, "wobbly")).isEqualTo(200);
            assertThat(provider(server, "shaky").path("status").asString()).isEqualTo("up");
            assertThat(provider(server, "shaky").has("reason")).isFalse();
            assertThat(Json.tree(server.get("/api/health", TestServer.ADMIN_KEY).body())
                            .path("status")
                            .asString())
                    .isEqualTo("up");
        }
    }
}
