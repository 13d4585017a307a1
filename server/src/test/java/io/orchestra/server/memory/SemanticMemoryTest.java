package io.orchestra.server.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.orchestra.core.json.Json;
import io.orchestra.server.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/** remember / recall / forget / update_memory with real embeddings, over REST and MCP, on both databases. */
class SemanticMemoryTest {
    @ParameterizedTest
    @EnumSource(TestServer.Storage.class)
    void remembersRecallsMergesAndForgetsPerOwner(TestServer.Storage storage) {
        try (TestServer server = TestServer.start(storage)) {
            String alice = server.createKey("alice", "member", "alice");
            String bob = server.createKey("bob", "member", "bob");
            HttpResponse<String> first = server.post(
                    "/api/memory/memories",
                    alice,
                    "{\"text\":\"Alice is allergic to peanuts\",\"tags\":[\"health\"],\"importance\":0.9}");
            assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
            String id = Json.tree(first.body()).path("memory").path("id").asString();
            server.post(
                    "/api/memory/memories",
                    alice,
                    "{\"text\":\"Alice's favourite city is Lisbon\",\"tags\":[\"travel\"]}");
            server.post(
                    "/api/memory/memories", alice, "{\"text\":\"The quarterly board meeting is on the first Monday\"}");

            HttpResponse<String> duplicate = server.post(
                    "/api/memory/memories", alice, "{\"text\":\"Alice is allergic to peanuts.\",\"tags\":[\"food\"]}");
            assertThat(duplicate.statusCode()).isEqualTo(200);
            assertThat(Json.tree(duplicate.body()).path("merged").asBoolean()).isTrue();
            assertThat(Json.tree(duplicate.body()).path("memory").path("tags").toString())
                    .contains("health", "food");
            assertThat(Json.tree(server.get("/api/memory/memories", alice).body())
                            .path("data"))
                    .hasSize(3);

            JsonNode recalled = Json.tree(
                            server.get("/api/memory/memories?q=what%20food%20should%20alice%20avoid&k=2", alice)
                                    .body())
                    .path("data");
            assertThat(recalled.get(0).path("memory").path("text").asString()).contains("peanuts");
            JsonNode travel = Json.tree(
                            server.get("/api/memory/memories?q=where%20to%20go%20on%20holiday&tag=travel", alice)
                                    .body())
                    .path("data");
            assertThat(travel).hasSize(1);
            assertThat(Json.tree(server.get("/api/memory/memories?q=peanuts", bob)
                                    .body())
                            .path("data"))
                    .isEmpty();

            HttpResponse<String> updated = server.send(server.request("/api/memory/memories/" + id, alice)
                    .header("Content-Type", "application/json")
                    .method(
                            "PATCH",
                            HttpRequest.BodyPublishers.ofString(
                                    "{\"text\":\"Alice is allergic to peanuts and shellfish\"}"))
                    .build());
            assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
            assertThat(server.delete("/api/memory/memories/" + id, bob).statusCode())
                    .isEqualTo(404);
            assertThat(server.delete("/api/memory/memories/" + id, alice).statusCode())
                    .isEqualTo(204);
            assertThat(server.get("/api/memory/memories?q=allergy", alice).body())
                    .doesNotContain("peanuts");
            assertThat(server.post("/api/memory/memories", alice, "{\"text\":\"\",\"importance\":3}")
                            .statusCode())
                    .isEqualTo(422);

            try (McpSyncClient client = McpHttpTest.client(server, bob)) {
                McpSchema.CallToolResult remembered = client.callTool(new McpSchema.CallToolRequest(
                        "remember", Map.of("text", "Bob runs marathons", "tags", List.of("sport"))));
                assertThat(remembered.isError()).isFalse();
                McpSchema.CallToolResult recall =
                        client.callTool(new McpSchema.CallToolRequest("recall", Map.of("query", "endurance running")));
                assertThat(recall.structuredContent().toString())
                        .contains("Bob runs marathons")
                        .doesNotContain("Lisbon");
                McpSchema.CallToolResult missing =
                        client.callTool(new McpSchema.CallToolRequest("forget", Map.of("id", "mem_nope")));
                assertThat(missing.isError()).isTrue();
            }
        }
    }
}
