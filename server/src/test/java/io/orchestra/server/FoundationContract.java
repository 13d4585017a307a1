package io.orchestra.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.json.Json;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/** Health, readiness, metrics, keys and auth over real HTTP; run once per database. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FoundationContract {
    TestServer server;

    abstract TestServer.Storage storage();

    @BeforeAll
    void startServer() {
        server = TestServer.start(storage());
    }

    @AfterAll
    void stopServer() {
        server.close();
    }

    static JsonNode json(HttpResponse<String> response) {
        return Json.tree(response.body());
    }

    String createKey(String name, String role) {
        HttpResponse<String> created =
                server.post("/api/keys", TestServer.ADMIN_KEY, "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json(created).get("secret").asString();
    }

    @Test
    void healthIsPublicTinyAndCarriesARequestId() {
        HttpResponse<String> health = server.get("/health", null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");
        assertThat(health.headers().firstValue("X-Request-Id")).isPresent();
    }

    @Test
    void incomingRequestIdIsEchoed() {
        HttpResponse<String> response = server.send(server.request("/health", null)
                .header("X-Request-Id", "trace-abc.123")
                .GET()
                .build());
        assertThat(response.headers().firstValue("X-Request-Id")).contains("trace-abc.123");
    }

    @Test
    void readyAnswersOnceMigrated() {
        HttpResponse<String> ready = server.get("/ready", null);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(json(ready).get("status").asString()).isEqualTo("ready");
    }

    @Test
    void apiHealthReportsDatabaseAndNeverSecrets() {
        HttpResponse<String> report = server.get("/api/health", TestServer.ADMIN_KEY);
        assertThat(report.statusCode()).isEqualTo(200);
        JsonNode body = json(report);
        assertThat(body.get("profile").asString()).isEqualTo("dev");
        assertThat(body.get("version").asString()).isNotBlank();
        assertThat(body.get("uptime_seconds").isNumber()).isTrue();
        JsonNode db = body.get("components").get("database");
        assertThat(db.get("status").asString()).isEqualTo("up");
        assertThat(db.get("kind").asString())
                .isEqualTo(storage() == TestServer.Storage.SQLITE ? "sqlite" : "postgresql");
        assertThat(db.get("latency_ms").isNumber()).isTrue();
        assertThat(body.get("components").get("disk").get("free_bytes").asLong())
                .isPositive();
        assertThat(report.body()).doesNotContain(TestServer.ADMIN_KEY).doesNotContain("password");
    }

    @Test
    void metricsExposeHttpJvmAndPoolInPrometheusText() {
        server.get("/health", null);
        server.get("/api/keys", TestServer.ADMIN_KEY);
        HttpResponse<String> metrics = server.get("/metrics", null);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(metrics.body())
                .contains("http_server_requests_seconds_bucket{")
                .contains("route=\"/api/keys\"")
                .contains("status=\"200\"")
                .contains("jvm_memory_used_bytes")
                .contains("hikaricp_connections");
    }

    @Test
    void keysLifecycleOverHttp() {
        HttpResponse<String> created = server.post(
                "/api/keys",
                TestServer.ADMIN_KEY,
                "{\"name\":\"ci-bot\",\"role\":\"member\",\"owner\":\"team-a\",\"tags\":[\"batch\"]}");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode body = json(created);
        String secret = body.get("secret").asString();
        String id = body.get("key").get("id").asString();
        assertThat(secret).startsWith("orc_");
        assertThat(body.get("key").get("owner").asString()).isEqualTo("team-a");

        HttpResponse<String> listed = server.get("/api/keys", TestServer.ADMIN_KEY);
        assertThat(listed.body()).contains(id).doesNotContain(secret);
        assertThat(server.get("/api/keys/" + id, TestServer.ADMIN_KEY).statusCode())
                .isEqualTo(200);

        assertThat(server.get("/api/health", secret).statusCode()).isEqualTo(403);
        HttpResponse<String> revoked = server.delete("/api/keys/" + id, TestServer.ADMIN_KEY);
        assertThat(revoked.statusCode()).isEqualTo(200);
        assertThat(json(revoked).get("revokedAt").isNull()).isFalse();
        HttpResponse<String> afterRevoke = server.get("/api/health", secret);
        assertThat(afterRevoke.statusCode()).isEqualTo(401);
        assertThat(afterRevoke.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    }

    @Test
    void theDeploymentsPersonaOwnerCannotBeGivenToAKey() {
        HttpResponse<String> refused = server.post(
                "/api/keys", TestServer.ADMIN_KEY, "{\"name\":\"sneaky\",\"role\":\"member\",\"owner\":\"system\"}");
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).contains("reserved");
    }

    @Test
    void memberKeyGetsForbiddenOnAdminRoutesAsProblemJson() {
        String member = createKey("member-1", "member");
        HttpResponse<String> forbidden = server.get("/api/keys", member);
        assertThat(forbidden.statusCode()).isEqualTo(403);
        JsonNode problem = json(forbidden);
        assertThat(problem.get("type").asString()).endsWith("/forbidden");
        assertThat(problem.get("status").asInt()).isEqualTo(403);
        assertThat(problem.get("instance").asString()).isEqualTo("/api/keys");
        assertThat(problem.get("request_id").asString())
                .isEqualTo(forbidden.headers().firstValue("X-Request-Id").orElseThrow());
    }

    @Test
    void keysSurviveARestartAndMigrationsAreIdempotent() {
        String member = createKey("survivor", "member");
        server.restart();
        HttpResponse<String> afterRestart = server.get("/api/keys", TestServer.ADMIN_KEY);
        assertThat(afterRestart.statusCode()).isEqualTo(200);
        assertThat(afterRestart.body()).contains("survivor");
        assertThat(server.get("/api/keys", member).statusCode()).isEqualTo(403);
        assertThat(server.orchestra().database().migrate()).isZero();
        assertThat(server.orchestra().database().isMigrated()).isTrue();
    }
}
