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
 * GET /api/requests/{id} lists a call's attempts (provider, model, status, latency, error of each)
 * over real HTTP against a fake provider, for plain and streamed calls; bodies are not stored while
 * body logging is off (the default); refused calls carry their reason; the model filter matches
 * substrings in any case; another owner's call is a 404.
 */
class RequestAttemptsTest {
    static FakeUpstream upstream;
    static TestServer server;
    static String alice;
    static String bob;

    @BeforeAll
    static void start() {
        startOn(TestServer.Storage.SQLITE);
    }

    static void startOn(TestServer.Storage storage) {
        upstream = new FakeUpstream();
        server = TestServer.start(storage, Map.of(), """
                gateway:
                  providers:
                    openai: { kind: openai, base_url: "%s/openai/v1", api_key: "sk-test" }
                  retry: { attempts: 0, backoff_ms: 10, max_backoff_ms: 50 }
                  routes:
                    - { alias: fallback, targets: [ { provider: openai, model: fail-500 }, { provider: openai, model: gpt-4o-mini } ] }
                    - { alias: chat, targets: [ { provider: openai, model: gpt-4o-mini } ] }
                """.formatted(upstream.baseUrl()));
        alice = server.createKey("alice-app", "member", "alice");
        bob = server.createKey("bob-app", "member", "bob");
    }

    @AfterAll
    static void stop() {
        server.close();
        upstream.close();
    }

