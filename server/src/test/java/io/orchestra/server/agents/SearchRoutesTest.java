package io.orchestra.server.agents;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.orchestra.core.json.Json;
import io.orchestra.server.TestServer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class SearchRoutesTest {
    static Javalin wikipedia;
    static TestServer server;

    @BeforeAll
    static void start() {
        wikipedia = Javalin.create(config -> config.routes.get(
                        "/w/api.php", ctx -> ctx.contentType("application/json").result("""
                {"batchcomplete":"","query":{"searchinfo":{"totalhits":1},"search":[{"ns":0,"title":"Clinical trial","pageid":6665,
                "snippet":"<span class=\\"searchmatch\\">Clinical</span> trials are prospective biomedical studies","timestamp":"2025-01-01T00:00:00Z"}]}}""")))
                .start("127.0.0.1", 0);
        server = TestServer.start(
                TestServer.Storage.SQLITE,
                Map.of(
                        "orchestra.search.wikipedia.url", "http://127.0.0.1:" + wikipedia.port(),
                        "orchestra.search.brave.api-key", "BSA-never-printed",
                        "orchestra.search.brave.url", "http://127.0.0.1:1/res/v1/web/search"));
    }

    @AfterAll
    static void stop() {
        server.close();
        wikipedia.stop();
    }

    @Test
    void searchesConfiguredProvidersAndReportsTheOnesThatFailed() {
        HttpResponse<String> response = server.get("/api/search/web?q=clinical%20trial&limit=3", TestServer.ADMIN_KEY);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = Json.tree(response.body());
        assertThat(body.get("results").get(0).get("title").asString()).isEqualTo("Clinical trial");
        assertThat(body.get("results").get(0).get("snippet").asString())
                .isEqualTo("Clinical trials are prospective biomedical studies");
        assertThat(body.get("errors").get("brave").asString()).isEqualTo("brave: cannot connect");
        assertThat(response.body()).doesNotContain("BSA-never-printed");
    }

    @Test
    void listsProvidersAndRejectsBadQueries() {
        assertThat(server.get("/api/search/providers", TestServer.ADMIN_KEY).body())
                .contains("wikipedia", "brave");
        assertThat(server.get("/api/search/web", TestServer.ADMIN_KEY).statusCode())
                .isEqualTo(400);
        assertThat(server.get("/api/search/web?q=x&limit=0", TestServer.ADMIN_KEY)
                        .statusCode())
                .isEqualTo(400);
        assertThat(server.get("/api/search/web?q=x", null).statusCode()).isEqualTo(401);
    }
}
