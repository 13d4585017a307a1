package io.orchestra.server.memory;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.orchestra.core.json.Json;
import io.orchestra.server.TestServer;
import io.orchestra.server.http.ErrorShape;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/** Malformed MCP requests: each a JSON-RPC 2.0 error with the Streamable HTTP status, never a Java exception. */
class McpBadInputTest {
    private static final int BODY_LIMIT = 64 * 1024;
    private static final String BOTH = "application/json, text/event-stream";
    static TestServer server;
    static String alice;

    @BeforeAll
    static void start() {
        server = TestServer.start(
                TestServer.Storage.SQLITE, Map.of("orchestra.http.max-body-bytes", Integer.toString(BODY_LIMIT)));
        alice = server.createKey("alice", "member", "alice");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> post(String contentType, String accept, String body) {
        return post(contentType, accept, body, false);
    }

    /**
     * {@code expectContinue}: send {@code Expect: 100-continue} (curl does for large bodies), so an
     * oversized body is refused on its Content-Length before it is sent; without it, the server's
     * close can reset the connection before the client has read the 413.
     */
    static HttpResponse<String> post(String contentType, String accept, String body, boolean expectContinue) {
        HttpRequest.Builder request = server.request("/mcp", alice).expectContinue(expectContinue);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (accept != null) {
            request.header("Accept", accept);
        }
        return server.send(
                request.POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static Stream<Arguments> malformed() {
        String json = "application/json";
        return Stream.of(
                Arguments.of("batch", json, BOTH, "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]", 400, -32600),
                Arguments.of("empty batch", json, BOTH, "[]", 400, -32600),
                Arguments.of("null", json, BOTH, "null", 400, -32600),
                Arguments.of("a string", json, BOTH, "\"ping\"", 400, -32600),
                Arguments.of("a number", json, BOTH, "42", 400, -32600),
                Arguments.of("missing method", json, BOTH, "{\"jsonrpc\":\"2.0\",\"id\":1}", 400, -32600),
                Arguments.of("numeric method", json, BOTH, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":5}", 400, -32600),
                Arguments.of("object method", json, BOTH, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":{}}", 400, -32600),
                Arguments.of("no jsonrpc", json, BOTH, "{\"id\":1,\"method\":\"ping\"}", 400, -32600),
                Arguments.of(
                        "jsonrpc 1.0", json, BOTH, "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"ping\"}", 400, -32600),
                Arguments.of(
                        "numeric jsonrpc", json, BOTH, "{\"jsonrpc\":2,\"id\":1,\"method\":\"ping\"}", 400, -32600),
                Arguments.of(
                        "null id", json, BOTH, "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}", 400, -32600),
                Arguments.of(
                        "object id", json, BOTH, "{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"ping\"}", 400, -32600),
                Arguments.of(
                        "fraction id", json, BOTH, "{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"ping\"}", 400, -32600),
                Arguments.of(
                        "boolean id", json, BOTH, "{\"jsonrpc\":\"2.0\",\"id\":true,\"method\":\"ping\"}", 400, -32600),
                Arguments.of("a response", json, BOTH, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}", 400, -32600),
                Arguments.of("malformed", json, BOTH, "{\"jsonrpc\":", 400, -32700),
                Arguments.of("trailing garbage", json, BOTH, "{\"jsonrpc\":\"2.0\"} }", 400, -32700),
                Arguments.of("empty body", json, BOTH, "", 400, -32700),
                Arguments.of("blank body", json, BOTH, "  \n", 400, -32700),
                Arguments.of("deep nesting", json, BOTH, "[".repeat(5000) + "]".repeat(5000), 400, -32700),
                Arguments.of(
                        "long number",
                        json,
                        BOTH,
                        "{\"jsonrpc\":\"2.0\",\"id\":" + "9".repeat(5000) + "}",
                        400,
                        -32700),
                Arguments.of(
                        "params an array",
                        json,
                        BOTH,
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":[1]}",
                        400,
                        -32602),
                Arguments.of(
                        "tool name a number",
                        json,
                        BOTH,
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":5}}",
                        400,
                        -32602),
                Arguments.of(
                        "arguments a string",
                        json,
                        BOTH,
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"read_graph\",\"arguments\":\"x\"}}",
                        400,
                        -32602),
                Arguments.of(
                        "initialize without client info",
                        json,
                        BOTH,
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\"}}",
                        400,
                        -32602),
                Arguments.of(
                        "text/plain",
                        "text/plain",
                        BOTH,
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}",
                        415,
                        -32600),
                Arguments.of(
                        "no content type",
                        null,
                        BOTH,
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}",
                        415,
                        -32600),
                Arguments.of(
                        "accept json only",
                        json,
                        "application/json",
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}",
                        400,
                        -32600),
                Arguments.of(
                        "no accept", json, null, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}", 400, -32600),
                Arguments.of(
                        "accept html",
                        json,
                        "text/html",
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}",
                        400,
                        -32600));
    }

    @ParameterizedTest(name = "{0} -> {4} {5}")
    @MethodSource("malformed")
    void answersAJsonRpcError(String name, String contentType, String accept, String body, int status, int code) {
        HttpResponse<String> response = post(contentType, accept, body);
        JsonNode error = ErrorShape.assertError("/mcp", response);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(error.path("error").path("code").asInt()).as(response.body()).isEqualTo(code);
        assertThat(error.path("error").path("data").path("request_id").asString())
                .isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
    }

    @Test
    void anErrorForARequestWithAUsableIdEchoesIt() {
        HttpResponse<String> response = post(
                "application/json",
                BOTH,
                "{\"jsonrpc\":\"2.0\",\"id\":\"abc\",\"method\":\"tools/call\",\"params\":[]}");
        assertThat(Json.tree(response.body()).path("id").asString()).isEqualTo("abc");
    }

    @Test
    void anUnknownMethodIsMethodNotFound() {
        HttpResponse<String> response =
                post("application/json", BOTH, "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"no/such\"}");
        // A well-formed request gets its JSON-RPC answer with 200, as any other response.
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = Json.tree(response.body());
        assertThat(body.path("id").asInt()).isEqualTo(7);
        assertThat(body.path("error").path("code").asInt()).isEqualTo(-32601);
        ErrorShape.assertNoLeak(response.body());
    }

    @Test
    void otherMethodsThanPostAre405() {
        for (String method : new String[] {"GET", "DELETE", "PUT"}) {
            HttpResponse<String> response = server.send(server.request("/mcp", alice)
                    .header("Accept", BOTH)
                    .method(method, HttpRequest.BodyPublishers.noBody())
                    .build());
            ErrorShape.assertError("/mcp", response);
            assertThat(response.statusCode()).isEqualTo(405);
            assertThat(response.headers().firstValue("Allow")).contains("POST");
        }
    }

    @Test
    void obeysTheBodyLimitAndLogsOnlyAShortMaskedExcerpt() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        root.addAppender(lines);
        // The CLI's quiet mode, run by other tests in this JVM, leaves the root at WARN.
        ch.qos.logback.classic.Level level = root.getLevel();
        root.setLevel(ch.qos.logback.classic.Level.INFO);
        try {
            String secret = "orc_secretsecretsecret";
            String big = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"x\",\"k\":\""
                    + secret + "x".repeat(BODY_LIMIT * 3) + "\"}}";
            HttpResponse<String> tooBig = post("application/json", BOTH, big, true);
            ErrorShape.assertError("/mcp", tooBig);
            assertThat(tooBig.statusCode()).isEqualTo(413);

            String invalid = "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"key\":\"" + secret
                    + "\",\"pad\":\"" + "y".repeat(BODY_LIMIT / 2) + "\"}}]";
            assertThat(post("application/json", BOTH, invalid).statusCode()).isEqualTo(400);
        } finally {
            root.detachAppender(lines);
            root.setLevel(level);
        }
        assertThat(lines.list).isNotEmpty();
        for (ILoggingEvent line : lines.list) {
            assertThat(line.getFormattedMessage().length())
                    .as(line.getFormattedMessage())
                    .isLessThan(400);
            assertThat(line.getFormattedMessage()).doesNotContain("secretsecret");
            assertThat(line.getLevel()).isNotEqualTo(ch.qos.logback.classic.Level.ERROR);
            assertThat(line.getThrowableProxy()).isNull();
        }
        assertThat(lines.list)
                .anySatisfy(line -> assertThat(line.getFormattedMessage()).contains("rejected an MCP message"));
    }

    @Test
    void countsInTheHttpMetrics() {
        post("application/json", BOTH, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}");
        String scrape = server.get("/metrics", null).body();
        assertThat(scrape.lines()
                        .filter(line -> line.startsWith("http_server_requests_seconds_count{"))
                        .filter(line -> line.contains("route=\"/mcp\""))
                        .filter(line -> line.contains("status=\"200\"")))
                .isNotEmpty();
    }
}
