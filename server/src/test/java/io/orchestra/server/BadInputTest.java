package io.orchestra.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.json.Json;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** Malformed requests across the foundation's routes: each gets a 4xx problem+json, never a 500. */
class BadInputTest {
    private static final String ADMIN = TestServer.ADMIN_KEY;
    private static final int BODY_LIMIT = 4096;
    static TestServer server;
    static String member;

    @BeforeAll
    static void start() {
        server = TestServer.start(
                TestServer.Storage.SQLITE, Map.of("orchestra.http.max-body-bytes", Integer.toString(BODY_LIMIT)));
        HttpResponse<String> created = server.post("/api/keys", ADMIN, "{\"name\":\"member\",\"role\":\"member\"}");
        member = Json.tree(created.body()).get("secret").asString();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    record Case(String method, String path, String key, String contentType, String body) {}

    static Case post(String body) {
        return new Case("POST", "/api/keys", ADMIN, "application/json", body);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("malformed JSON", post("{\"name\":"), 400, "malformed JSON"),
                Arguments.of("trailing garbage", post("{\"name\":\"a\",\"role\":\"member\"} x"), 400, ""),
                Arguments.of("array instead of object", post("[1,2]"), 400, "JSON object"),
                Arguments.of("JSON null", post("null"), 400, "null"),
                Arguments.of("JSON string", post("\"hello\""), 400, ""),
                Arguments.of("empty body", post(""), 400, "empty"),
                Arguments.of("number where text expected", post("{\"name\":5,\"role\":\"member\"}"), 400, "name"),
                Arguments.of(
                        "text where list expected",
                        post("{\"name\":\"x\",\"role\":\"member\",\"tags\":\"a\"}"),
                        400,
                        "tags"),
                Arguments.of("object where text expected", post("{\"name\":{},\"role\":\"member\"}"), 400, "name"),
                Arguments.of(
                        "unknown field",
                        post("{\"name\":\"x\",\"role\":\"member\",\"colour\":\"red\"}"),
                        400,
                        "colour"),
                Arguments.of("missing name", post("{\"role\":\"member\"}"), 422, "name: required"),
                Arguments.of("invalid role", post("{\"name\":\"x\",\"role\":\"owner\"}"), 422, "role"),
                Arguments.of(
                        "name and role both wrong",
                        post("{\"name\":\"\",\"role\":\"root\"}"),
                        422,
                        "name: required; role"),
                Arguments.of(
                        "name too long",
                        post("{\"name\":\"" + "n".repeat(201) + "\",\"role\":\"member\"}"),
                        422,
                        "200"),
                Arguments.of("blank tag", post("{\"name\":\"x\",\"role\":\"member\",\"tags\":[\" \"]}"), 422, "tags"),
                Arguments.of(
                        "body over the limit", post("{\"name\":\"" + "x".repeat(BODY_LIMIT * 2) + "\"}"), 413, "limit"),
                Arguments.of(
                        "wrong content type",
                        new Case("POST", "/api/keys", ADMIN, "text/plain", "{}"),
                        415,
                        "application/json"),
                Arguments.of(
                        "unknown key id",
                        new Case("GET", "/api/keys/key_missing", ADMIN, null, null),
                        404,
                        "key_missing"),
                Arguments.of(
                        "revoke unknown key",
                        new Case("DELETE", "/api/keys/key_missing", ADMIN, null, null),
                        404,
                        "key_missing"),
                Arguments.of(
                        "overlong id",
                        new Case("GET", "/api/keys/" + "k".repeat(300), ADMIN, null, null),
                        400,
                        "1 to 200"),
                Arguments.of("unknown route", new Case("GET", "/api/nothing-here", ADMIN, null, null), 404, ""),
                Arguments.of("unknown route without key", new Case("GET", "/nothing", null, null, null), 404, ""),
                Arguments.of(
                        "wrong method on keys", new Case("PUT", "/api/keys", ADMIN, "application/json", "{}"), 405, ""),
                Arguments.of("wrong method on health", new Case("DELETE", "/health", null, null, null), 405, ""),
                Arguments.of("post to ready", new Case("POST", "/ready", null, "application/json", "{}"), 405, ""),
                Arguments.of("no key", new Case("GET", "/api/keys", null, null, null), 401, "Bearer"),
                Arguments.of("wrong scheme", new Case("GET", "/api/keys", "BASIC", null, null), 401, "Bearer"),
                Arguments.of("unknown key", new Case("GET", "/api/keys", "orc_not-a-real-key", null, null), 401, ""),
                Arguments.of(
                        "garbage key",
                        new Case("GET", "/api/health", "orc_\\u0000; DROP TABLE api_keys", null, null),
                        401,
                        ""),
                Arguments.of(
                        "member creating a key",
                        new Case(
                                "POST",
                                "/api/keys",
                                "MEMBER",
                                "application/json",
                                "{\"name\":\"x\",\"role\":\"admin\"}"),
                        403,
                        "admin"),
                Arguments.of(
                        "member reading health report",
                        new Case("GET", "/api/health", "MEMBER", null, null),
                        403,
                        "admin"));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("cases")
    void answersWithProblemJson(String name, Case c, int status, String detailContains) {
        HttpRequest.Builder request = server.request(c.path(), null);
        if ("MEMBER".equals(c.key())) {
            request.header("Authorization", "Bearer " + member);
        } else if ("BASIC".equals(c.key())) {
            request.header("Authorization", "Basic YWRtaW46YWRtaW4=");
        } else if (c.key() != null) {
            request.header("Authorization", "Bearer " + c.key());
        }
        if (c.contentType() != null) {
            request.header("Content-Type", c.contentType());
        }
        HttpRequest.BodyPublisher body =
                c.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(c.body());
        HttpResponse<String> response =
                server.send(request.method(c.method(), body).build());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        JsonNode problem = Json.tree(response.body());
        assertThat(problem.get("type").asString()).startsWith("https://orchestra.dev/problems/");
        assertThat(problem.get("title").asString()).isNotBlank();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asString()).contains(detailContains);
        assertThat(problem.get("instance").asString()).isEqualTo(c.path());
        assertThat(problem.get("request_id").asString())
                .isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
