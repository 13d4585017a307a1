package io.orchestra.server.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.orchestra.core.json.Json;
import io.orchestra.server.TestServer;
import io.orchestra.testkit.TestReferenceMemory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The pinned reference memory server and Orchestra, side by side: one scripted sequence of calls
 * (errors included) sent to the reference over stdio, to {@code orchestra mcp --stdio} (SQLite) and
 * to /mcp over HTTP (PostgreSQL), each answer compared with the reference's: isError, the text byte
 * for byte, structuredContent as parsed JSON. The tool declarations and the graph resource too.
 */
class ReferenceParityTest {
    @TempDir
    Path dir;

    /** How an answer is compared: all of it, or (for malformed arguments, where the reference's text is zod's) only that it failed. */
    enum Expect {
        SAME,
        BOTH_FAIL
    }

    record Step(String tool, Map<String, Object> args, Expect expect) {}

    /** One answer: a tool result, or a JSON-RPC error. */
    record Outcome(boolean error, String text, JsonNode structured) {
        static Outcome of(McpSyncClient client, Step step) {
            try {
                McpSchema.CallToolResult result =
                        client.callTool(new McpSchema.CallToolRequest(step.tool(), step.args()));
                String text = result.content().isEmpty()
                        ? null
                        : ((McpSchema.TextContent) result.content().get(0)).text();
                JsonNode structured = result.structuredContent() == null
                        ? null
                        : Json.mapper().valueToTree(result.structuredContent());
                return new Outcome(Boolean.TRUE.equals(result.isError()), text, structured);
            } catch (McpError e) {
                return new Outcome(true, e.getMessage(), null);
            }
        }
    }

    @Test
    void answersEveryCallAsTheReferenceDoesOverStdioAndHttp() {
        List<Step> script = script();
        assertThat(script).hasSizeGreaterThanOrEqualTo(30);
        try (TestServer http = TestServer.start(TestServer.Storage.POSTGRES);
                McpSyncClient reference = client(referenceServer());
                McpSyncClient stdio = client(orchestraStdio());
                McpSyncClient overHttp = McpHttpTest.client(http, http.createKey("parity", "member", "parity"))) {
            reference.initialize();
            stdio.initialize();
            Map<String, McpSyncClient> ours = new LinkedHashMap<>();
            ours.put("stdio", stdio);
            ours.put("http", overHttp);

            for (int i = 0; i < script.size(); i++) {
                Step step = script.get(i);
                Outcome expected = Outcome.of(reference, step);
                for (Map.Entry<String, McpSyncClient> target : ours.entrySet()) {
                    Outcome actual = Outcome.of(target.getValue(), step);
                    String where = "call " + (i + 1) + " " + step.tool() + " over " + target.getKey();
                    assertThat(actual.error()).as(where + ": isError").isEqualTo(expected.error());
                    if (step.expect() == Expect.SAME) {
                        assertThat(actual.text()).as(where + ": text").isEqualTo(expected.text());
                        assertThat(actual.structured())
                                .as(where + ": structuredContent")
                                .isEqualTo(expected.structured());
                    } else {
                        assertThat(expected.error())
                                .as(where + ": the reference refuses it too")
                                .isTrue();
                    }
                }
            }

            // The graph resource: declared the same way, and the same text.
            McpSchema.Resource declared = reference.listResources().resources().get(0);
            for (McpSyncClient client : ours.values()) {
                McpSchema.Resource resource = client.listResources().resources().stream()
                        .filter(r -> r.uri().equals(declared.uri()))
                        .findFirst()
                        .orElseThrow();
                assertThat(List.of(resource.name(), resource.title(), resource.description(), resource.mimeType()))
                        .isEqualTo(List.of(
                                declared.name(), declared.title(), declared.description(), declared.mimeType()));
                assertThat(text(client.readResource(new McpSchema.ReadResourceRequest(declared.uri()))))
                        .isEqualTo(text(reference.readResource(new McpSchema.ReadResourceRequest(declared.uri()))));
            }
        }
    }

