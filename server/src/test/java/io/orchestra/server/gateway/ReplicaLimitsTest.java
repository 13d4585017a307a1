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
import org.junit.jupiter.api.Test;

/** Two Orchestra replicas sharing one PostgreSQL and one Redis hold one set of limits. */
class ReplicaLimitsTest {
    static final String CHAT = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @Test
    void rateLimitsAndBudgetsHoldAcrossReplicas() throws Exception {
        String redis = TestRedis.url();
        try (FakeUpstream upstream = new FakeUpstream();
                TestPostgres.Fresh db = TestPostgres.freshDatabase()) {
            Map<String, String> shared = Map.of("orchestra.db.url", db.jdbcUrl(), "orchestra.redis.url", redis);
            String yaml = GatewayFixture.yaml(upstream.baseUrl());
            try (TestServer a = TestServer.start(TestServer.Storage.SQLITE, shared, yaml);
                    TestServer b = TestServer.start(TestServer.Storage.SQLITE, shared, yaml)) {
                String key = a.createKey("shared", "member", "team-r");
                String id = Json.tree(a.get("/api/keys", TestServer.ADMIN_KEY).body())
                        .path("data")
                        .findValuesAsString("id")
                        .stream()
                        .filter(k -> Json.tree(a.get("/api/keys/" + k, TestServer.ADMIN_KEY)
                                        .body())
                                .path("name")
                                .asString()
                                .equals("shared"))
                        .findFirst()
                        .orElseThrow();
                limits(a, id, "{\"requests_per_minute\":4}");
                List<Integer> statuses = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    statuses.add(chat(a, key).statusCode());
                    statuses.add(chat(b, key).statusCode());
                }
                assertThat(statuses.stream().filter(s -> s == 200).count())
                        .as(statuses.toString())
                        .isEqualTo(4);
                assertThat(statuses.stream().filter(s -> s == 429).count()).isEqualTo(2);

                double perCall = (10 * 0.15 + 2 * 0.075 + 8 * 0.6) / 1e6;
                String spender = a.createKey("spender", "member", "team-r2");
                String spenderId = Json.tree(
                                a.get("/api/keys", TestServer.ADMIN_KEY).body())
                        .path("data")
                        .findValuesAsString("id")
                        .stream()
                        .filter(k -> Json.tree(a.get("/api/keys/" + k, TestServer.ADMIN_KEY)
                                        .body())
                                .path("name")
                                .asString()
                                .equals("spender"))
                        .findFirst()
                        .orElseThrow();
                limits(a, spenderId, "{\"daily_budget_usd\":" + (perCall * 3.5) + "}");
                List<Integer> concurrent = Collections.synchronizedList(new ArrayList<>());
                try (var pool = Executors.newFixedThreadPool(8)) {
                    for (int i = 0; i < 16; i++) {
                        TestServer target = i % 2 == 0 ? a : b;
                        pool.submit(() -> concurrent.add(chat(target, spender).statusCode()));
                    }
                }
                long ok = concurrent.stream().filter(s -> s == 200).count();
                // 4 calls fit under the budget; at most one more in flight per replica can overshoot.
                assertThat(ok).as(concurrent.toString()).isBetween(4L, 6L);
                assertThat(chat(b, spender).statusCode()).isEqualTo(429);
                assertThat(a.get("/api/routes/status", TestServer.ADMIN_KEY).body())
                        .contains("\"limits\":\"redis\"", "\"cache\":\"redis\"");
            }
        }
    }

    static void limits(TestServer server, String id, String json) {
        HttpResponse<String> set = server.send(server.request("/api/keys/" + id + "/limits", TestServer.ADMIN_KEY)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json))
                .build());
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
    }

    static HttpResponse<String> chat(TestServer server, String key) {
        return server.send(server.request("/v1/chat/completions", key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CHAT))
                .build());
    }
}
