package io.orchestra.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.json.Json;
import io.orchestra.gateway.Gateway;
import io.orchestra.server.TestServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * With {@code orchestra.gateway.log-bodies=true} the request log keeps each call's request and
 * response bodies, over real HTTP against a fake provider: secrets in the body masked, {@code data:}
 * images cut to their type and size, long bodies cut to the limit; streamed answers too; each owner
 * sees only their own bodies and can erase them.
 */
class RequestBodiesTest {
    static final String SECRET = "sk-proj-Zq8vX2mN4bT6yR1wK9pL3sD7";
    static final String PASSWORD = "hunter2-correct-horse";

    static FakeUpstream upstream;
    static TestServer server;
    static String alice;
    static String bob;

    @BeforeAll
    static void start() {
        upstream = new FakeUpstream();
        server = TestServer.start(
                TestServer.Storage.SQLITE,
                Map.of("orchestra.gateway.log-bodies", "true", "orchestra.gateway.log-bodies-max-bytes", "4096"),
                """
                gateway:
                  providers:
                    openai: { kind: openai, base_url: "%s/openai/v1", api_key: "sk-test-provider-key-0123456789" }
                  retry: { attempts: 0, backoff_ms: 10, max_backoff_ms: 50 }
                  routes:
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

    static String logId(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.headers().firstValue(Gateway.LOG_ID_HEADER).orElseThrow();
    }

    static HttpResponse<String> chat(String key, String content, boolean stream) {
        return server.post(
                "/v1/chat/completions",
                key,
                "{\"model\":\"chat\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":"
                        + Json.write(content) + "}]}");
    }

    @Test
    void bodiesAreStoredWithSecretsMaskedAndDataImagesCut() throws Exception {
        byte[] image = new byte[3000];
        new java.util.Random(7).nextBytes(image);
        String base64 = java.util.Base64.getEncoder().encodeToString(image);
        String body = """
                {"model":"chat","user":"alice","metadata":{"api_key":"%s"},
                 "messages":[{"role":"user","content":[
                   {"type":"text","text":"My key is %s and my password=%s, what is in this picture?"},
                   {"type":"image_url","image_url":{"url":"data:image/png;base64,%s"}}]}]}""".formatted(PASSWORD, SECRET, PASSWORD, base64);
        HttpResponse<String> answered = server.post("/v1/chat/completions", alice, body);
        JsonNode detail = RequestAttemptsTest.detail(server, alice, logId(answered));
        String request = detail.path("bodies").path("request").asString();
        assertThat(request)
                .contains("My key is sk-****")
                .contains("data:image/png;base64,[3000 bytes]")
                .contains("\"api_key\":\"****\"")
                .doesNotContain(SECRET)
                .doesNotContain(PASSWORD)
                .doesNotContain(base64.substring(0, 40));
        String response = detail.path("bodies").path("response").asString();
        assertThat(Json.tree(response)
                        .path("choices")
                        .path(0)
                        .path("message")
                        .path("content")
                        .asString())
                .isEqualTo("Hello from the fake (gpt-4o-mini)");
        // The provider's key never lands in a body, whatever the provider echoes.
        assertThat(request + response).doesNotContain("sk-test-provider-key");
    }

    @Test
    void aLongBodyIsCutToTheLimit() throws Exception {
        String long_ = "All work and no play makes Jack a dull boy. ".repeat(300);
        JsonNode detail = RequestAttemptsTest.detail(server, alice, logId(chat(alice, long_, false)));
        String request = detail.path("bodies").path("request").asString();
        assertThat(request).contains("All work").endsWith(" bytes in all]");
        assertThat(request.getBytes(StandardCharsets.UTF_8).length).isLessThan(4096 + 64);
    }

    @Test
    void aStreamedAnswerIsStoredWhole() throws Exception {
        JsonNode detail = RequestAttemptsTest.detail(server, alice, logId(chat(alice, "Stream, please", true)));
        assertThat(detail.path("bodies").path("request").asString()).contains("Stream, please");
        JsonNode response = Json.tree(detail.path("bodies").path("response").asString());
        assertThat(response.path("choices")
                        .path(0)
                        .path("message")
                        .path("content")
                        .asString())
                .isEqualTo("Hello from the fake");
    }

    @Test
    void eachOwnerSeesAndErasesOnlyTheirOwnBodies() throws Exception {
        String alicesCall = logId(chat(alice, "Alice's private question", false));
        String bobsCall = logId(chat(bob, "Bob's private question", false));
        RequestAttemptsTest.detail(server, alice, alicesCall);
        RequestAttemptsTest.detail(server, bob, bobsCall);
        assertThat(server.get("/api/requests/" + alicesCall, bob).statusCode()).isEqualTo(404);

        HttpResponse<String> unconfirmed = server.delete("/api/requests/bodies", alice);
        assertThat(unconfirmed.statusCode()).isEqualTo(400);
        assertThat(unconfirmed.headers().firstValue("Content-Type").orElse("")).contains("problem+json");
        HttpResponse<String> othersBodies = server.delete("/api/requests/bodies?confirm=true&owner=bob", alice);
        assertThat(othersBodies.statusCode()).isEqualTo(403);

        HttpResponse<String> erased = server.delete("/api/requests/bodies?confirm=true", alice);
        assertThat(erased.statusCode()).as(erased.body()).isEqualTo(200);
        assertThat(Json.tree(erased.body()).path("deleted").asInt()).isPositive();

        JsonNode alices = RequestAttemptsTest.detail(server, alice, alicesCall);
        assertThat(alices.path("bodies").isNull()).isTrue();
        assertThat(alices.path("status").asInt()).isEqualTo(200); // the row stays, for accounting
        assertThat(RequestAttemptsTest.detail(server, bob, bobsCall)
                        .path("bodies")
                        .path("request")
                        .asString())
                .contains("Bob's private question");
    }

    @Test
    void theOwnersDeleteAllErasesTheirBodiesToo() throws Exception {
        String carol = server.createKey("carol-app", "member", "carol");
        String carolsCall = logId(chat(carol, "Carol's private question", false));
        String alicesCall = logId(chat(alice, "Alice asks again", false));
        RequestAttemptsTest.detail(server, carol, carolsCall);
        RequestAttemptsTest.detail(server, alice, alicesCall);

        assertThat(server.delete("/api/memory?confirm=true", carol).statusCode())
                .isEqualTo(204);
        assertThat(RequestAttemptsTest.detail(server, carol, carolsCall)
                        .path("bodies")
                        .isNull())
                .isTrue();
        assertThat(RequestAttemptsTest.detail(server, alice, alicesCall)
                        .path("bodies")
                        .path("request")
                        .asString())
                .contains("Alice asks again");
    }
}
