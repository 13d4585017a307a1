package io.orchestra.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.json.Json;
import io.orchestra.server.TestServer;
import io.orchestra.testkit.TestRedis;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Cached answers belong to their owner: bob never receives alice's answer from the exact or the
 * semantic cache, nor learns from a hit what she asked, in process and in Redis; a route with
 * {@code cache_scope: global} shares them on purpose.
 */
class CacheScopeTest {
    static final String MODEL = "gpt-4o-mini";

    /** A system prompt unique to this run, so entries an earlier run left in Redis never answer this one. */
    private final String system = "Be brief. Run " + UUID.randomUUID();

    String chat(String alias, String question) {
        return "{\"model\":\"" + alias + "\",\"messages\":[{\"role\":\"system\",\"content\":" + Json.write(system)
                + "},{\"role\":\"user\",\"content\":" + Json.write(question) + "}]}";
    }

    static String cache(TestServer server, String key, String body) {
        HttpResponse<String> response = server.post("/v1/chat/completions", key, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(Json.tree(response.body()).path("object").asString()).isEqualTo("chat.completion");
        return response.headers().firstValue("x-orchestra-cache").orElseThrow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"in-process", "redis"})
    void eachOwnerHasItsOwnCacheUnlessTheRouteSharesIt(String backend) {
        Map<String, String> overrides =
                backend.equals("redis") ? Map.of("orchestra.redis.url", TestRedis.url()) : Map.of();
        try (FakeUpstream upstream = new FakeUpstream();
                TestServer server =
                        TestServer.start(TestServer.Storage.SQLITE, overrides, """
                        gateway:
                          providers:
                            openai: { kind: openai, base_url: "%s/openai/v1", api_key: "sk-test" }
                          cache: { semantic_threshold: 0.9 }
                          routes:
                            - { alias: cached, cache_ttl_seconds: 60, targets: [ { provider: openai, model: gpt-4o-mini } ] }
                            - { alias: shared, cache_ttl_seconds: 60, cache_scope: global, targets: [ { provider: openai, model: gpt-4o-mini } ] }
                        """.formatted(upstream.baseUrl()))) {
            assertThat(Json.tree(server.get("/api/routes/status", TestServer.ADMIN_KEY)
                                    .body())
                            .path("cache")
                            .asString())
                    .isEqualTo(backend);
            String run = UUID.randomUUID().toString().substring(0, 8);
            String alice = server.createKey("alice-app", "member", "alice-" + run);
            String aliceCli = server.createKey("alice-cli", "member", "alice-" + run);
            String bob = server.createKey("bob-app", "member", "bob-" + run);
            String carol = server.createKey("carol-app", "member", "carol-" + run);

            String question = "When is my dentist appointment, and what phone number did I give?";
            assertThat(cache(server, alice, chat("cached", question))).isEqualTo("miss");
            assertThat(upstream.calls(MODEL)).isEqualTo(1);
            // The same words from another owner: no hit, so bob cannot even confirm what alice asked.
            assertThat(cache(server, bob, chat("cached", question))).isEqualTo("miss");
            assertThat(upstream.calls(MODEL)).isEqualTo(2);
            // A paraphrase from a third owner finds no semantic neighbour either.
            String paraphrase = "When's my dentist appointment, and which phone number did I give?";
            assertThat(cache(server, carol, chat("cached", paraphrase))).isEqualTo("miss");
            assertThat(upstream.calls(MODEL)).isEqualTo(3);
            // The owner's other key shares her entries, exactly and by meaning (the same paraphrase
            // that missed for carol: her miss was the partition, not the threshold).
            assertThat(cache(server, aliceCli, chat("cached", question))).isEqualTo("hit");
            assertThat(cache(server, aliceCli, chat("cached", paraphrase))).isEqualTo("hit");
            assertThat(upstream.calls(MODEL)).isEqualTo(3);

            // cache_scope: global shares answers across owners, exactly and by meaning.
            String shared = "What is the capital of France?";
            assertThat(cache(server, alice, chat("shared", shared))).isEqualTo("miss");
            assertThat(cache(server, bob, chat("shared", shared))).isEqualTo("hit");
            assertThat(cache(server, carol, chat("shared", "What's the capital city of France?")))
                    .isEqualTo("hit");
            assertThat(upstream.calls(MODEL)).isEqualTo(4);
        }
    }
}
