package io.orchestra.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.json.Json;
import io.orchestra.server.TestServer;
import io.orchestra.testkit.TestPostgres;
import io.orchestra.testkit.TestRedis;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** Two replicas sharing one Redis share one semantic cache: what A asked upstream, B answers from Redis. */
class SharedSemanticCacheTest {
    static final String MODEL = "gpt-4o-mini";

    /** A system prompt unique to this run, so entries left in Redis by an earlier run never answer this one. */
    private final String system = "Be brief. Run " + UUID.randomUUID();

    String chat(String alias, String system, String question, boolean stream) {
        return "{\"model\":\"" + alias + "\"," + (stream ? "\"stream\":true," : "")
                + "\"messages\":[{\"role\":\"system\",\"content\":" + Json.write(system)
                + "},{\"role\":\"user\",\"content\":" + Json.write(question) + "}]}";
    }

    static HttpResponse<String> post(TestServer server, String key, String body, String... headers) {
        HttpRequest.Builder request =
                server.request("/v1/chat/completions", key).header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = server.send(
                request.POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response;
    }

    /** Entries in every semantic-cache stream of this Redis. */
    static long semanticEntries(String redisUrl) {
        try (Jedis jedis = new Jedis(URI.create(redisUrl))) {
            long total = 0;
            for (String key : jedis.keys("orc:semantic:*")) {
                if (jedis.type(key).equals("stream")) {
                    total += jedis.xlen(key);
                }
            }
            return total;
        }
    }

    /**
     * The cache is written after the answer's last byte went out (off the client's path), so a
     * test that asks another replica at once waits for the write first.
     */
    static void awaitStored(String redisUrl, long entriesBefore) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (semanticEntries(redisUrl) <= entriesBefore && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    static String cache(HttpResponse<String> response) {
        return response.headers().firstValue("x-orchestra-cache").orElseThrow();
    }

    @Test
    void aParaphraseAnsweredUpstreamOnOneReplicaIsASemanticHitOnTheOther() throws Exception {
        String redis = TestRedis.url();
        try (FakeUpstream upstream = new FakeUpstream();
                TestPostgres.Fresh db = TestPostgres.freshDatabase()) {
            String yaml = """
                    gateway:
                      providers:
                        openai: { kind: openai, base_url: "%s/openai/v1", api_key: "sk-test" }
                      cache: { semantic_threshold: 0.9 }
                      routes:
                        - { alias: cached, cache_ttl_seconds: 60, targets: [ { provider: openai, model: gpt-4o-mini } ] }
                        - { alias: other, cache_ttl_seconds: 60, targets: [ { provider: openai, model: gpt-4o-mini } ] }
                        - { alias: brief, cache_ttl_seconds: 1, targets: [ { provider: openai, model: gpt-4o-mini } ] }
                    """.formatted(upstream.baseUrl());
            Map<String, String> shared = Map.of("orchestra.db.url", db.jdbcUrl(), "orchestra.redis.url", redis);
            try (TestServer a = TestServer.start(TestServer.Storage.SQLITE, shared, yaml);
                    TestServer b = TestServer.start(TestServer.Storage.SQLITE, shared, yaml)) {
                String key = a.createKey("app", "member", "app");
                assertThat(b.get("/api/routes/status", TestServer.ADMIN_KEY).body())
                        .contains("\"semantic_cache\":\"redis\"");

                // Non-streamed on A, then a paraphrase on B, plain and streamed: both from the shared cache.
                long empty = semanticEntries(redis);
                HttpResponse<String> first =
                        post(a, key, chat("cached", system, "What is the capital of France?", false));
                awaitStored(redis, empty);
                assertThat(cache(first)).isEqualTo("miss");
                assertThat(upstream.calls(MODEL)).isEqualTo(1);
                HttpResponse<String> paraphrase =
                        post(b, key, chat("cached", system, "What's the capital city of France?", false));
                assertThat(cache(paraphrase)).isEqualTo("hit");
                assertThat(paraphrase.headers().firstValue("x-orchestra-provider"))
                        .contains("cache");
                assertThat(paraphrase.body()).isEqualTo(first.body());
                HttpResponse<String> streamed =
                        post(b, key, chat("cached", system, "What is the capital city of France?", true));
                assertThat(cache(streamed)).isEqualTo("hit");
                assertThat(streamed.headers().firstValue("content-type").orElse(""))
                        .startsWith("text/event-stream");
                assertThat(streamed.body())
                        .contains("Hello from the fake (gpt-4o-mini)")
                        .endsWith("data: [DONE]\n\n");
                assertThat(upstream.calls(MODEL)).isEqualTo(1);

                // Streamed on A (stored from the accumulated stream), then a plain paraphrase on B.
                long storedBefore = semanticEntries(redis);
                assertThat(cache(post(a, key, chat("cached", system, "How do I bake sourdough bread?", true))))
                        .isEqualTo("miss");
                awaitStored(redis, storedBefore);
                assertThat(upstream.calls(MODEL)).isEqualTo(2);
                HttpResponse<String> bread =
                        post(b, key, chat("cached", system, "How can I bake sourdough bread?", false));
                assertThat(cache(bread)).isEqualTo("hit");
                assertThat(Json.tree(bread.body())
                                .path("choices")
                                .get(0)
                                .path("message")
                                .path("content")
                                .asString())
                        .isEqualTo("Hello from the fake");
                assertThat(upstream.calls(MODEL)).isEqualTo(2);

                // Another model alias or another system prompt is another scope: not even the same words hit.
                assertThat(cache(post(b, key, chat("other", system, "What is the capital of France?", false))))
                        .isEqualTo("miss");
                assertThat(cache(post(
                                b,
                                key,
                                chat(
                                        "cached",
                                        system + " Answer in French.",
                                        "What is the capital of France?",
                                        false))))
                        .isEqualTo("miss");
                assertThat(upstream.calls(MODEL)).isEqualTo(4);

                // Cache-Control: no-cache neither reads nor writes the shared cache.
                assertThat(cache(post(
                                b,
                                key,
                                chat("cached", system, "What's the capital city of France?", false),
                                "Cache-Control",
                                "no-cache")))
                        .isEqualTo("off");
                assertThat(cache(post(
                                a,
                                key,
                                chat("cached", system, "Who wrote Hamlet?", false),
                                "Cache-Control",
                                "no-cache")))
                        .isEqualTo("off");
                assertThat(cache(post(b, key, chat("cached", system, "Who wrote Hamlet?", false))))
                        .isEqualTo("miss");
                assertThat(upstream.calls(MODEL)).isEqualTo(7);

                // The route's TTL holds across replicas: a hit at once, a miss once it expired.
                long beforeBrief = semanticEntries(redis);
                assertThat(cache(post(a, key, chat("brief", system, "What is the boiling point of water?", false))))
                        .isEqualTo("miss");
                awaitStored(redis, beforeBrief);
                assertThat(cache(post(b, key, chat("brief", system, "What's the boiling point of water?", false))))
                        .isEqualTo("hit");
                Thread.sleep(1_300);
                assertThat(cache(post(b, key, chat("brief", system, "What's the boiling point of water?", false))))
                        .isEqualTo("miss");
                assertThat(upstream.calls(MODEL)).isEqualTo(9);
                assertThat(b.get("/metrics", null).body())
                        .contains("orchestra_gateway_cache_total{result=\"semantic_hit\"} 4.0");

                // Another owner on the other replica: what this owner cached in Redis is not theirs.
                String bob = a.createKey("bob", "member", "bob-" + UUID.randomUUID());
                assertThat(cache(post(b, bob, chat("cached", system, "What's the capital city of France?", false))))
                        .isEqualTo("miss");
                assertThat(cache(post(b, bob, chat("cached", system, "What is the capital of France?", false))))
                        .isEqualTo("hit"); // bob's own answer, just stored
                assertThat(upstream.calls(MODEL)).isEqualTo(10);
            }
        }
    }
}
