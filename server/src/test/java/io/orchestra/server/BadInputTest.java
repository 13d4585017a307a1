package io.orchestra.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.json.Json;
import io.orchestra.server.http.ErrorShape;
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
    // Large enough for 100,000 levels of nesting, so the depth check answers rather than the size limit.
    private static final int BODY_LIMIT = 256 * 1024;
    static TestServer server;
    static String member;
    static String memberId;

    @BeforeAll
    static void start() {
        server = TestServer.start(
                TestServer.Storage.SQLITE, Map.of("orchestra.http.max-body-bytes", Integer.toString(BODY_LIMIT)));
        HttpResponse<String> created = server.post("/api/keys", ADMIN, "{\"name\":\"member\",\"role\":\"member\"}");
        member = Json.tree(created.body()).get("secret").asString();
        memberId = Json.tree(created.body()).path("key").path("id").asString();
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
        // A body past the limit goes with Expect: 100-continue (as curl sends large ones): refused on its
        // Content-Length before it is sent, so the server's close cannot reset the connection first.
        request.expectContinue(c.body() != null && c.body().length() > BODY_LIMIT);
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

    /** Every route that reads a JSON body, with a path that exists so the body is what gets judged. */
    static Stream<Arguments> jsonRoutes() {
        return Stream.of(
                Arguments.of("POST", "/api/keys"),
                Arguments.of("PUT", "/api/keys/{member}/limits"),
                Arguments.of("PUT", "/api/routes/some-alias"),
                Arguments.of("POST", "/api/chat"),
                Arguments.of("POST", "/api/teams/runs"),
                Arguments.of("POST", "/api/personas"),
                Arguments.of("PUT", "/api/personas/some-persona"),
                Arguments.of("POST", "/api/memory/graph/entities"),
                Arguments.of("POST", "/api/memory/graph/relations"),
                Arguments.of("POST", "/api/memory/graph/observations"),
                Arguments.of("POST", "/api/memory/graph/nodes"),
                Arguments.of("POST", "/api/memory/graph/entities/delete"),
                Arguments.of("POST", "/api/memory/graph/observations/delete"),
                Arguments.of("POST", "/api/memory/graph/relations/delete"),
                Arguments.of("POST", "/api/memory/memories"),
                Arguments.of("PATCH", "/api/memory/memories/mem_missing"),
                Arguments.of("POST", "/v1/chat/completions"),
                Arguments.of("POST", "/v1/embeddings"));
    }

    static String nested(int depth) {
        return "{\"messages\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jsonRoutes")
    void deepNestingIsABadRequestOnEveryJsonRoute(String method, String path) {
        for (int depth : new int[] {2_000, 100_000}) {
            JsonNode error = ErrorShape.assertError(path, send(method, path, nested(depth)));
            assertThat(errorText(path, error)).contains("nest");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jsonRoutes")
    void aFiveThousandDigitNumberIsABadRequestOnEveryJsonRoute(String method, String path) {
        HttpResponse<String> response = send(method, path, "{\"model\":" + "7".repeat(5_000) + "}");
        JsonNode error = ErrorShape.assertError(path, response);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(errorText(path, error)).contains("number");
    }

    @org.junit.jupiter.api.Test
    void anAbsurdChoiceCountIsABadRequest() {
        HttpResponse<String> response = send(
                "POST",
                "/v1/chat/completions",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"n\":1000000000000}");
        JsonNode error = ErrorShape.assertError("/v1/chat/completions", response);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error.path("error").path("message").asString()).contains("'n'");
    }

    @org.junit.jupiter.api.Test
    void aTeamChatWithoutMessagesIsABadRequest() {
        HttpResponse<String> response = send("POST", "/api/chat", "{\"mode\":\"team\",\"messages\":[]}");
        JsonNode problem = ErrorShape.assertError("/api/chat", response);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(problem.path("detail").asString()).contains("messages");
    }

    @ParameterizedTest(name = "filename={0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"/", "..", "a/", "dir/../"})
    void anUploadNamedOnlyBySeparatorsIsStoredUnderAPlainName(String filename) {
        String boundary = "----orchestra-test";
        String multipart = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"" + filename + "\"\r\n"
                + "Content-Type: text/plain\r\n\r\n"
                + "some text " + filename + "\r\n"
                + "--" + boundary + "--\r\n";
        HttpResponse<String> response = server.send(server.request("/api/documents", member)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(multipart))
                .build());
        assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
        String stored = Json.tree(response.body()).path("filename").asString();
        assertThat(stored).isNotBlank().doesNotContain("/").doesNotContain("\\").isNotIn(".", "..");
    }

    private static String errorText(String path, JsonNode error) {
        return path.startsWith("/v1/")
                ? error.path("error").path("message").asString()
                : error.path("detail").asString();
    }

    private static HttpResponse<String> send(String method, String path, String body) {
        return server.send(server.request(path.replace("{member}", memberId), ADMIN)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build());
    }
}
