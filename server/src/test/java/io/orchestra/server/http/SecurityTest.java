package io.orchestra.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.json.Json;
import io.orchestra.server.TestServer;
import io.orchestra.server.gateway.FakeUpstream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What is public, what every response says about itself, and what /api/routes never shows. */
class SecurityTest {
    static FakeUpstream upstream;
    static TestServer server;

    @BeforeAll
    static void start() {
        upstream = new FakeUpstream();
        server = TestServer.start(
                TestServer.Storage.SQLITE, Map.of("orchestra.auth.public-paths", "/health,/ready"), """
                gateway:
                  providers:
                    local: { kind: openai_compatible, base_url: "%s/openai/v1" }
                    proxied: { kind: openai_compatible, base_url: "http://proxyuser:hunter2secret@127.0.0.1:1/v1" }
                  routes:
                    - { alias: local, targets: [ { provider: local, model: gpt-4o-mini } ] }
                """.formatted(
                                upstream.baseUrl()));
    }

    @AfterAll
    static void stop() {
        server.close();
        upstream.close();
    }

    @Test
    void metricsNeedAKeyWhenThePublicPathsLeaveItOut() {
        assertThat(server.get("/metrics", null).statusCode()).isEqualTo(401);
        ErrorShape.assertError("/metrics", server.get("/metrics", null));
        HttpResponse<String> keyed = server.get("/metrics", TestServer.ADMIN_KEY);
        assertThat(keyed.statusCode()).isEqualTo(200);
        assertThat(keyed.body()).contains("jvm_memory_used_bytes");
        // The probes stay public: they are listed.
        assertThat(server.get("/health", null).statusCode()).isEqualTo(200);
    }

    @Test
    void metricsArePublicByDefault() {
        try (TestServer defaults = TestServer.start(TestServer.Storage.SQLITE)) {
            assertThat(defaults.get("/metrics", null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void routesListingMasksAProviderUrlsPassword() {
        HttpResponse<String> routes = server.get("/api/routes", TestServer.ADMIN_KEY);
        assertThat(routes.statusCode()).isEqualTo(200);
        assertThat(Json.tree(routes.body())
                        .path("providers")
                        .path("proxied")
                        .path("base_url")
                        .asString())
                .isEqualTo("http://proxyuser:****@127.0.0.1:1/v1");
        assertThat(routes.body()).doesNotContain("hunter2secret");
        assertThat(server.get("/ui/routes", null).body()).doesNotContain("hunter2secret");
    }

    @Test
    void everyResponseCarriesTheSecurityHeaders() {
        for (HttpResponse<String> response : new HttpResponse[] {
            server.get("/health", null),
            server.get("/api/keys", null),
            server.get("/api/keys", TestServer.ADMIN_KEY),
            server.get("/v1/models", TestServer.ADMIN_KEY),
            server.get("/nothing-here", null),
            server.get("/ui", null),
            server.get("/ui/login", null),
            mcp(),
            RawHttp.get(server.orchestra().port(), "/api/sessions/%00")
        }) {
            var headers = response.headers();
            assertThat(headers.firstValue("X-Content-Type-Options"))
                    .as(response.toString())
                    .contains("nosniff");
            assertThat(headers.firstValue("Referrer-Policy"))
                    .as(response.toString())
                    .contains("no-referrer");
            assertThat(headers.firstValue("Content-Security-Policy").orElse(""))
                    .as(response.toString())
                    .contains("frame-ancestors 'none'");
            assertThat(headers.firstValue("Strict-Transport-Security"))
                    .as(response.toString())
                    .isEmpty();
        }
        String ui = server.get("/ui/login", null)
                .headers()
                .firstValue("Content-Security-Policy")
                .orElseThrow();
        assertThat(ui)
                .contains("script-src 'self'")
                .contains("style-src 'self'")
                .doesNotContain("unsafe");
        String api = server.get("/health", null)
                .headers()
                .firstValue("Content-Security-Policy")
                .orElseThrow();
        assertThat(api).startsWith("default-src 'none'");
    }

    @Test
    void hstsOnlyWhenTheRequestCameOverHttps() {
        HttpResponse<String> proxied = server.send(server.request("/health", null)
                .header("X-Forwarded-Proto", "https")
                .GET()
                .build());
        assertThat(proxied.headers().firstValue("Strict-Transport-Security").orElse(""))
                .startsWith("max-age=");
        assertThat(server.get("/health", null).headers().firstValue("Strict-Transport-Security"))
                .isEmpty();
    }

    @Test
    void aBrokenInlineImageIsRefusedBeforeTheProviderIsCalled() {
        int before = upstream.requests.size();
        for (String url : new String[] {
            "data:;base64,!!!",
            "data:image/png;base64,!!!",
            "data:text/plain;base64,aGk=",
            "data:image/png,raw",
            "data:"
        }) {
            HttpResponse<String> response = server.post(
                    "/v1/chat/completions",
                    TestServer.ADMIN_KEY,
                    "{\"model\":\"local\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"what?\"},"
                            + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"" + url + "\"}}]}]}");
            ErrorShape.assertError("/v1/chat/completions", response);
            assertThat(response.statusCode()).as(url).isEqualTo(400);
        }
        assertThat(upstream.requests).hasSize(before);
        HttpResponse<String> good = server.post(
                "/v1/chat/completions",
                TestServer.ADMIN_KEY,
                "{\"model\":\"local\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
                        + "\"image_url\":{\"url\":\"data:image/png;base64,iVBORw0KGgo=\"}}]}]}");
        assertThat(good.statusCode()).as(good.body()).isEqualTo(200);
    }

    private static HttpResponse<String> mcp() {
        return server.send(server.request("/mcp", TestServer.ADMIN_KEY)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}"))
                .build());
    }
}
