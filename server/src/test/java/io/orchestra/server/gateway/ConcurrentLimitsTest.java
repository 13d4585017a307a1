package io.orchestra.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.json.Json;
import io.orchestra.server.TestServer;
import io.orchestra.testkit.TestPostgres;
import io.orchestra.testkit.TestRedis;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Every per-key limit holds when 50 callers arrive at once, on one node and on two nodes sharing
 * Redis; Orchestra's own 429s say when to come back, in OpenAI's headers.
 */
class ConcurrentLimitsTest {
    static final int CALLERS = 50;
    /** About 20,000 tokens of prompt at four characters a token. */
    static final String BIG_PROMPT = "word ".repeat(16_000);

    static final String BIG = "{\"model\":\"sized\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\""
            + BIG_PROMPT + "\"}]}";
    static final String SMALL = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    static String yaml(FakeUpstream upstream) {
        return """
                gateway:
                  providers:
                    openai: { kind: openai, base_url: "%s/openai/v1", api_key: "sk-test" }
                  routes:
                    - { alias: chat, targets: [ { provider: openai, model: gpt-4o-mini } ] }
                    - { alias: sized, targets: [ { provider: openai, model: sized } ] }
                """.formatted(upstream.baseUrl());
    }

    /** A key of its own owner with the given limits; returns its secret. */
    static String keyWithLimits(TestServer server, String name, String limits) {
        HttpResponse<String> created = server.post(
                "/api/keys",
                TestServer.ADMIN_KEY,
                "{\"name\":\"" + name + "\",\"role\":\"member\",\"owner\":\"" + name + "\",\"tags\":[]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode body = Json.tree(created.body());
        String id = body.path("key").path("id").asString();
        HttpResponse<String> set = server.send(server.request("/api/keys/" + id + "/limits", TestServer.ADMIN_KEY)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(limits))
                .build());
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        return body.path("secret").asString();
    }

