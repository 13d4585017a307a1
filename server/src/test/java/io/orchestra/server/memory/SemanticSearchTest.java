package io.orchestra.server.memory;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.orchestra.core.json.Json;
import io.orchestra.server.TestServer;
import io.orchestra.server.doctor.Doctor;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/** Hybrid search_nodes over REST and MCP, the engine in /api/health, and the HTTP embedder wired into a running server. */
class SemanticSearchTest {
    @ParameterizedTest
    @EnumSource(TestServer.Storage.class)
    void searchNodesAddsSemanticMatchesPerOwner(TestServer.Storage storage) throws Exception {
        try (TestServer server = TestServer.start(storage, Map.of("orchestra.memory.graph.semantic", "true"))) {
            String alice = server.createKey("alice", "member", "alice");
            String bob = server.createKey("bob", "member", "bob");
            assertThat(server.post("/api/memory/graph/entities", alice, """
                    {"entities":[{"name":"Ada_Lovelace","entityType":"person","observations":["Wrote the first computer program"]},
                                 {"name":"Programming_Club","entityType":"organization","observations":["Meets on Fridays"]},
                                 {"name":"Sourdough","entityType":"recipe","observations":["Flour, water and salt"]}]}""").statusCode())
                    .isEqualTo(201);
            assertThat(server.post("/api/memory/graph/entities", bob, """
                    {"entities":[{"name":"Linus","entityType":"person","observations":["Wrote a computer program called Linux"]}]}""").statusCode())
                    .isEqualTo(201);

            // Entity embeddings are computed in the background: wait for the semantic match to appear.
            JsonNode found = null;
            for (int i = 0; i < 100; i++) {
                found = Json.tree(server.get("/api/memory/graph/search?q=programming&limit=10&semantic=true", alice)
                        .body());
                if (found.path("entities").size() > 1) {
                    break;
                }
                Thread.sleep(100);
            }
            List<String> names = new ArrayList<>();
            found.path("entities").forEach(e -> names.add(e.path("name").asString()));
            assertThat(names)
                    .startsWith("Programming_Club")
                    .contains("Ada_Lovelace")
                    .doesNotContain("Linus", "Sourdough");
            assertThat(server.get("/api/memory/graph/search?q=programming&limit=1&offset=1&semantic=true", alice)
                            .body())
                    .contains("Ada_Lovelace");
            assertThat(server.get("/api/memory/graph/search?q=programming&limit=0", alice)
                            .statusCode())
                    .isEqualTo(400);
            assertThat(server.get("/api/memory/graph/search?q=programming&semantic=yes", alice)
                            .statusCode())
                    .isEqualTo(400);
            // Without semantic=true: exactly the reference server's substring matches.
            assertThat(server.get("/api/memory/graph/search?q=programming&limit=10", alice)
                            .body())
                    .contains("Programming_Club")
                    .doesNotContain("Ada_Lovelace");

            try (McpSyncClient client = McpHttpTest.client(server, bob)) {
                McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest(
                        "search_nodes", Map.of("query", "programming", "semantic", true)));
                assertThat(result.structuredContent().toString()).doesNotContain("Ada_Lovelace", "Programming_Club");
            }

            JsonNode health = Json.tree(
                            server.get("/api/health", TestServer.ADMIN_KEY).body())
                    .path("components")
                    .path("vector_search");
            assertThat(health.path("status").asString()).isEqualTo("up");
            assertThat(health.path("engine").asString()).isEqualTo("in-process");
            assertThat(health.path("entities").path("items").asInt()).isEqualTo(4);

            Doctor.Check engine = Doctor.vectorEngine(server.config());
            assertThat(engine.ok()).isTrue();
            assertThat(engine.detail()).startsWith("in-process");
        }
    }

    @Test
    void anOpenAiCompatibleEndpointEmbedsForTheServerAndItsKeyStaysSecret() throws Exception {
        String key = "sk-embeddings-secret-42";
        AtomicInteger calls = new AtomicInteger();
        HttpServer fake = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        fake.createContext("/v1/embeddings", exchange -> {
            calls.incrementAndGet();
            boolean authorized =
                    ("Bearer " + key).equals(exchange.getRequestHeaders().getFirst("Authorization"));
            JsonNode body = Json.mapper().readTree(exchange.getRequestBody().readAllBytes());
            List<Map<String, Object>> data = new ArrayList<>();
            for (int i = 0; i < body.path("input").size(); i++) {
                data.add(Map.of(
                        "index",
                        i,
                        "embedding",
                        letters(body.path("input").get(i).asString())));
            }
            byte[] out = Json.write(authorized ? Map.of("data", data) : Map.of("error", Map.of("message", "bad key")))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(authorized ? 200 : 401, out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        fake.start();
        String url = "http://127.0.0.1:" + fake.getAddress().getPort() + "/v1";
        try (TestServer server = TestServer.start(
                TestServer.Storage.SQLITE,
                Map.of(
                        "orchestra.embeddings.provider",
                        "http",
                        "orchestra.embeddings.url",
                        url,
                        "orchestra.embeddings.model",
                        "letters",
                        "orchestra.embeddings.dimensions",
                        "26",
                        "orchestra.embeddings.api-key",
                        key))) {
            String alice = server.createKey("alice", "member", "alice");
            assertThat(server.post("/api/memory/memories", alice, "{\"text\":\"zebras and zoos\"}")
                            .statusCode())
                    .isEqualTo(201);
            assertThat(server.post("/api/memory/memories", alice, "{\"text\":\"apples and bananas\"}")
                            .statusCode())
                    .isEqualTo(201);
            JsonNode recalled = Json.tree(
                            server.get("/api/memory/memories?q=zzz&k=1", alice).body())
                    .path("data");
            assertThat(recalled.get(0).path("memory").path("text").asString()).isEqualTo("zebras and zoos");
            assertThat(calls.get()).isGreaterThanOrEqualTo(3);
            HttpResponse<String> health = server.get("/api/health", TestServer.ADMIN_KEY);
            assertThat(health.body()).contains("http letters (26 dimensions)").doesNotContain(key);
            assertThat(server.config().toString()).doesNotContain(key);
        } finally {
            fake.stop(0);
        }
        // A wrong key is a 502 problem naming the endpoint's answer, not a 500, and never shows the key.
        try (TestServer server = TestServer.start(
                TestServer.Storage.SQLITE,
                Map.of(
                        "orchestra.embeddings.provider",
                        "http",
                        "orchestra.embeddings.url",
                        url.replace(String.valueOf(fake.getAddress().getPort()), "1"),
                        "orchestra.embeddings.model",
                        "letters",
                        "orchestra.embeddings.dimensions",
                        "26",
                        "orchestra.embeddings.api-key",
                        key,
                        "orchestra.embeddings.timeout-ms",
                        "1000"))) {
            String alice = server.createKey("alice", "member", "alice");
            HttpResponse<String> failed = server.post("/api/memory/memories", alice, "{\"text\":\"zebras\"}");
            assertThat(failed.statusCode()).isEqualTo(502);
            assertThat(failed.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            assertThat(failed.body()).contains("cannot be reached").doesNotContain(key);
            // Entity embeddings are off by default: asking for semantic search_nodes says how to turn them on.
            HttpResponse<String> off = server.get("/api/memory/graph/search?q=zebras&semantic=true", alice);
            assertThat(off.statusCode()).isEqualTo(422);
            assertThat(off.body()).contains("orchestra.memory.graph.semantic=true");
        }
    }

    /** A vector of letter counts: texts sharing letters are similar. */
    static List<Integer> letters(String text) {
        int[] counts = new int[26];
        for (char c : text.toLowerCase().toCharArray()) {
            if (c >= 'a' && c <= 'z') {
                counts[c - 'a']++;
            }
        }
        List<Integer> out = new ArrayList<>();
        for (int count : counts) {
            out.add(count);
        }
        return out;
    }
}