    static HttpResponse<String> chat(String key, String model, boolean stream) {
        return server.post(
                "/v1/chat/completions",
                key,
                "{\"model\":\"" + model + "\",\"stream\":" + stream
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    }

    /** The call's detail; a stream's row is written just after its last byte, so wait briefly for it. */
    static JsonNode detail(TestServer server, String key, String id) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        HttpResponse<String> response;
        do {
            server.orchestra().usageRecorder().flush();
            response = server.get("/api/requests/" + id, key);
            if (response.statusCode() == 200) {
                return Json.tree(response.body());
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no detail for " + id + ": " + response.statusCode() + " " + response.body());
    }

    static void assertFellBack(JsonNode detail) {
        assertThat(detail.path("status").asInt()).isEqualTo(200);
        assertThat(detail.path("attempts").asInt()).isEqualTo(2);
        JsonNode attempts = detail.path("attempt_list");
        assertThat(attempts.size()).isEqualTo(2);
        JsonNode first = attempts.get(0);
        assertThat(first.path("seq").asInt()).isEqualTo(1);
        assertThat(first.path("provider").asString()).isEqualTo("openai");
        assertThat(first.path("model").asString()).isEqualTo("fail-500");
        assertThat(first.path("status").asInt()).isEqualTo(500);
        assertThat(first.path("outcome").asString()).isEqualTo("status");
        assertThat(first.path("error").asString()).isNotBlank();
        assertThat(first.path("latency_ms").asDouble()).isPositive();
        JsonNode second = attempts.get(1);
        assertThat(second.path("model").asString()).isEqualTo("gpt-4o-mini");
        assertThat(second.path("status").asInt()).isEqualTo(200);
        assertThat(second.path("outcome").asString()).isEqualTo("ok");
        assertThat(second.path("error").isNull()).isTrue();
        assertThat(second.path("latency_ms").asDouble()).isPositive();
    }

    @Test
    void aCallWhoseFirstTargetFailsListsBothAttempts() throws Exception {
        HttpResponse<String> answered = chat(alice, "fallback", false);
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
        String id = answered.headers().firstValue(Gateway.LOG_ID_HEADER).orElseThrow();
        assertFellBack(detail(server, alice, id));

        HttpResponse<String> streamed = chat(alice, "fallback", true);
        assertThat(streamed.statusCode()).as(streamed.body()).isEqualTo(200);
        assertThat(streamed.body()).contains("data: [DONE]");
        JsonNode streamedDetail = detail(
                server,
                alice,
                streamed.headers().firstValue(Gateway.LOG_ID_HEADER).orElseThrow());
        assertFellBack(streamedDetail);
        assertThat(streamedDetail.path("stream").asInt()).isEqualTo(1);
    }

    @Test
    void anotherOwnersCallIsNotFoundAndAnUnknownIdIsAProblem() throws Exception {
        HttpResponse<String> answered = chat(alice, "chat", false);
        String id = answered.headers().firstValue(Gateway.LOG_ID_HEADER).orElseThrow();
        // Answered by its first attempt: no attempt row is stored, the row gives the attempt back.
        JsonNode only = detail(server, alice, id).path("attempt_list");
        assertThat(only.size()).isEqualTo(1);
        assertThat(only.get(0).path("outcome").asString()).isEqualTo("ok");
        assertThat(only.get(0).path("status").asInt()).isEqualTo(200);
        assertThat(only.get(0).path("provider").asString()).isNotIn("none", "cache", "");
        assertThat(detail(server, TestServer.ADMIN_KEY, id).path("owner").asString())
                .isEqualTo("alice");

        HttpResponse<String> bobs = server.get("/api/requests/" + id, bob);
        assertThat(bobs.statusCode()).isEqualTo(404);
        assertThat(bobs.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
        assertThat(bobs.body()).doesNotContain("alice");

        HttpResponse<String> unknown = server.get("/api/requests/req_nope", alice);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(Json.tree(unknown.body()).path("status").asInt()).isEqualTo(404);
        HttpResponse<String> tooLong = server.get("/api/requests/" + "x".repeat(300), alice);
        assertThat(tooLong.statusCode()).isEqualTo(400);
    }

    @Test
    void bodiesAreNotStoredWhileBodyLoggingIsOff() throws Exception {
        HttpResponse<String> answered = chat(alice, "chat", false);
        JsonNode detail = detail(
                server,
                alice,
                answered.headers().firstValue(Gateway.LOG_ID_HEADER).orElseThrow());
        assertThat(detail.has("bodies")).isTrue();
        assertThat(detail.path("bodies").isNull()).isTrue();
        server.orchestra().usageRecorder().flush();
        long stored = server.orchestra()
                .database()
                .jdbi()
                .withHandle(h -> h.createQuery("SELECT COUNT(*) FROM request_bodies")
                        .mapTo(Long.class)
                        .one());
        assertThat(stored).isZero();
    }

    @Test
    void aRefusedCallShowsItsReasonAndNoAttempts() throws Exception {
        HttpResponse<String> refused = chat(alice, "no-such-model", false);
        assertThat(refused.statusCode()).isEqualTo(404);
        JsonNode detail = detail(
                server,
                alice,
                refused.headers().firstValue(Gateway.LOG_ID_HEADER).orElseThrow());
        assertThat(detail.path("status").asInt()).isEqualTo(404);
        assertThat(detail.path("error").asString()).contains("no-such-model");
        assertThat(detail.path("attempt_list").isEmpty()).isTrue();
    }

    @Test
    void theModelFilterMatchesSubstringsInAnyCase() throws Exception {
        String carol = server.createKey("carol-app", "member", "carol");
        String id = chat(carol, "chat", false)
                .headers()
                .firstValue(Gateway.LOG_ID_HEADER)
                .orElseThrow();
        detail(server, carol, id);
        assertThat(ids(carol, "4O-MIN")).containsExactly(id); // the model, by part, any case
        assertThat(ids(carol, "hat")).containsExactly(id); // the alias asked for, by part
        assertThat(ids(carol, "gpt-5")).isEmpty();
        assertThat(ids(carol, "%")).isEmpty(); // LIKE's wildcards match only themselves
        assertThat(ids(carol, "_")).isEmpty();
    }

    static List<String> ids(String key, String model) {
        HttpResponse<String> listed = server.get(
                "/api/requests?model=" + java.net.URLEncoder.encode(model, java.nio.charset.StandardCharsets.UTF_8),
                key);
        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        return Json.tree(listed.body()).path("data").findValuesAsString("id");
    }
}
