package io.orchestra.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.json.Json;
import io.orchestra.server.TestServer;
import io.orchestra.server.gateway.FakeUpstream;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Keys with an expiry and allowed models, as LiteLLM's: enforced on /v1 by the server's auth layer
 * (expired: 401; a model the key may not use: 403; /v1/models lists only what it may use), each in
 * OpenAI's error shape; and the last active admin key cannot be revoked (409).
 */
class KeyGrantTest {
    static FakeUpstream upstream;
    static TestServer server;

    @BeforeAll
    static void start() {
        upstream = new FakeUpstream();
        server = TestServer.start(TestServer.Storage.SQLITE, Map.of(), """
                gateway:
                  providers:
                    openai: { kind: openai, base_url: "%s/openai/v1", api_key: "sk-test" }
                  routes:
                    - { alias: chat, targets: [ { provider: openai, model: gpt-4o-mini } ] }
                    - { alias: premium, targets: [ { provider: openai, model: gpt-4o } ] }
                    - { alias: embed, targets: [ { provider: openai, model: text-embedding-3-small } ] }
                """.formatted(upstream.baseUrl()));
    }

    @AfterAll
    static void stop() {
        server.close();
        upstream.close();
    }

    /** Creates a key through the API; returns the whole answer (key and secret). */
    static JsonNode create(String json) {
        HttpResponse<String> created = server.post("/api/keys", TestServer.ADMIN_KEY, json);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return Json.tree(created.body());
    }

