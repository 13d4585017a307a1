package io.orchestra.server.agents;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.orchestra.core.json.Json;
import io.orchestra.server.TestServer;
import io.orchestra.server.gateway.FakeUpstream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Web and document results blended by the persona's preference; a slow tool is cut off by its timeout. */
class PersonaSearchToolsTest {
    static FakeUpstream upstream;
    static Javalin search;
    static TestServer server;
    static String key;

    @BeforeAll
    static void start() throws Exception {
        upstream = new FakeUpstream();
        search = Javalin.create(c -> {
                    c.routes.get(
                            "/w/api.php",
                            ctx -> ctx.contentType("application/json").result("""
                    {"query":{"search":[{"title":"Phases of clinical research","snippet":"Phase III trials compare treatments"}]}}"""));
                    c.routes.get("/search", ctx -> {
                        Thread.sleep(3000);
                        ctx.contentType("application/json").result("{\"results\":[]}");
                    });
                })
                .start("127.0.0.1", 0);
        server = TestServer.start(
                TestServer.Storage.SQLITE,
                Map.of(
                        "orchestra.chat.extract-memories",
                        "false",
                        "orchestra.chat.tool-timeout-ms",
                        "300",
                        "orchestra.search.wikipedia.url",
                        "http://127.0.0.1:" + search.port(),
                        "orchestra.search.searxng.url",
                        "http://127.0.0.1:" + search.port()),
                """
                gateway:
                  providers:
                    openai: { kind: openai, base_url: "%s/openai/v1", api_key: "sk-test" }
                  routes:
                    - { alias: agent, targets: [ { provider: openai, model: agent } ] }
                """.formatted(upstream.baseUrl()));
        key = server.createKey("user", "member", "user");
        String boundary = "----b" + System.nanoTime();
        String multipart =
                "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"trial.md\"\r\n\r\n"
                        + "Our trial ORC-7 is in phase III with 120 patients.\r\n--" + boundary + "--\r\n";
        HttpResponse<String> uploaded = server.send(server.request("/api/documents", key)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(multipart))
                .build());
        String id = Json.tree(uploaded.body()).path("id").asString();
        for (int i = 0;
                i < 200
                        && !Json.tree(server.get("/api/documents/" + id, key).body())
                                .path("status")
                                .asString()
                                .equals("ready");
                i++) {
            Thread.sleep(50);
        }
    }

    @AfterAll
    static void stop() {
        server.close();
        search.stop();
        upstream.close();
    }

    static String persona(String id, String tools, String providers, String blend) {
        return """
                {"id":"%s","name":"Searcher","description":"Searches","system_prompt":"Search first.","model":"agent",
                 "tools":%s,"search":{"providers":%s,"blend":"%s","max_results":3}}""".formatted(id, tools, providers, blend);
    }

    static String answer(String personaId) {
        HttpResponse<String> reply =
                server.post("/api/chat", key, "{\"persona\":\"" + personaId + "\",\"message\":\"phase III trial\"}");
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        return Json.tree(reply.body())
                .path("choices")
                .get(0)
                .path("message")
                .path("content")
                .asString();
    }

    @Test
    void blendFollowsThePersonasPreference() {
        server.post(
                "/api/personas",
                key,
                persona("web-first", "[\"documents.search\",\"web.search\"]", "[\"wikipedia\"]", "web_first"));
        server.post(
                "/api/personas",
                key,
                persona("docs-first", "[\"documents.search\",\"web.search\"]", "[\"wikipedia\"]", "documents_first"));
        String webFirst = answer("web-first");
        assertThat(webFirst).contains("[web] Phases of clinical research", "[trial.md#0]");
        assertThat(webFirst.indexOf("[web]")).isLessThan(webFirst.indexOf("[trial.md#0]"));
        String docsFirst = answer("docs-first");
        assertThat(docsFirst.indexOf("[trial.md#0]")).isLessThan(docsFirst.indexOf("[web]"));
    }

    @Test
    void aSlowToolIsCutOffByItsTimeoutAndTheStepRecordsIt() {
        server.post("/api/personas", key, persona("slow-web", "[\"web.search\"]", "[\"searxng\"]", "balanced"));
        long start = System.nanoTime();
        HttpResponse<String> reply =
                server.post("/api/chat", key, "{\"persona\":\"slow-web\",\"message\":\"anything\"}");
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        JsonNode body = Json.tree(reply.body());
        assertThat(body.path("choices").get(0).path("message").path("content").asString())
                .contains("did not answer within 300 ms");
        JsonNode run = Json.tree(
                server.get("/api/runs/" + body.path("orchestra").path("run_id").asString(), key)
                        .body());
        assertThat(run.path("steps").get(1).path("error").asString()).contains("did not answer within 300 ms");
        // The timeout bounds wall time: the search answers after 3 s, the step ends at ~300 ms (an executor's
        // close() used to wait for the tool). Generous bounds, far from both.
        assertThat(run.path("steps").get(1).path("durationMillis").asLong()).isBetween(250L, 1_500L);
        assertThat(elapsedMillis).isLessThan(2_500L);
    }
}
