package io.orchestra.server.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.orchestra.core.json.Json;
import io.orchestra.server.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The official MCP Java SDK client against /mcp on the real server (SQLite here; PostgreSQL in the subclass). */
@org.junit.jupiter.api.TestInstance(org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS)
class McpHttpTest {
    TestServer server;
    String alice;
    String bob;

    TestServer.Storage storage() {
        return TestServer.Storage.SQLITE;
    }

    @BeforeAll
    void start() {
        server = TestServer.start(storage());
        alice = server.createKey("alice", "member", "alice");
        bob = server.createKey("bob", "member", "bob");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    static McpSyncClient client(TestServer target, String key) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(target.baseUrl())
                .endpoint("/mcp")
                .jsonMapper(new JacksonMcpJsonMapper(Json.mapper()))
                .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + key))
                .build();
        McpSyncClient client =
                McpClient.sync(transport).requestTimeout(Duration.ofSeconds(10)).build();
        client.initialize();
        return client;
    }

    static McpSchema.CallToolResult call(McpSyncClient client, String tool, Map<String, Object> args) {
        return client.callTool(new McpSchema.CallToolRequest(tool, args));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> structured(McpSchema.CallToolResult result) {
        return (Map<String, Object>) result.structuredContent();
    }

    @Test
    void listsTheReferenceToolsWithOutputSchemas() {
        try (McpSyncClient client = client(server, alice)) {
            List<McpSchema.Tool> tools = client.listTools().tools();
            assertThat(tools)
                    .extracting(McpSchema.Tool::name)
                    .containsExactlyInAnyOrder(
                            "create_entities",
                            "create_relations",
                            "add_observations",
                            "delete_entities",
                            "delete_observations",
                            "delete_relations",
                            "read_graph",
                            "search_nodes",
                            "open_nodes",
                            "entity_history",
                            "supersede",
                            "remember",
                            "recall",
                            "forget",
                            "update_memory");
            assertThat(tools).allSatisfy(tool -> assertThat(tool.outputSchema()).isNotNull());
        }
    }

    @Test
    void searchWithoutLimitReturnsEveryMatchAndWithLimitSaysWhereTheNextPageStarts() {
        String carol = server.createKey("carol", "member", "carol");
        String dave = server.createKey("dave", "member", "dave");
        try (McpSyncClient c = client(server, carol);
                McpSyncClient d = client(server, dave)) {
            List<Map<String, Object>> many = new java.util.ArrayList<>();
            for (int i = 0; i < 250; i++) {
                many.add(Map.of("name", "Star_" + i, "entityType", "star", "observations", List.of("bright")));
            }
            assertThat(call(c, "create_entities", Map.of("entities", many)).isError())
                    .isFalse();
            assertThat(call(d, "create_entities", Map.of("entities", many.subList(0, 3)))
                            .isError())
                    .isFalse();

            // No cap without limit (it used to stop at 100), and in creation order.
            List<?> all = (List<?>) structured(call(c, "search_nodes", Map.of("query", "bright")))
                    .get("entities");
            assertThat(all).hasSize(250);
            assertThat(((Map<?, ?>) all.get(249)).get("name")).isEqualTo("Star_249");
            assertThat(structured(call(c, "search_nodes", Map.of("query", "bright"))))
                    .doesNotContainKey("nextOffset");
            assertThat((List<?>) structured(call(c, "read_graph", Map.of())).get("entities"))
                    .hasSize(250);
            // The other owner sees only its own.
            assertThat((List<?>) structured(call(d, "search_nodes", Map.of("query", "bright")))
                            .get("entities"))
                    .hasSize(3);

            Map<String, Object> first = structured(call(c, "search_nodes", Map.of("query", "bright", "limit", 100)));
            assertThat((List<?>) first.get("entities")).hasSize(100);
            assertThat(first.get("nextOffset")).isEqualTo(100);
            Map<String, Object> last =
                    structured(call(c, "search_nodes", Map.of("query", "bright", "limit", 100, "offset", 200)));
            assertThat((List<?>) last.get("entities")).hasSize(50);
            assertThat(last).doesNotContainKey("nextOffset");
            Map<String, Object> page = structured(call(c, "read_graph", Map.of("limit", 240)));
            assertThat(page.get("nextOffset")).isEqualTo(240);
            assertThat(call(c, "search_nodes", Map.of("query", "bright", "limit", 0))
                            .isError())
                    .isTrue();
        }
    }

    @Test
    void everyToolWorksAndUsersNeverSeeEachOther() {
        try (McpSyncClient a = client(server, alice);
                McpSyncClient b = client(server, bob)) {
            McpSchema.CallToolResult created = call(
                    a,
                    "create_entities",
                    Map.of(
                            "entities",
                            List.of(
                                    Map.of(
                                            "name",
                                            "Ada",
                                            "entityType",
                                            "person",
                                            "observations",
                                            List.of("Wrote the first program")),
                                    Map.of(
                                            "name",
                                            "Analytical_Engine",
                                            "entityType",
                                            "machine",
                                            "observations",
                                            List.of()))));
            assertThat(created.isError()).isFalse();
            assertThat((List<?>) structured(created).get("entities")).hasSize(2);
            // The text is the reference's: the created entities as a JSON array.
            assertThat(io.orchestra.core.json.Json.tree(
                            ((McpSchema.TextContent) created.content().get(0)).text()))
                    .isEqualTo(io.orchestra.core.json.Json.mapper()
                            .valueToTree(structured(created).get("entities")));

            assertThat(call(
                                    a,
                                    "create_relations",
                                    Map.of(
                                            "relations",
                                            List.of(Map.of(
                                                    "from",
                                                    "Ada",
                                                    "to",
                                                    "Analytical_Engine",
                                                    "relationType",
                                                    "programmed"))))
                            .isError())
                    .isFalse();
            McpSchema.CallToolResult added = call(
                    a,
                    "add_observations",
                    Map.of(
                            "observations",
                            List.of(Map.of(
                                    "entityName",
                                    "Ada",
                                    "contents",
                                    List.of("Born in 1815", "Wrote the first program")))));
            assertThat(structured(added).toString()).contains("addedObservations=[Born in 1815]");

            McpSchema.CallToolResult missing = call(
                    a,
                    "add_observations",
                    Map.of("observations", List.of(Map.of("entityName", "Nobody", "contents", List.of("x")))));
            assertThat(missing.isError()).isTrue();
            assertThat(((McpSchema.TextContent) missing.content().get(0)).text())
                    .isEqualTo("Entity with name Nobody not found");

            assertThat(structured(call(a, "search_nodes", Map.of("query", "1815")))
                            .toString())
                    .contains("Ada");
            assertThat(structured(call(a, "open_nodes", Map.of("names", List.of("Ada", "Analytical_Engine"))))
                            .toString())
                    .contains("programmed");
            assertThat((List<?>) structured(call(b, "read_graph", Map.of())).get("entities"))
                    .isEmpty();
            assertThat((List<?>) structured(call(b, "search_nodes", Map.of("query", "Ada")))
                            .get("entities"))
                    .isEmpty();

            call(
                    a,
                    "delete_observations",
                    Map.of("deletions", List.of(Map.of("entityName", "Ada", "observations", List.of("Born in 1815")))));
            call(
                    a,
                    "delete_relations",
                    Map.of(
                            "relations",
                            List.of(Map.of("from", "Ada", "to", "Analytical_Engine", "relationType", "programmed"))));
            McpSchema.CallToolResult deleted =
                    call(a, "delete_entities", Map.of("entityNames", List.of("Analytical_Engine")));
            assertThat(structured(deleted)).containsEntry("success", true);
            Map<String, Object> graph = structured(call(a, "read_graph", Map.of()));
            assertThat(graph.toString())
                    .contains("Ada")
                    .doesNotContain("Analytical_Engine")
                    .doesNotContain("1815");

            McpSchema.CallToolResult bad = call(a, "search_nodes", Map.of("query", 42));
            assertThat(bad.isError()).isTrue();
        }
    }

    @Test
    void rejectsMissingOrWrongKeysWithWwwAuthenticate() {
        HttpResponse<String> response = server.send(server.request("/mcp", null)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}"))
                .build());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
        // /mcp answers in its own error shape: a JSON-RPC error object.
        assertThat(Json.tree(response.body()).path("error").path("code").asInt())
                .isEqualTo(-32600);
        assertThatThrownBy(() -> client(server, "orc_wrong-key")).isInstanceOf(RuntimeException.class);
    }

    @Test
    void rejectsForeignOrigins() {
        HttpResponse<String> response = server.send(server.request("/mcp", alice)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .header("Origin", "https://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}"))
                .build());
        assertThat(response.statusCode()).isEqualTo(403);
        HttpResponse<String> local = server.send(server.request("/mcp", alice)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .header("Origin", "http://localhost:3000")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}"))
                .build());
        assertThat(local.statusCode()).isEqualTo(200);
    }

    @Test
    void restApiSharesTheGraph() {
        String carol = server.createKey("carol", "member", "carol");
        HttpResponse<String> created = server.post(
                "/api/memory/graph/entities",
                carol,
                "{\"entities\":[{\"name\":\"Lovelace\",\"entityType\":\"person\",\"observations\":[\"Mathematician\"]}]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode search =
                Json.tree(server.get("/api/memory/graph/search?q=mathem", carol).body());
        assertThat(search.path("entities").get(0).path("name").asString()).isEqualTo("Lovelace");
        HttpResponse<String> missing = server.post(
                "/api/memory/graph/observations",
                carol,
                "{\"observations\":[{\"entityName\":\"Ghost\",\"contents\":[\"x\"]}]}");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(server.post("/api/memory/graph/entities", carol, "{\"entities\":\"nope\"}")
                        .statusCode())
                .isEqualTo(400);
        try (McpSyncClient client = client(server, carol)) {
            assertThat(structured(call(client, "open_nodes", Map.of("names", List.of("Lovelace"))))
                            .toString())
                    .contains("Mathematician");
        }
        assertThat(server.get("/api/memory/graph", alice).body()).doesNotContain("Lovelace");
    }
}