    static HttpResponse<String> chat(String secret, String model) {
        return server.post(
                "/v1/chat/completions",
                secret,
                "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    }

    /** OpenAI's error shape: {"error":{"message","type","code","param"}}. */
    static JsonNode openAiError(HttpResponse<String> response) {
        JsonNode error = Json.tree(response.body()).path("error");
        assertThat(error.path("message").isString()).as(response.body()).isTrue();
        assertThat(error.has("type") && error.has("code") && error.has("param"))
                .as(response.body())
                .isTrue();
        return error;
    }

    static List<String> modelIds(String secret) {
        List<String> ids = new ArrayList<>();
        Json.tree(server.get("/v1/models", secret).body())
                .path("data")
                .forEach(m -> ids.add(m.path("id").asString()));
        return ids;
    }

    @Test
    void aKeyLimitedToSomeModelsIsRefusedOthersAndListsOnlyItsOwn() {
        JsonNode limited = create(
                "{\"name\":\"limited\",\"role\":\"member\",\"owner\":\"ann\",\"models\":[\"chat\",\"embed\"],\"tags\":[\"team-a\"]}");
        String ann = limited.path("secret").asString();
        assertThat(limited.path("key").path("models").toString()).isEqualTo("[\"chat\",\"embed\"]");
        assertThat(limited.path("key").path("tags").toString()).isEqualTo("[\"team-a\"]");
        String ben = create("{\"name\":\"open\",\"role\":\"member\",\"owner\":\"ben\"}")
                .path("secret")
                .asString();

        assertThat(chat(ann, "chat").statusCode()).isEqualTo(200);
        HttpResponse<String> refused = chat(ann, "premium");
        assertThat(refused.statusCode()).isEqualTo(403);
        JsonNode error = openAiError(refused);
        assertThat(error.path("type").asString()).isEqualTo("permission_error");
        assertThat(error.path("code").asString()).isEqualTo("model_not_allowed");
        assertThat(error.path("message").asString()).contains("'premium'").contains("chat, embed");
        // The refusal is in ann's request log, with its reason, like every call that authenticated.
        String logId = refused.headers().firstValue("x-orchestra-log-id").orElseThrow();
        server.orchestra().usageRecorder().flush();
        JsonNode row = Json.tree(server.get("/api/requests/" + logId, ann).body());
        assertThat(row.path("status").asInt()).isEqualTo(403);
        assertThat(row.path("alias").asString()).isEqualTo("premium");
        assertThat(row.path("error").asString()).contains("may not use the model 'premium'");
        HttpResponse<String> persona = chat(ann, "persona:auto");
        assertThat(persona.statusCode()).as("personas need their own grant").isEqualTo(403);
        HttpResponse<String> embedding =
                server.post("/v1/embeddings", ann, "{\"model\":\"premium\",\"input\":\"hello\"}");
        assertThat(embedding.statusCode()).isEqualTo(403);
        assertThat(server.post("/v1/embeddings", ann, "{\"model\":\"embed\",\"input\":\"hello\"}")
                        .statusCode())
                .isEqualTo(200);
        assertThat(modelIds(ann)).containsExactly("chat", "embed");

        // Another owner's unlimited key is not affected by the first one's grant.
        assertThat(chat(ben, "premium").statusCode()).isEqualTo(200);
        assertThat(modelIds(ben)).startsWith("chat", "premium", "embed"); // then the configured provider/model names
    }

    @Test
    void aPrefixGrantMatchesByPrefix() {
        String key = create("{\"name\":\"prefix\",\"role\":\"member\",\"owner\":\"cat\",\"models\":[\"pre*\"]}")
                .path("secret")
                .asString();
        assertThat(chat(key, "premium").statusCode()).isEqualTo(200);
        assertThat(chat(key, "chat").statusCode()).isEqualTo(403);
    }

    @Test
    void anExpiredKeyGets401OnV1EvenRightAfterAnAcceptedCall() throws Exception {
        JsonNode created = create("{\"name\":\"brief\",\"role\":\"member\",\"owner\":\"dan\",\"duration\":\"2s\"}");
        String dan = created.path("secret").asString();
        java.time.Instant expires =
                java.time.Instant.parse(created.path("key").path("expiresAt").asString());
        assertThat(expires)
                .isBetween(java.time.Instant.now(), java.time.Instant.now().plusSeconds(3));
        String eve = create("{\"name\":\"lasting\",\"role\":\"member\",\"owner\":\"eve\",\"duration\":\"30d\"}")
                .path("secret")
                .asString();
        assertThat(chat(dan, "chat").statusCode()).isEqualTo(200);
        Thread.sleep(Math.max(
                        0,
                        java.time.Duration.between(java.time.Instant.now(), expires)
                                .toMillis())
                + 50);
        HttpResponse<String> expired = chat(dan, "chat");
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(openAiError(expired).path("type").asString()).isEqualTo("authentication_error");
        assertThat(server.get("/api/sessions", dan).statusCode()).isEqualTo(401);
        assertThat(chat(eve, "chat").statusCode())
                .as("another owner's key with time left")
                .isEqualTo(200);
    }

    @Test
    void badGrantsAreRefusedWithTheFieldsError() {
        for (String[] bad : new String[][] {
            {"\"duration\":\"soon\"", "422", "duration: "},
            {"\"duration\":\"0d\"", "422", "duration: "},
            {"\"expires_at\":\"2001-01-01T00:00:00Z\"", "422", "expires_at: "},
            {"\"expires_at\":\"tomorrow\"", "422", "expires_at: "},
            {"\"duration\":\"1d\",\"expires_at\":\"2999-01-01T00:00:00Z\"", "422", "expires_at: "},
            {"\"models\":\"chat\"", "400", "field 'models'"},
            {"\"budget\":5", "400", "unknown field 'budget'"}
        }) {
            HttpResponse<String> refused = server.post(
                    "/api/keys", TestServer.ADMIN_KEY, "{\"name\":\"x\",\"role\":\"member\"," + bad[0] + "}");
            assertThat(refused.statusCode()).as(bad[0]).isEqualTo(Integer.parseInt(bad[1]));
            JsonNode problem = Json.tree(refused.body());
            String first = problem.has("errors")
                    ? problem.path("errors").get(0).asString()
                    : problem.path("detail").asString();
            assertThat(first).as(bad[0]).startsWith(bad[2]);
        }
    }

    @Test
    void theLastActiveAdminKeyCannotBeRevoked() throws Exception {
        String adminPrefix = TestServer.ADMIN_KEY.substring(0, ApiKeyStore.KEY_PREFIX.length() + 6);
        String adminId = Json.tree(server.get("/api/keys", TestServer.ADMIN_KEY).body())
                .path("data")
                .valueStream()
                .filter(k -> k.path("prefix").asString().equals(adminPrefix))
                .findFirst()
                .orElseThrow()
                .path("id")
                .asString();
        JsonNode second = create("{\"name\":\"second admin\",\"role\":\"admin\"}");
        JsonNode brief = create("{\"name\":\"brief admin\",\"role\":\"admin\",\"duration\":\"1s\"}");
        HttpResponse<String> revokedSecond =
                server.delete("/api/keys/" + second.path("key").path("id").asString(), TestServer.ADMIN_KEY);
        assertThat(revokedSecond.statusCode()).as(revokedSecond.body()).isEqualTo(200);
        Thread.sleep(1100);
        // The expired admin key does not count: the configured one is the last active admin key.
        HttpResponse<String> refused = server.delete("/api/keys/" + adminId, TestServer.ADMIN_KEY);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(Json.tree(refused.body()).path("detail").asString()).contains("last active admin key");
        assertThat(server.get("/api/keys", TestServer.ADMIN_KEY).statusCode()).isEqualTo(200);
        assertThat(brief.path("key").path("id").asString()).isNotEmpty();
    }
}