    /** 50 calls at once, spread over the servers in turn; their responses. */
    static List<HttpResponse<String>> together(String key, String body, TestServer... servers) throws Exception {
        List<Future<HttpResponse<String>>> futures = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(CALLERS)) {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            for (int i = 0; i < CALLERS; i++) {
                TestServer server = servers[i % servers.length];
                futures.add(pool.submit(() -> {
                    start.await();
                    return server.post("/v1/chat/completions", key, body);
                }));
            }
            start.countDown();
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (Future<HttpResponse<String>> f : futures) {
                responses.add(f.get());
            }
            return responses;
        }
    }

    static long count(List<HttpResponse<String>> responses, int status) {
        return responses.stream().filter(r -> r.statusCode() == status).count();
    }

    /**
     * Fixed one-minute windows: start a burst with time to spare (a burst and its checks take a few seconds even on
     * a loaded machine), so it never straddles two windows; waiting only near the end keeps the suite fast.
     */
    static void awaitFreshMinute() throws InterruptedException {
        long intoMinute = System.currentTimeMillis() % 60_000;
        if (intoMinute > 48_000) {
            Thread.sleep(60_000 - intoMinute + 50);
        }
    }

    /** A 429 in OpenAI's shape whose Retry-After and x-ratelimit headers parse. */
    static void assertRateLimited(HttpResponse<String> response, long maxRetryAfter) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(429);
        JsonNode error = Json.tree(response.body()).path("error");
        assertThat(error.path("type").asString()).isEqualTo("rate_limit_error");
        assertThat(error.path("code").asString()).isEqualTo("rate_limited");
        long retryAfter =
                Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, maxRetryAfter);
    }

    static void oneNodeAndTwo(TestBody body) throws Exception {
        try (FakeUpstream upstream = new FakeUpstream()) {
            try (TestServer one = TestServer.start(TestServer.Storage.SQLITE, Map.of(), yaml(upstream))) {
                body.run(one, one);
            }
            try (TestPostgres.Fresh db = TestPostgres.freshDatabase()) {
                Map<String, String> shared =
                        Map.of("orchestra.db.url", db.jdbcUrl(), "orchestra.redis.url", TestRedis.url());
                try (TestServer a = TestServer.start(TestServer.Storage.SQLITE, shared, yaml(upstream));
                        TestServer b = TestServer.start(TestServer.Storage.SQLITE, shared, yaml(upstream))) {
                    assertThat(Json.tree(a.get("/api/routes/status", TestServer.ADMIN_KEY)
                                            .body())
                                    .path("limits")
                                    .asString())
                            .isEqualTo("redis");
                    body.run(a, b);
                }
            }
        }
    }

    interface TestBody {
        /** {@code a} and {@code b} are the same server on one node. */
        void run(TestServer a, TestServer b) throws Exception;
    }

    @Test
    void tokensPerMinuteHoldsUnderFiftyConcurrentCallers() throws Exception {
        oneNodeAndTwo((a, b) -> {
            String run = Long.toString(System.nanoTime(), 36);
            String key = keyWithLimits(a, "tpm-" + run, "{\"tokens_per_minute\":50000}");
            String other = keyWithLimits(a, "tpm-other-" + run, "{\"tokens_per_minute\":50000}");
            awaitFreshMinute();
            List<HttpResponse<String>> responses = together(key, BIG, a, b);
            // Each call reserves ~20,008 tokens (prompt plus max_tokens): two fit in 50,000.
            assertThat(count(responses, 200)).as(statuses(responses)).isEqualTo(2);
            assertThat(count(responses, 429)).isEqualTo(CALLERS - 2);
            HttpResponse<String> refused = responses.stream()
                    .filter(r -> r.statusCode() == 429)
                    .findFirst()
                    .orElseThrow();
            assertRateLimited(refused, 60);
            assertThat(refused.headers().firstValue("x-ratelimit-limit-tokens")).contains("50000");
            long remaining = Long.parseLong(
                    refused.headers().firstValue("x-ratelimit-remaining-tokens").orElseThrow());
            assertThat(remaining).isBetween(0L, 50_000L - 2 * 20_000L);
            assertThat(refused.headers().firstValue("x-ratelimit-reset-tokens").orElseThrow())
                    .matches("(\\d+ms|\\d+(\\.\\d+)?s|1m0s)");
            assertThat(refused.headers().firstValue("x-ratelimit-limit-requests"))
                    .isEmpty();
            // Settled at the real usage (20,008 each): the window stays full for this key only.
            assertThat(a.post("/v1/chat/completions", key, BIG).statusCode()).isEqualTo(429);
            assertThat(b.post("/v1/chat/completions", other, BIG).statusCode()).isEqualTo(200);
            // A small call still fits in what the big ones left.
            assertThat(b.post("/v1/chat/completions", key, SMALL.replace("}]}", "}],\"max_tokens\":100}"))
                            .statusCode())
                    .isEqualTo(200);
        });
    }

    @Test
    void requestsPerMinuteHoldsUnderFiftyConcurrentCallers() throws Exception {
        oneNodeAndTwo((a, b) -> {
            String run = Long.toString(System.nanoTime(), 36);
            String key = keyWithLimits(a, "rpm-" + run, "{\"requests_per_minute\":10}");
            awaitFreshMinute();
            List<HttpResponse<String>> responses = together(key, SMALL, a, b);
            assertThat(count(responses, 200)).as(statuses(responses)).isEqualTo(10);
            HttpResponse<String> refused = responses.stream()
                    .filter(r -> r.statusCode() == 429)
                    .findFirst()
                    .orElseThrow();
            assertRateLimited(refused, 60);
            assertThat(refused.headers().firstValue("x-ratelimit-limit-requests"))
                    .contains("10");
            assertThat(refused.headers().firstValue("x-ratelimit-remaining-requests"))
                    .contains("0");
            assertThat(refused.headers()
                            .firstValue("x-ratelimit-reset-requests")
                            .orElseThrow())
                    .matches("(\\d+ms|\\d+(\\.\\d+)?s|1m0s)");
            assertThat(Json.tree(refused.body()).path("error").path("message").asString())
                    .isEqualTo("rate limit of 10 requests per minute reached for this key");
        });
    }

    @Test
    void dailyBudgetHoldsUnderFiftyConcurrentCallers() throws Exception {
        // gpt-4o-mini at the fake's usage (12 prompt of which 2 cached, 8 completion): $0.00000645 a call.
        oneNodeAndTwo((a, b) -> {
            String run = Long.toString(System.nanoTime(), 36);
            String key = keyWithLimits(a, "budget-" + run, "{\"daily_budget_usd\":0.00002}");
            List<HttpResponse<String>> responses = together(key, SMALL, a, b);
            // Four calls fit under $0.00002; near the end calls go one at a time per replica, so
            // at most one more per replica can be in flight when the budget runs out.
            long ok = count(responses, 200);
            assertThat(ok).as(statuses(responses)).isBetween(4L, a == b ? 4L : 5L);
            HttpResponse<String> refused = responses.stream()
                    .filter(r -> r.statusCode() == 429)
                    .findFirst()
                    .orElseThrow();
            assertRateLimited(refused, 86_400);
            long untilMidnight = 86_400 - (System.currentTimeMillis() / 1000) % 86_400;
            assertThat(Long.parseLong(
                            refused.headers().firstValue("Retry-After").orElseThrow()))
                    .isBetween(untilMidnight - 5, untilMidnight + 1);
            assertThat(Json.tree(refused.body()).path("error").path("message").asString())
                    .isEqualTo("daily budget of $0.00002 is spent for this key; it resets at 00:00 UTC");
        });
    }

    static String statuses(List<HttpResponse<String>> responses) {
        List<Integer> statuses = new ArrayList<>();
        responses.forEach(r -> statuses.add(r.statusCode()));
        Collections.sort(statuses);
        return statuses.toString();
    }
}
