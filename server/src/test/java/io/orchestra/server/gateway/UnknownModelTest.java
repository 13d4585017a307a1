package io.orchestra.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.json.Json;
import io.orchestra.server.TestServer;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A model name nothing in the configuration offers is a 404 before any meter, metric label or
 * circuit breaker exists for it, so a member cannot grow the server's state by inventing names.
 */
class UnknownModelTest {
    /** The request-driven series /metrics exposes (name and labels, without values). */
    static Set<String> series(TestServer server) {
        Set<String> series = new TreeSet<>();
        for (String line : server.get("/metrics", null).body().split("\n")) {
            // The gateway's and the HTTP server's meters (the JVM's come and go with garbage collections).
            if (line.startsWith("gen_ai_")
                    || line.startsWith("orchestra_gateway_")
                    || line.startsWith("http_server_")) {
                series.add(line.substring(0, line.lastIndexOf(' ')));
            }
        }
        return series;
    }

    static int breakers(TestServer server) {
        return Json.tree(server.get("/api/routes/status", TestServer.ADMIN_KEY).body())
                .path("circuits")
                .size();
    }

    static void assertModelNotFound(HttpResponse<String> response, String model) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
        JsonNode error = Json.tree(response.body()).path("error");
        assertThat(error.path("code").asString()).isEqualTo("model_not_found");
        assertThat(error.path("type").asString()).isEqualTo("not_found_error");
        assertThat(error.path("message").asString()).contains("'" + model + "'");
    }

    @Test
    void unknownModelsAre404sThatLeaveMetricsAndBreakersAsTheyWere() {
        try (GatewayFixture fixture = new GatewayFixture(TestServer.Storage.SQLITE, Map.of())) {
            TestServer server = fixture.server;
            String bob = server.createKey("bob", "member", "bob");
            // A configured direct name works; each kind of refusal happens once, so its HTTP timer exists.
            assertThat(server.post("/v1/chat/completions", bob, chat("openai/gpt-4o-mini", false))
                            .statusCode())
                    .isEqualTo(200);
            assertModelNotFound(
                    server.post("/v1/chat/completions", bob, chat("openai/warm-up", false)), "openai/warm-up");
            assertModelNotFound(
                    server.post("/v1/embeddings", bob, "{\"model\":\"openai/warm-up\",\"input\":\"hi\"}"),
                    "openai/warm-up");
            // So the status and metrics routes' own HTTP timers exist before the baseline.
            breakers(server);
            series(server);
            int breakersBefore = breakers(server);
            Set<String> before = series(server);
            int upstreamCalls = fixture.upstream.requests.size();

            for (int i = 0; i < 300; i++) {
                String model = switch (i % 4) {
                    case 0 -> "openai/bob-card-" + i;
                    case 1 -> "claude/bob-card-" + i;
                    case 2 -> "nowhere/bob-card-" + i;
                    default -> "bob-card-" + i;
                };
                assertModelNotFound(server.post("/v1/chat/completions", bob, chat(model, i % 2 == 0)), model);
            }
            for (int i = 0; i < 10; i++) {
                String model = "openai/bob-embed-" + i;
                assertModelNotFound(
                        server.post("/v1/embeddings", bob, "{\"model\":\"" + model + "\",\"input\":\"hi\"}"), model);
            }

            Set<String> after = series(server);
            Set<String> added = new TreeSet<>(after);
            added.removeAll(before);
            assertThat(added).isEmpty();
            assertThat(after).hasSameSizeAs(before);
            assertThat(breakers(server)).isEqualTo(breakersBefore);
            assertThat(fixture.upstream.requests).hasSize(upstreamCalls);
        }
    }

    @Test
    void retrievesOneModelByIdSlashesIncluded() {
        try (GatewayFixture fixture = new GatewayFixture(TestServer.Storage.SQLITE, Map.of())) {
            TestServer server = fixture.server;
            String key = server.createKey("app", "member", "app");
            JsonNode list = Json.tree(server.get("/v1/models", key).body());
            assertThat(list.path("data").findValuesAsString("id"))
                    .contains("chat", "fallback", "openai/gpt-4o-mini", "claude/claude-haiku-4-5")
                    .doesNotContain("openai/bob-card-1");
            for (String path : new String[] {"/v1/models/openai/gpt-4o-mini", "/v1/models/openai%2Fgpt-4o-mini"}) {
                HttpResponse<String> direct = server.get(path, key);
                assertThat(direct.statusCode()).as(path + ": " + direct.body()).isEqualTo(200);
                JsonNode model = Json.tree(direct.body());
                assertThat(model.path("id").asString()).isEqualTo("openai/gpt-4o-mini");
                assertThat(model.path("object").asString()).isEqualTo("model");
                assertThat(model.path("owned_by").asString()).isEqualTo("openai");
                assertThat(model.path("created").isIntegralNumber()).isTrue();
            }
            JsonNode alias = Json.tree(server.get("/v1/models/chat", key).body());
            assertThat(alias.path("id").asString()).isEqualTo("chat");
            assertThat(alias.path("owned_by").asString()).isEqualTo("orchestra");
            assertModelNotFound(server.get("/v1/models/no-such-model", key), "no-such-model");
            assertModelNotFound(server.get("/v1/models/openai/bob-card-1", key), "openai/bob-card-1");
            assertThat(server.get("/v1/models/chat", "orc_wrong").statusCode()).isEqualTo(401);
        }
    }

    static String chat(String model, boolean stream) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }
}
