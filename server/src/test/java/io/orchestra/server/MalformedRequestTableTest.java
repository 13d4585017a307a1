package io.orchestra.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.json.Json;
import io.orchestra.server.http.ErrorShape;
import io.orchestra.server.http.RawHttp;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A generated table of malformed requests (every route family × the ways a request can be wrong),
 * sent byte for byte to a running server: no 5xx, every error in its family's shape (problem+json on
 * /api, OpenAI's on /v1, JSON-RPC on /mcp), no stack trace or class name anywhere, and the server
 * still healthy afterwards.
 */
class MalformedRequestTableTest {
    private static final int BODY_LIMIT = 64 * 1024;
    private static final String KEY_ID = "{key-id}";
    static TestServer server;
    static String keyId;

    /** One request: what is sent, and which family's error shape applies. */
    record Case(String name, String method, String target, String contentType, byte[] body, boolean auth) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void start() {
        server = TestServer.start(
                TestServer.Storage.SQLITE, Map.of("orchestra.http.max-body-bytes", Integer.toString(BODY_LIMIT)));
        keyId = Json.tree(server.post("/api/keys", TestServer.ADMIN_KEY, "{\"name\":\"table\",\"role\":\"member\"}")
                        .body())
                .path("key")
                .path("id")
                .asString();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** The routes that read a JSON body, with a body of each field at the wrong type. */
    private static final List<String[]> JSON_ROUTES = List.of(
            new String[] {"POST", "/api/keys", "{\"name\":[],\"role\":{},\"owner\":5,\"tags\":\"a\"}"},
            new String[] {
                "PUT", "/api/keys/" + KEY_ID + "/limits", "{\"daily_budget_usd\":\"x\",\"requests_per_minute\":[]}"
            },
            new String[] {"POST", "/api/personas", "{\"id\":5,\"name\":[],\"temperature\":\"hot\",\"tools\":{}}"},
            new String[] {"PUT", "/api/personas/table", "{\"id\":\"table\",\"memory\":[],\"search\":\"x\"}"},
            new String[] {"POST", "/api/memory/memories", "{\"text\":{},\"scope\":5,\"importance\":\"high\",\"tags\":1}"
            },
            new String[] {"PATCH", "/api/memory/memories/mem_1", "{\"text\":[],\"importance\":{}}"},
            new String[] {"POST", "/api/memory/graph/entities/delete", "{\"entityNames\":\"a\"}"},
            new String[] {"POST", "/api/memory/graph/observations/delete", "{\"deletions\":{\"a\":1}}"},
            new String[] {"POST", "/api/memory/graph/relations/delete", "{\"relations\":[1,2]}"},
            new String[] {"POST", "/api/chat", "{\"message\":[],\"persona\":5,\"mode\":{},\"stream\":\"yes\"}"},
            new String[] {"POST", "/api/teams/runs", "{\"task\":5,\"personas\":\"a\",\"max_rounds\":\"two\"}"},
            new String[] {"PUT", "/api/routes/table", "{\"targets\":\"openai\",\"strategy\":5,\"when\":[]}"},
            new String[] {"POST", "/v1/chat/completions", "{\"model\":5,\"messages\":{},\"temperature\":\"x\",\"n\":[]}"
            },
            new String[] {"POST", "/v1/embeddings", "{\"model\":[],\"input\":{},\"dimensions\":\"x\"}"},
            new String[] {"POST", "/mcp", "{\"jsonrpc\":2,\"id\":{},\"method\":5,\"params\":[]}"});

    /** Routes addressed by an id or a query, for the path and parameter malformations. */
    private static final List<String> ID_ROUTES = List.of(
            "/api/keys/",
            "/api/personas/",
            "/api/sessions/",
            "/api/runs/",
            "/api/documents/",
            "/api/memory/memories/",
            "/v1/models/",
            "/ui/personas/",
            "/ui/requests/");

    private static final List<String> BAD_IDS = List.of(
            "%00", "..;", "%2e%2e%2f%2e%2e", "a%ZZ", "x".repeat(5000), "%F0%9F%98%80", "'%20OR%201=1--", "%C0%AE");

