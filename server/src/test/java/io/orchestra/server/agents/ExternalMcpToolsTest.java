package io.orchestra.server.agents;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.json.Json;
import io.orchestra.server.TestServer;
import io.orchestra.server.gateway.FakeUpstream;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A persona calls a tool of an external MCP server (here another Orchestra's /mcp, started in the test). */
class ExternalMcpToolsTest {
    @Test
    void personaUsesToolsOfAConfiguredMcpServer() {
        try (FakeUpstream upstream = new FakeUpstream();
                TestServer external = TestServer.start(TestServer.Storage.SQLITE)) {
            String externalKey = external.createKey("shared", "member", "library");
            external.post(
                    "/api/memory/graph/entities",
                    externalKey,
                    "{\"entities\":[{\"name\":\"Grace_Hopper\",\"entityType\":\"person\",\"observations\":[\"Invented the first compiler\"]}]}");
            try (TestServer server = TestServer.start(
                    TestServer.Storage.SQLITE, Map.of("orchestra.chat.extract-memories", "false"), """
                    gateway:
                      providers:
                        openai: { kind: openai, base_url: "%s/openai/v1", api_key: "sk-test" }
                      routes:
                        - { alias: agent, targets: [ { provider: openai, model: agent } ] }
                    mcp_servers:
                      - { name: library, url: "%s/mcp", headers: { Authorization: "Bearer %s" } }
                    """.formatted(
                                    upstream.baseUrl(), external.baseUrl(), externalKey))) {
                String key = server.createKey("user", "member", "user");
                HttpResponse<String> created = server.post("/api/personas", key, """
                        {"id":"librarian","name":"Librarian","description":"Looks things up","system_prompt":"Use the library.","model":"agent",
                         "tools":["mcp:library.search_nodes"],"domains":["library"]}""");
                assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
                HttpResponse<String> reply =
                        server.post("/api/chat", key, "{\"persona\":\"librarian\",\"message\":\"compiler\"}");
                assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
                JsonNode body = Json.tree(reply.body());
                assertThat(body.path("choices")
                                .get(0)
                                .path("message")
                                .path("content")
                                .asString())
                        .contains("Grace_Hopper", "first compiler");
                JsonNode offered = upstream.requests.getLast().path("tools");
                assertThat(offered).hasSize(1);
                assertThat(offered.get(0).path("function").path("name").asString())
                        .isEqualTo("mcp_library_search_nodes");
                JsonNode run = Json.tree(server.get(
                                "/api/runs/"
                                        + body.path("orchestra").path("run_id").asString(),
                                key)
                        .body());
                assertThat(run.path("steps").get(1).path("name").asString()).isEqualTo("mcp_library_search_nodes");
            }
        }
    }
}