    @Test
    void declaresTheReferenceToolsAsTheReferenceDoesAndDescribesEveryAddition() {
        try (McpSyncClient reference = client(referenceServer());
                McpSyncClient stdio = client(orchestraStdio())) {
            reference.initialize();
            stdio.initialize();
            Map<String, McpSchema.Tool> ours = new LinkedHashMap<>();
            stdio.listTools().tools().forEach(t -> ours.put(t.name(), t));
            List<McpSchema.Tool> theirs = reference.listTools().tools();
            assertThat(theirs).hasSize(9);
            for (McpSchema.Tool tool : theirs) {
                McpSchema.Tool mine = ours.get(tool.name());
                assertThat(mine).as(tool.name()).isNotNull();
                assertThat(mine.title()).as(tool.name()).isEqualTo(tool.title());
                assertThat(mine.description()).as(tool.name()).isEqualTo(tool.description());
                assertThat(mine.annotations()).as(tool.name()).isEqualTo(tool.annotations());
                assertThat(withoutAdditions(tool.name(), mine.inputSchema(), tool.inputSchema()))
                        .as(tool.name() + " inputSchema")
                        .isEqualTo(Json.mapper().valueToTree(tool.inputSchema()));
                assertThat(withoutAdditions(tool.name(), mine.outputSchema(), tool.outputSchema()))
                        .as(tool.name() + " outputSchema")
                        .isEqualTo(Json.mapper().valueToTree(tool.outputSchema()));
            }
        }
    }

    /** Our schema minus the properties (at any depth) the reference lacks, each of which must say it is ours. */
    private static JsonNode withoutAdditions(String tool, Map<String, Object> ours, Map<String, Object> reference) {
        ObjectNode schema = (ObjectNode) Json.mapper().valueToTree(ours);
        strip(tool, schema, Json.mapper().valueToTree(reference));
        return schema;
    }

    private static void strip(String where, JsonNode ours, JsonNode theirs) {
        if (!ours.isObject()) {
            return;
        }
        ObjectNode properties = ours.path("properties").isObject() ? (ObjectNode) ours.path("properties") : null;
        if (properties != null && theirs.path("properties").isObject()) {
            for (Iterator<String> names = properties.propertyNames().iterator(); names.hasNext(); ) {
                String name = names.next();
                if (!theirs.path("properties").has(name)) {
                    assertThat(properties.path(name).path("description").asString())
                            .as(where + "." + name + " is described as an addition")
                            .startsWith("Orchestra:");
                    names.remove();
                }
            }
        }
        for (Map.Entry<String, JsonNode> child : ours.properties()) {
            strip(where + "/" + child.getKey(), child.getValue(), theirs.path(child.getKey()));
        }
    }

    private static String text(McpSchema.ReadResourceResult result) {
        return ((McpSchema.TextResourceContents) result.contents().get(0)).text();
    }

    private McpSyncClient client(ServerParameters server) {
        return McpClient.sync(new StdioClientTransport(server, new JacksonMcpJsonMapper(Json.mapper())))
                .requestTimeout(Duration.ofSeconds(30))
                .build();
    }

    private ServerParameters referenceServer() {
        List<String> command = TestReferenceMemory.command();
        return ServerParameters.builder(command.get(0))
                .args(command.subList(1, command.size()))
                .env(Map.of(
                        "MEMORY_FILE_PATH",
                        dir.resolve("reference-" + System.nanoTime() + ".jsonl").toString()))
                .build();
    }

    private ServerParameters orchestraStdio() {
        String java = ProcessHandle.current().info().command().orElse("java");
        return ServerParameters.builder(java)
                .args(
                        "-cp",
                        System.getProperty("java.class.path"),
                        "-Dorchestra.data-dir=" + dir.resolve("orchestra-" + System.nanoTime()),
                        "-Dorchestra.log.format=text",
                        "-Dorchestra.embeddings.warm-up=false",
                        "io.orchestra.server.cli.OrchestraCli",
                        "mcp",
                        "--stdio",
                        "--owner",
                        "parity")
                .build();
    }

    private static Map<String, Object> entity(String name, String type, String... observations) {
        return Map.of("name", name, "entityType", type, "observations", List.of(observations));
    }

    private static Map<String, Object> relation(String from, String to, String type) {
        return Map.of("from", from, "to", to, "relationType", type);
    }

    private static Map<String, Object> batch(String entity, String field, String... contents) {
        return Map.of("entityName", entity, field, List.of(contents));
    }

