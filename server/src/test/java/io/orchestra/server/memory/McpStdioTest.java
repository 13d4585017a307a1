package io.orchestra.server.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.orchestra.core.json.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** `orchestra mcp --stdio` as a desktop client runs it: a child process, driven by the official MCP client. */
class McpStdioTest {
    @TempDir
    Path dataDir;

    ServerParameters server() {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ServerParameters.Builder(java)
                .args(
                        "-cp",
                        System.getProperty("java.class.path"),
                        "-Dorchestra.data-dir=" + dataDir,
                        "-Dorchestra.log.format=text",
                        // As in TestServer: the model loads on first use, not beside the handshake.
                        "-Dorchestra.embeddings.warm-up=false",
                        "io.orchestra.server.cli.OrchestraCli",
                        "mcp",
                        "--stdio",
                        "--owner",
                        "desktop-user")
                .build();
    }

    @Test
    void servesEveryToolAndAnswersManyConcurrentCalls() {
        JacksonMcpJsonMapper mapper = new JacksonMcpJsonMapper(Json.mapper());
        McpAsyncClient client = McpClient.async(new StdioClientTransport(server(), mapper))
                .requestTimeout(Duration.ofSeconds(30))
                .build();
        try {
            client.initialize().block(Duration.ofSeconds(30));
            List<McpSchema.Tool> tools = client.listTools().block().tools();
            assertThat(tools).hasSize(15);
            client.callTool(new McpSchema.CallToolRequest(
                            "create_entities",
                            Map.of(
                                    "entities",
                                    List.of(Map.of("name", "Hub", "entityType", "node", "observations", List.of())))))
                    .block();

            // 200 calls in flight at once: every one must get its answer (the SDK's stdio transport drops some).
            List<Mono<McpSchema.CallToolResult>> calls = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                calls.add(client.callTool(new McpSchema.CallToolRequest(
                        "add_observations",
                        Map.of(
                                "observations",
                                List.of(Map.of("entityName", "Hub", "contents", List.of("fact " + i)))))));
            }
            List<McpSchema.CallToolResult> results =
                    Flux.merge(calls).collectList().block(Duration.ofSeconds(60));
            assertThat(results)
                    .hasSize(200)
                    .allSatisfy(r -> assertThat(r.isError()).isFalse());

            McpSchema.CallToolResult hub = client.callTool(
                            new McpSchema.CallToolRequest("open_nodes", Map.of("names", List.of("Hub"))))
                    .block();
            @SuppressWarnings("unchecked")
            Map<String, Object> graph = (Map<String, Object>) hub.structuredContent();
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> entities = (List<Map<String, Object>>) graph.get("entities");
            assertThat((List<?>) entities.get(0).get("observations")).hasSize(200);

            McpSchema.CallToolResult error = client.callTool(new McpSchema.CallToolRequest(
                            "add_observations",
                            Map.of("observations", List.of(Map.of("entityName", "Missing", "contents", List.of("x"))))))
                    .block();
            assertThat(error.isError()).isTrue();
        } finally {
            client.closeGracefully().block(Duration.ofSeconds(10));
        }
    }

    @Test
    void syncClientRoundTrip() {
        try (McpSyncClient client = McpClient.sync(
                        new StdioClientTransport(server(), new JacksonMcpJsonMapper(Json.mapper())))
                .requestTimeout(Duration.ofSeconds(30))
                .build()) {
            client.initialize();
            McpSchema.CallToolResult result =
                    client.callTool(new McpSchema.CallToolRequest("search_nodes", Map.of("query", "anything")));
            assertThat(result.isError()).isFalse();
            assertThat(result.structuredContent().toString()).contains("entities=[]");
        }
    }
}
