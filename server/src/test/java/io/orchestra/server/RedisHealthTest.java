package io.orchestra.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.json.Json;
import io.orchestra.testkit.TestRedis;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class RedisHealthTest {
    @Test
    void reportsAConfiguredRedisAsUp() {
        String url = TestRedis.url();
        try (TestServer server = TestServer.start(TestServer.Storage.SQLITE, Map.of("orchestra.redis.url", url))) {
            JsonNode redis = Json.tree(
                            server.get("/api/health", TestServer.ADMIN_KEY).body())
                    .get("components")
                    .get("redis");
            assertThat(redis.get("status").asString()).isEqualTo("up");
            assertThat(redis.get("latency_ms").isNumber()).isTrue();
        }
    }

    @Test
    void reportsAnUnreachableRedisAsDownWithoutItsPassword() {
        try (TestServer server = TestServer.start(
                TestServer.Storage.SQLITE, Map.of("orchestra.redis.url", "redis://:hunter2@127.0.0.1:1"))) {
            HttpResponse<String> response = server.get("/api/health", TestServer.ADMIN_KEY);
            JsonNode body = Json.tree(response.body());
            assertThat(body.get("status").asString()).isEqualTo("degraded");
            assertThat(body.get("components").get("redis").get("status").asString())
                    .isEqualTo("down");
            assertThat(response.body()).doesNotContain("hunter2");
            assertThat(server.get("/ready", null).statusCode()).isEqualTo(200);
        }
    }
}
