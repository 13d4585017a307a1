package io.orchestra.server.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.orchestra.core.json.Json;
import io.orchestra.server.TestServer;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/** as_of, entity_history and supersede over MCP (/mcp) and REST, on SQLite and PostgreSQL, per owner. */
class TimeTravelTest {
    @ParameterizedTest
    @EnumSource(TestServer.Storage.class)
    void readsThePastAndTheHistoryOverMcpAndRest(TestServer.Storage storage) throws Exception {
        try (TestServer server = TestServer.start(storage)) {
            String alice = server.createKey("alice", "member", "alice");
            String bob = server.createKey("bob", "member", "bob");
            String then;
            try (McpSyncClient a = McpHttpTest.client(server, alice);
                    McpSyncClient b = McpHttpTest.client(server, bob)) {
                call(a, "create_entities", Map.of("entities", List.of(entity("Ada", "Role: engineer", "Likes tea"))));
                call(b, "create_entities", Map.of("entities", List.of(entity("Ada", "Bob's Ada"))));
                call(
                        a,
                        "create_relations",
                        Map.of("relations", List.of(Map.of("from", "Ada", "to", "Acme", "relationType", "works_at"))));
                then = later();

                JsonNode added = structured(call(
                        a,
                        "add_observations",
                        Map.of(
                                "observations",
                                List.of(Map.of(
                                        "entityName",
                                        "Ada",
                                        "contents",
                                        List.of("role: CTO"),
                                        "supersedeSameKey",
                                        true)))));
                assertThat(added.at("/results/0/supersededObservations/0").asString())
                        .isEqualTo("Role: engineer");
                call(
                        a,
                        "create_relations",
                        Map.of(
                                "relations",
                                List.of(Map.of(
                                        "from",
                                        "Ada",
                                        "to",
                                        "Initech",
                                        "relationType",
                                        "works_at",
                                        "supersede",
                                        true))));
                call(
                        a,
                        "delete_observations",
                        Map.of(
                                "deletions",
                                List.of(Map.of("entityName", "Ada", "observations", List.of("Likes tea")))));

                // Now: what a reference client sees.
                JsonNode now = structured(call(a, "open_nodes", Map.of("names", List.of("Ada"))));
                assertThat(strings(now.at("/entities/0/observations"))).containsExactly("role: CTO");
                assertThat(now.at("/relations/0/to").asString()).isEqualTo("Initech");
                assertThat(now.path("relations")).hasSize(1);

                // Then: every read tool with as_of.
                JsonNode past = structured(call(a, "open_nodes", Map.of("names", List.of("Ada"), "as_of", then)));
                assertThat(strings(past.at("/entities/0/observations"))).containsExactly("Role: engineer", "Likes tea");
                assertThat(past.at("/relations/0/to").asString()).isEqualTo("Acme");
                assertThat(structured(call(a, "search_nodes", Map.of("query", "engineer", "as_of", then)))
                                .path("entities"))
                        .hasSize(1);
                assertThat(structured(call(a, "search_nodes", Map.of("query", "engineer")))
                                .path("entities"))
                        .isEmpty();
                assertThat(structured(call(a, "read_graph", Map.of("as_of", then)))
                                .at("/entities/0/observations"))
                        .hasSize(2);

                JsonNode history = structured(call(a, "entity_history", Map.of("entityName", "Ada")));
                assertThat(history.path("observations")).hasSize(3);
                assertThat(history.at("/observations/0/content").asString()).isEqualTo("Role: engineer");
                assertThat(history.at("/observations/0/supersededBy").asString())
                        .isEqualTo("role: CTO");
                assertThat(history.at("/observations/0/validTo").isNull()).isFalse();
                assertThat(history.at("/observations/2/validTo").isNull()).isTrue();
                assertThat(history.at("/relations/0/supersededBy/to").asString())
                        .isEqualTo("Initech");
                // Bob's Ada is his own.
                assertThat(structured(call(b, "entity_history", Map.of("entityName", "Ada")))
                                .path("observations"))
                        .hasSize(1);

                McpSchema.CallToolResult bad = call(a, "read_graph", Map.of("as_of", "yesterday"));
                assertThat(bad.isError()).isTrue();
                assertThat(call(a, "entity_history", Map.of("entityName", "Nobody"))
                                .isError())
                        .isTrue();
            }

            // REST: the same reads.
            String at = URLEncoder.encode(then, StandardCharsets.UTF_8);
            JsonNode graph = json(server.get("/api/memory/graph?as_of=" + at, alice), 200);
            assertThat(strings(graph.at("/entities/0/observations"))).containsExactly("Role: engineer", "Likes tea");
            JsonNode found = json(server.get("/api/memory/graph/search?q=engineer&as_of=" + at, alice), 200);
            assertThat(found.path("entities")).hasSize(1);
            assertThat(json(
                                    server.post(
                                            "/api/memory/graph/nodes",
                                            alice,
                                            "{\"names\":[\"Ada\"],\"as_of\":\"" + then + "\"}"),
                                    200)
                            .at("/relations/0/to")
                            .asString())
                    .isEqualTo("Acme");
            JsonNode history = json(server.get("/api/memory/graph/history?name=Ada", alice), 200);
            assertThat(history.path("observations")).hasSize(3);
            assertThat(json(server.get("/api/memory/graph/history?name=Ada", bob), 200)
                            .path("observations"))
                    .hasSize(1);
            assertThat(server.get("/api/memory/graph/history?name=Nobody", alice)
                            .statusCode())
                    .isEqualTo(404);
            HttpResponse<String> badDate = server.get("/api/memory/graph?as_of=yesterday", alice);
            assertThat(badDate.statusCode()).isEqualTo(400);
            assertThat(badDate.headers().firstValue("Content-Type").orElse("")).contains("problem+json");
            JsonNode superseded = json(
                    server.post(
                            "/api/memory/graph/supersede",
                            alice,
                            "{\"entityName\":\"Ada\",\"observation\":\"role: CTO\",\"with\":\"role: CEO\"}"),
                    200);
            assertThat(strings(superseded.path("supersededObservations"))).containsExactly("role: CTO");
            assertThat(server.post(
                                    "/api/memory/graph/supersede",
                                    bob,
                                    "{\"entityName\":\"Ada\",\"observation\":\"role: CTO\",\"with\":\"x\"}")
                            .statusCode())
                    .isEqualTo(422);

            // The owner's export: the reference's JSONL, or every fact with its validity.
            HttpResponse<String> reference = server.get("/api/memory/graph/export", alice);
            assertThat(reference.statusCode()).isEqualTo(200);
            assertThat(reference
                            .body()
                            .lines()
                            .map(Json::tree)
                            .map(l -> l.path("type").asString()))
                    .containsExactly("entity", "relation");
            List<JsonNode> full = server.get("/api/memory/graph/export?validity=true", alice)
                    .body()
                    .lines()
                    .map(Json::tree)
                    .toList();
            assertThat(full.stream().filter(l -> l.path("type").asString().equals("observation")))
                    .hasSize(4);
            assertThat(server.get("/api/memory/graph/export?validity=maybe", alice)
                            .statusCode())
                    .isEqualTo(400);

            // Memories: supersede, as_of, forget, purge.
            String office = json(
                            server.post("/api/memory/memories", alice, "{\"text\":\"The office is in Berlin\"}"), 201)
                    .at("/memory/id")
                    .asString();
            String before = later();
            String moved = json(
                            server.post(
                                    "/api/memory/memories",
                                    alice,
                                    "{\"text\":\"The office moved to Munich\",\"supersedes\":\"" + office + "\"}"),
                            201)
                    .at("/memory/id")
                    .asString();
            assertThat(texts(json(server.get("/api/memory/memories?q=office&k=5", alice), 200)))
                    .containsExactly("The office moved to Munich");
            assertThat(texts(json(
                            server.get(
                                    "/api/memory/memories?q=office&k=5&as_of="
                                            + URLEncoder.encode(before, StandardCharsets.UTF_8),
                                    alice),
                            200)))
                    .containsExactly("The office is in Berlin");
            assertThat(server.delete("/api/memory/memories/" + moved, bob).statusCode())
                    .isEqualTo(404);
            assertThat(server.delete("/api/memory/memories/" + moved + "?purge=maybe", alice)
                            .statusCode())
                    .isEqualTo(400);
            assertThat(server.delete("/api/memory/memories/" + moved, alice).statusCode())
                    .isEqualTo(204);
            assertThat(texts(json(server.get("/api/memory/memories?q=office&k=5", alice), 200)))
                    .isEmpty();
            assertThat(server.delete("/api/memory/memories/" + office + "?purge=true", alice)
                            .statusCode())
                    .isEqualTo(204);
            assertThat(texts(json(
                            server.get(
                                    "/api/memory/memories?q=office&k=5&as_of="
                                            + URLEncoder.encode(before, StandardCharsets.UTF_8),
                                    alice),
                            200)))
                    .isEmpty();

            // The owner's delete-all erases everything of the owner, and nothing of another's.
            assertThat(server.delete("/api/memory", alice).statusCode()).isEqualTo(400);
            assertThat(server.delete("/api/memory?confirm=true", alice).statusCode())
                    .isEqualTo(204);
            assertThat(server.get("/api/memory/graph/history?name=Ada", alice).statusCode())
                    .isEqualTo(404);
            assertThat(server.get("/api/memory/graph/export?validity=true", alice)
                            .body())
                    .isEmpty();
            assertThat(json(server.get("/api/memory/graph/history?name=Ada", bob), 200)
                            .path("observations"))
                    .hasSize(1);
        }
    }

    /** An instant strictly after everything so far and before anything next (timestamps are milliseconds). */
    private static String later() throws InterruptedException {
        Thread.sleep(5);
        String at = Instant.now().toString();
        Thread.sleep(5);
        return at;
    }

    private static Map<String, Object> entity(String name, String... observations) {
        return Map.of("name", name, "entityType", "person", "observations", List.of(observations));
    }

    private static McpSchema.CallToolResult call(McpSyncClient client, String tool, Map<String, Object> args) {
        return McpHttpTest.call(client, tool, args);
    }

    private static JsonNode structured(McpSchema.CallToolResult result) {
        assertThat(result.isError()).as(String.valueOf(result.content())).isFalse();
        return Json.mapper().valueToTree(result.structuredContent());
    }

    private static JsonNode json(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return Json.tree(response.body());
    }

    private static List<String> strings(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false)
                .map(JsonNode::asString)
                .toList();
    }

    private static List<String> texts(JsonNode recalled) {
        return java.util.stream.StreamSupport.stream(recalled.path("data").spliterator(), false)
                .map(r -> r.at("/memory/text").asString())
                .toList();
    }
}