    private static Step same(String tool, Map<String, Object> args) {
        return new Step(tool, args, Expect.SAME);
    }

    private static Step refused(String tool, Map<String, Object> args) {
        return new Step(tool, args, Expect.BOTH_FAIL);
    }

    /** What a client does in a session, with the inputs the reference defines well (no name twice in one call). */
    static List<Step> script() {
        List<Map<String, Object>> bulk = new ArrayList<>();
        List<String> bulkNames = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            bulk.add(entity("Bulk_" + i, "bulk", "common thread " + i));
            bulkNames.add("Bulk_" + i);
        }
        return List.of(
                same("read_graph", Map.of()),
                same("search_nodes", Map.of("query", "anything")),
                same(
                        "create_entities",
                        Map.of(
                                "entities",
                                List.of(
                                        entity("Ada", "person", "Wrote the first program", "Born in 1815"),
                                        entity("Babbage", "person", "Designed the \"Analytical Engine\""),
                                        entity("Engine", "machine")))),
                same(
                        "create_entities",
                        Map.of(
                                "entities",
                                List.of(
                                        entity("Ada", "person", "a second Ada is skipped"),
                                        entity(
                                                "Lovelace_Estate",
                                                "place",
                                                "Line one\nline two\ttab",
                                                "Zürich ÉCOLE ü",
                                                "emoji 🚀 and </script>",
                                                "back\\slash \u0001 control")))),
                same(
                        "create_relations",
                        Map.of(
                                "relations",
                                List.of(
                                        relation("Ada", "Babbage", "worked_with"),
                                        relation("Babbage", "Engine", "designed")))),
                same(
                        "create_relations",
                        Map.of(
                                "relations",
                                List.of(relation("Ada", "Babbage", "worked_with"), relation("Ada", "Ghost", "knows")))),
                same(
                        "add_observations",
                        Map.of(
                                "observations",
                                List.of(
                                        batch("Ada", "contents", "Born in 1815", "Translated Menabrea"),
                                        batch("Babbage", "contents", "Born in 1791")))),
                same("add_observations", Map.of("observations", List.of(batch("Nobody", "contents", "x")))),
                same(
                        "add_observations",
                        Map.of(
                                "observations",
                                List.of(batch("Ada", "contents", "never stored"), batch("Nobody", "contents", "y")))),
                same("search_nodes", Map.of("query", "born")),
                same("search_nodes", Map.of("query", "ENGINE")),
                same("search_nodes", Map.of("query", "zürich")),
                same("search_nodes", Map.of("query", "")),
                same("open_nodes", Map.of("names", List.of("Engine", "Ada", "Missing"))),
                same("open_nodes", Map.of("names", List.of())),
                same("read_graph", Map.of()),
                same(
                        "delete_observations",
                        Map.of(
                                "deletions",
                                List.of(
                                        batch("Ada", "observations", "Born in 1815"),
                                        batch("Nobody", "observations", "x")))),
                same("open_nodes", Map.of("names", List.of("Ada"))),
                same("add_observations", Map.of("observations", List.of(batch("Ada", "contents", "Born in 1815")))),
                same(
                        "delete_relations",
                        Map.of(
                                "relations",
                                List.of(relation("Ada", "Ghost", "knows"), relation("Not", "There", "at_all")))),
                same("read_graph", Map.of()),
                same("delete_entities", Map.of("entityNames", List.of("Engine", "Nope"))),
                same("read_graph", Map.of()),
                same("create_entities", Map.of("entities", bulk)),
                same("search_nodes", Map.of("query", "common thread")),
                same("search_nodes", Map.of("query", "bulk_1")),
                refused("create_entities", Map.of()),
                refused("create_entities", Map.of("entities", "not an array")),
                refused("add_observations", Map.of("observations", List.of(Map.of("entityName", "Ada")))),
                refused("search_nodes", Map.of()),
                refused("open_nodes", Map.of("names", List.of(1, 2))),
                same("delete_entities", Map.of("entityNames", bulkNames)),
                same("read_graph", Map.of()),
                same("create_relations", Map.of("relations", List.of(relation("Babbage", "Ada", "inspired")))),
                same("search_nodes", Map.of("query", "ada")),
                same("delete_entities", Map.of("entityNames", List.of("Ada"))),
                same("read_graph", Map.of()));
    }
}