    private static final List<String> QUERIES = List.of(
            "/api/requests?limit=-1",
            "/api/requests?limit=abc",
            "/api/requests?limit=99999999999999999999",
            "/api/requests?cursor=%00",
            "/api/usage?range=forever",
            "/api/usage?group=%00",
            "/api/documents/search",
            "/api/documents/search?q=&limit=x",
            "/api/memory/graph/search?query=%00&limit=-5",
            "/api/memory/memories?scope=nope&limit=1e99",
            "/api/search/web?q=",
            "/api/search/web?q=a&provider=nope",
            "/api/keys?limit=x",
            "/api/personas?owner=%00",
            "/ui/requests?limit=-1",
            "/ui/usage?range=%00",
            "/ui/memory/entity?name=",
            "/ui/playground/details?id=..;",
            "/ui/routes/edit?alias=%00",
            "/health?x=%00",
            "/ready/..;/api/health",
            "/metrics/..%2f",
            "/api/health/%00");

    private static final List<String[]> BAD_METHODS = List.of(
            new String[] {"DELETE", "/health"},
            new String[] {"POST", "/ready"},
            new String[] {"PUT", "/metrics"},
            new String[] {"PATCH", "/api/health"},
            new String[] {"GET", "/v1/chat/completions"},
            new String[] {"PUT", "/v1/models"},
            new String[] {"DELETE", "/v1/embeddings"},
            new String[] {"PUT", "/api/chat"},
            new String[] {"DELETE", "/api/keys"},
            new String[] {"PATCH", "/api/personas"},
            new String[] {"PUT", "/api/teams/runs"},
            new String[] {"DELETE", "/api/routes"},
            new String[] {"POST", "/api/usage"},
            new String[] {"PATCH", "/mcp"},
            new String[] {"PUT", "/mcp"},
            new String[] {"DELETE", "/ui/login"},
            new String[] {"PUT", "/ui/keys"},
            new String[] {"FOO", "/api/keys"},
            new String[] {"TRACE", "/api/keys"},
            new String[] {"OPTIONS", "/v1/chat/completions"});

    static List<Case> table() {
        List<Case> cases = new ArrayList<>();
        for (String[] route : JSON_ROUTES) {
            String method = route[0];
            String path = route[1];
            String where = method + " " + path + ": ";
            cases.add(json(where + "empty body", method, path, ""));
            cases.add(json(where + "blank body", method, path, " \n\t "));
            cases.add(json(where + "invalid JSON", method, path, "{\"a\":"));
            cases.add(json(where + "trailing garbage", method, path, "{} x"));
            cases.add(json(where + "JSON null", method, path, "null"));
            cases.add(json(where + "an array", method, path, "[1,2]"));
            cases.add(json(where + "a string", method, path, "\"hello\""));
            cases.add(json(where + "wrong types", method, path, route[2]));
            cases.add(json(where + "deep nesting", method, path, "[".repeat(20_000) + "]".repeat(20_000)));
            cases.add(json(
                    where + "deep object nesting", method, path, "{\"a\":".repeat(3_000) + "1" + "}".repeat(3_000)));
            cases.add(json(where + "5,000-digit number", method, path, "{\"n\":" + "9".repeat(5_000) + "}"));
            cases.add(
                    json(
                            where + "huge numbers in fields",
                            method,
                            path,
                            "{\"n\":1000000000000,\"max_tokens\":99999999999999999999,\"temperature\":1e999,"
                                    + "\"importance\":-1e308,\"max_results\":12345678901234567890,\"requests_per_minute\":1e20}"));
            cases.add(json(where + "invalid UTF-8", method, path, new byte[] {
                '{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'
            }));
            cases.add(json(where + "NUL in a string", method, path, "{\"name\":\"a\\u0000b\",\"model\":\"\\u0000\"}"));
            cases.add(new Case(
                    where + "text/plain", method, path, "text/plain", "{}".getBytes(StandardCharsets.UTF_8), true));
            cases.add(new Case(
                    where + "form body",
                    method,
                    path,
                    "application/x-www-form-urlencoded",
                    "a=1&b=2".getBytes(StandardCharsets.UTF_8),
                    true));
            cases.add(
                    json(where + "oversized body", method, path, "{\"a\":\"" + "x".repeat(BODY_LIMIT + 1024) + "\"}"));
            cases.add(new Case(
                    where + "no key", method, path, "application/json", "{}".getBytes(StandardCharsets.UTF_8), false));
        }
        for (String route : ID_ROUTES) {
            for (String id : BAD_IDS) {
                cases.add(new Case("GET " + route + " bad id " + abbreviate(id), "GET", route + id, null, null, true));
            }
            cases.add(new Case("DELETE " + route + "%00", "DELETE", route + "%00", null, null, true));
        }
        for (String query : QUERIES) {
            cases.add(new Case("GET " + query, "GET", query, null, null, true));
        }
        for (String[] bad : BAD_METHODS) {
            cases.add(new Case(
                    bad[0] + " " + bad[1],
                    bad[0],
                    bad[1],
                    "application/json",
                    "{}".getBytes(StandardCharsets.UTF_8),
                    true));
        }
        cases.add(new Case(
                "GET /mcp without Accept",
                "POST",
                "/mcp",
                "application/json",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}".getBytes(StandardCharsets.UTF_8),
                true));
        cases.add(new Case("GET /api/keys with a bad key", "GET", "/api/keys", null, null, false));
        cases.add(new Case(
                "POST /ui/login junk",
                "POST",
                "/ui/login",
                "application/x-www-form-urlencoded",
                "key=%ZZ&csrf=%00".getBytes(StandardCharsets.UTF_8),
                false));
        return cases;
    }

