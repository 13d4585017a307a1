package io.orchestra.server.agents;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.json.Json;
import io.orchestra.server.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A persona with tools streams its answer: the tool round streams from the provider too (the call
 * is assembled from the deltas and run), and the answer reaches the client piece by piece while the
 * provider is still sending, on /api/chat and on /v1/chat/completions alike.
 */
class PersonaStreamingTest {
    static StreamingAgentUpstream upstream;
    static TestServer server;
    static String alice;

    @BeforeAll
    static void start() {
        upstream = new StreamingAgentUpstream();
        String yaml = """
                gateway:
                  providers:
                    openai: { kind: openai, base_url: "%s", api_key: "sk-test" }
                  routes:
                    - { alias: default, targets: [ { provider: openai, model: slow-agent } ] }
                """.formatted(upstream.baseUrl());
        server = TestServer.start(TestServer.Storage.SQLITE, Map.of("orchestra.chat.extract-memories", "false"), yaml);
        alice = server.createKey("alice", "member", "alice");
        server.post(
                "/api/memory/graph/entities",
                alice,
                "{\"entities\":[{\"name\":\"Ada\",\"entityType\":\"person\",\"observations\":[\"Prefers green tea\"]}]}");
        HttpResponse<String> persona = server.post("/api/personas", alice, """
                {"id":"scout","name":"Scout","description":"Looks things up in your memory graph",
                 "system_prompt":"You are Scout.","model":"default","tools":["memory.*"]}""");
        assertThat(persona.statusCode()).as(persona.body()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        server.close();
        upstream.close();
    }

    /** One content piece as the client saw it, with when it arrived. */
    record Piece(String text, long arrivedAt) {}

    record Streamed(List<Piece> pieces, List<JsonNode> chunks, HttpResponse<Stream<String>> response) {}

    static Streamed stream(String path, String json) throws Exception {
        HttpRequest request = server.request(path, alice)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        HttpResponse<Stream<String>> response = server.client().send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        List<Piece> pieces = new ArrayList<>();
        List<JsonNode> chunks = new ArrayList<>();
        response.body().forEach(line -> {
            if (!line.startsWith("data: ") || line.equals("data: [DONE]")) {
                return;
            }
            JsonNode chunk = Json.tree(line.substring(6));
            chunks.add(chunk);
            String text =
                    chunk.path("choices").path(0).path("delta").path("content").asString("");
            if (!text.isEmpty()) {
                pieces.add(new Piece(text, System.nanoTime()));
            }
        });
        return new Streamed(pieces, chunks, response);
    }

    /** Each piece arrived on its own, spread over time, and the first before the provider sent the last. */
    static void arrivedPieceByPiece(Streamed streamed) {
        List<Piece> pieces = streamed.pieces();
        assertThat(pieces).extracting(Piece::text).containsExactlyElementsOf(upstream.pieces);
        assertThat(pieces.size()).isGreaterThanOrEqualTo(5);
        long lastSent = upstream.sentAt.getLast();
        assertThat(pieces.getFirst().arrivedAt())
                .as("the first piece arrives while the provider is still sending")
                .isLessThan(lastSent);
        int spread = 0;
        for (int i = 1; i < pieces.size(); i++) {
            if (pieces.get(i).arrivedAt() - pieces.get(i - 1).arrivedAt() >= 50_000_000L) {
                spread++;
            }
        }
        assertThat(spread).as("gaps of 50 ms or more between pieces").isGreaterThanOrEqualTo(4);
        // For the record: when each piece arrived, relative to the first (ms), and the first one's lead on the last
        // send.
        long first = pieces.getFirst().arrivedAt();
        System.out.println("persona stream arrivals (ms after the first): "
                + pieces.stream().map(p -> (p.arrivedAt() - first) / 1_000_000).toList()
                + "; first piece " + (lastSent - first) / 1_000_000 + " ms before the provider sent the last");
        for (int i = 0; i < pieces.size(); i++) {
            assertThat(pieces.get(i).arrivedAt())
                    .as("piece %d is not held back until the provider sent later ones", i)
                    .isLessThan(i + 1 < upstream.sentAt.size() ? upstream.sentAt.get(i + 1) : Long.MAX_VALUE);
        }
    }

    /** The tool round streamed too, the call was run, and its output went back to the model. */
    static void theToolRan(String runId) {
        JsonNode run = Json.tree(server.get("/api/runs/" + runId, alice).body());
        assertThat(run.path("steps").findValuesAsString("kind")).containsExactly("model", "tool", "model");
        JsonNode tool = run.path("steps").get(1);
        assertThat(tool.path("name").asString()).isEqualTo("memory_search_nodes");
        assertThat(run.path("status").asString()).isEqualTo("done");
        assertThat(run.path("output").asString()).isEqualTo(String.join("", upstream.pieces));
        List<JsonNode> last = upstream.requests.subList(upstream.requests.size() - 2, upstream.requests.size());
        assertThat(last).allMatch(r -> r.path("stream").asBoolean());
        JsonNode messages = last.get(1).path("messages");
        JsonNode assistant = messages.get(messages.size() - 2);
        assertThat(assistant
                        .path("tool_calls")
                        .get(0)
                        .path("function")
                        .path("arguments")
                        .asString())
                .as("the arguments assembled from three deltas")
                .isEqualTo("{\"query\":\"Ada\"}");
        JsonNode result = messages.get(messages.size() - 1);
        assertThat(result.path("role").asString()).isEqualTo("tool");
        assertThat(result.path("tool_call_id").asString())
                .isEqualTo(assistant.path("tool_calls").get(0).path("id").asString());
        assertThat(result.path("content").asString()).contains("Prefers green tea");
    }

    @Test
    void apiChatStreamsAToolUsingPersonasAnswerPieceByPiece() throws Exception {
        Streamed streamed = stream("/api/chat", "{\"persona\":\"scout\",\"message\":\"Ada\",\"stream\":true}");
        arrivedPieceByPiece(streamed);
        assertThat(streamed.chunks())
                .as("no tool-call delta reaches the client")
                .noneMatch(c -> c.path("choices").path(0).path("delta").has("tool_calls"));
        assertThat(streamed.chunks()
                        .getLast()
                        .path("usage")
                        .path("total_tokens")
                        .asInt())
                .as("usage of both rounds")
                .isEqualTo(54);
        theToolRan(streamed.response().headers().firstValue("x-orchestra-run").orElseThrow());
    }

    @Test
    void openAiClientsStreamAToolUsingPersonaPieceByPiece() throws Exception {
        Streamed streamed = stream(
                "/v1/chat/completions",
                "{\"model\":\"persona:scout\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Ada\"}]}");
        arrivedPieceByPiece(streamed);
        assertThat(streamed.response().headers().firstValue("x-orchestra-persona"))
                .contains("scout");
        List<String> finishes = streamed.chunks().stream()
                .map(c -> c.path("choices").path(0).path("finish_reason"))
                .filter(JsonNode::isString)
                .map(JsonNode::asString)
                .toList();
        assertThat(finishes).containsExactly("stop");
        theToolRan(streamed.response().headers().firstValue("x-orchestra-run").orElseThrow());
        String session =
                streamed.response().headers().firstValue("x-orchestra-session").orElseThrow();
        JsonNode stored =
                Json.tree(server.get("/api/sessions/" + session, alice).body());
        assertThat(stored.path("messages").get(1).path("content").asString())
                .isEqualTo(String.join("", upstream.pieces));
    }
}
