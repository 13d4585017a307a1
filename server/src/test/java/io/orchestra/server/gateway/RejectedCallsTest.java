package io.orchestra.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.json.Json;
import io.orchestra.gateway.Gateway;
import io.orchestra.server.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Every call that authenticated has a request-log row with its status and reason, refusals
 * included: a body that is not JSON, an invalid request, an unknown model, a rate limit and a
 * spent budget. Each owner sees only their own rows.
 */
class RejectedCallsTest {
    static ScriptedUpstream upstream;
    static TestServer server;

    static final String OK =
            "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"gpt-4o-mini\","
                    + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"finish_reason\":\"stop\"}],"
                    + "\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":1000,\"total_tokens\":2000}}";

    @BeforeAll
    static void start() {
        upstream = new ScriptedUpstream();
        String yaml = """
                gateway:
                  providers:
                    openai: { kind: openai, base_url: "%s/v1", api_key: "sk-o" }
                  routes:
                    - { alias: chat, targets: [ { provider: openai, model: gpt-4o-mini } ] }
                    - { alias: embed, targets: [ { provider: openai, model: text-embedding-3-small } ] }
                """.formatted(upstream.baseUrl());
        server = TestServer.start(TestServer.Storage.SQLITE, Map.of(), yaml);
        upstream.script("gpt-4o-mini", ScriptedUpstream.Reply.json(200, OK));
    }

    @AfterAll
    static void stop() {
        server.close();
        upstream.close();
    }

    static HttpResponse<String> post(String path, String key, String body) {
        return server.send(server.request(path, key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    static void limits(String name, String json) {
        String id = null;
        for (JsonNode k :
                Json.tree(server.get("/api/keys", TestServer.ADMIN_KEY).body()).path("data")) {
            if (k.path("name").asString().equals(name)) {
                id = k.path("id").asString();
            }
        }
        HttpResponse<String> set = server.send(server.request("/api/keys/" + id + "/limits", TestServer.ADMIN_KEY)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json))
                .build());
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
    }

    /** The refused call's row, found by the log id its answer carries. */
    static JsonNode row(HttpResponse<String> response, String key, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        String id = response.headers().firstValue(Gateway.LOG_ID_HEADER).orElseThrow();
        JsonNode row = TruncatedStreamTest.logRow(server, key, id);
        assertThat(row.path("status").asInt()).isEqualTo(status);
        assertThat(row.path("error").asString())
                .isEqualTo(
                        Json.tree(response.body()).path("error").path("message").asString());
        return row;
    }

    @Test
    void badRequestsUnknownModelsAndLimitsAllLeaveARowWithStatusAndReason() throws Exception {
        String alice = server.createKey("alice-app", "member", "alice");
        String bob = server.createKey("bob-app", "member", "bob");
        List<String> aliceRows = new ArrayList<>();

        JsonNode malformed = row(post("/v1/chat/completions", alice, "{\"model\":"), alice, 400);
        assertThat(malformed.path("endpoint").asString()).isEqualTo("chat");
        aliceRows.add(malformed.path("id").asString());

        JsonNode noMessages = row(post("/v1/chat/completions", alice, "{\"model\":\"chat\"}"), alice, 400);
        assertThat(noMessages.path("error").asString()).contains("messages");
        aliceRows.add(noMessages.path("id").asString());

        JsonNode unknown = row(
                post(
                        "/v1/chat/completions",
                        alice,
                        "{\"model\":\"no-such-model\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"),
                alice,
                404);
        assertThat(unknown.path("alias").asString()).isEqualTo("no-such-model");
        aliceRows.add(unknown.path("id").asString());

        JsonNode emptyInput = row(post("/v1/embeddings", alice, "{\"model\":\"embed\",\"input\":[]}"), alice, 400);
        assertThat(emptyInput.path("endpoint").asString()).isEqualTo("embeddings");
        aliceRows.add(emptyInput.path("id").asString());

        limits("alice-app", "{\"requests_per_minute\":1}");
        String chat = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        HttpResponse<String> first = post("/v1/chat/completions", alice, chat);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        HttpResponse<String> limited = post("/v1/chat/completions", alice, chat);
        JsonNode rateLimited = row(limited, alice, 429);
        assertThat(rateLimited.path("error").asString()).contains("1 requests per minute");
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();
        aliceRows.add(rateLimited.path("id").asString());

        // A budget just under one call ($0.00075): the first call spends it, the second is refused.
        limits("bob-app", "{\"daily_budget_usd\":0.0007}");
        HttpResponse<String> spend = post("/v1/chat/completions", bob, chat);
        assertThat(spend.statusCode()).as(spend.body()).isEqualTo(200);
        JsonNode budget = row(post("/v1/chat/completions", bob, chat), bob, 429);
        assertThat(budget.path("error").asString()).contains("budget");

        server.orchestra().usageRecorder().flush();
        List<String> bobSees = Json.tree(
                        server.get("/api/requests?status=error", bob).body())
                .path("data")
                .findValuesAsString("id");
        assertThat(bobSees).contains(budget.path("id").asString()).doesNotContainAnyElementsOf(aliceRows);
        List<String> aliceSees = Json.tree(
                        server.get("/api/requests?status=error", alice).body())
                .path("data")
                .findValuesAsString("id");
        assertThat(aliceSees)
                .containsAll(aliceRows)
                .doesNotContain(budget.path("id").asString());
    }
}