    static Stream<Case> cases() {
        return table().stream();
    }

    private static Case json(String name, String method, String path, String body) {
        return json(name, method, path, body.getBytes(StandardCharsets.UTF_8));
    }

    private static Case json(String name, String method, String path, byte[] body) {
        return new Case(name, method, path, "application/json", body, true);
    }

    private static String abbreviate(String id) {
        return id.length() > 20 ? id.substring(0, 20) + "…(" + id.length() + ")" : id;
    }

    @Test
    void theTableHoldsAtLeast300Requests() {
        assertThat(table()).hasSizeGreaterThanOrEqualTo(300);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aMalformedRequestIsA4xxInItsRoutesShape(Case c) {
        String target = c.target().replace(KEY_ID, keyId);
        HttpResponse<String> response = send(c.method(), target, c.contentType(), c.body(), c.auth());
        String body = response.body();
        assertThat(response.statusCode()).as(c + " -> " + body).isLessThan(500);
        ErrorShape.assertNoLeak(body);
        if (response.statusCode() < 400) {
            return;
        }
        String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        if (unparsableTarget(path)) {
            // Jetty rejects a target it cannot decode before any handler sees it and keeps no path to
            // pick a family by, so these are the server-wide problem+json.
            ErrorShape.assertError("/", response);
        } else if (path.startsWith("/api/") || path.startsWith("/v1/") || path.equals("/mcp")) {
            ErrorShape.assertError(path, response);
        } else if (!body.isEmpty() && contentType.contains("json")) {
            // /ui, /health, /ready, /metrics: HTML pages for the browser, or problem+json.
            ErrorShape.assertError(path, response);
        }
    }

    private static boolean unparsableTarget(String path) {
        return path.contains("%00") || path.contains("%ZZ");
    }

    @Test
    void theServerIsHealthyAfterTheTable() {
        for (Case c : table()) {
            send(c.method(), c.target().replace(KEY_ID, keyId), c.contentType(), c.body(), c.auth());
        }
        assertThat(server.get("/health", null).statusCode()).isEqualTo(200);
    }

    private static HttpResponse<String> send(
            String method, String target, String contentType, byte[] body, boolean auth) {
        StringBuilder head =
                new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        head.append("Authorization: Bearer ")
                .append(auth ? TestServer.ADMIN_KEY : "orc_wrong")
                .append("\r\n");
        if (target.startsWith("/mcp")
                && !(body != null && new String(body, StandardCharsets.UTF_8).contains("\"ping\""))) {
            head.append("Accept: application/json, text/event-stream\r\n");
        }
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        return RawHttp.send(server.orchestra().port(), head.append("\r\n").toString(), body);
    }
}
