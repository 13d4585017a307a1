package io.orchestra.server.agents;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.agents.run.RunStore;
import io.orchestra.agents.run.Usage;
import io.orchestra.core.json.Json;
import io.orchestra.server.TestServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class RunRoutesTest {
    @Test
    void traceIsReadableAndStreamsLiveUntilTheRunEnds() throws Exception {
        try (TestServer server = TestServer.start(TestServer.Storage.SQLITE, Map.of())) {
            String alice = Json.tree(server.post(
                                    "/api/keys",
                                    TestServer.ADMIN_KEY,
                                    "{\"name\":\"a\",\"role\":\"member\",\"owner\":\"alice\"}")
                            .body())
                    .get("secret")
                    .asString();
            // Live events come from the server's own RunStore, the one agents write through.
            RunStore runs = server.orchestra().runs();
            String run = runs.start("alice", "team", "cherry", null, "plan a launch");
            int plan = runs.beginStep(run, null, "plan", "plan", "cherry", "plan a launch");
            runs.endStep(run, plan, "{\"subtasks\":2}", new Usage(100, 20, 0.001), null);

            CompletableFuture<List<String>> events = CompletableFuture.supplyAsync(() -> {
                List<String> lines = new ArrayList<>();
                HttpResponse<java.io.InputStream> response = sendStream(server, "/api/runs/" + run + "/events", alice);
                try (BufferedReader reader =
                        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        if (line.startsWith("data: ")) {
                            lines.add(line.substring(6));
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return lines;
            });
            Thread.sleep(300);
            int sub = runs.beginStep(run, plan, "subtask", "pricing", "sophia", "price it");
            runs.endStep(run, sub, "price at 20", new Usage(50, 10, 0.0005), null);
            runs.finish(run, "final answer", null);

            List<String> received = events.get();
            assertThat(received).hasSize(4);
            assertThat(received.get(0)).contains("\"type\":\"step.snapshot\"", "\"kind\":\"plan\"");
            assertThat(received.get(1)).contains("\"type\":\"step.started\"", "\"name\":\"pricing\"");
            assertThat(received.get(3)).contains("\"type\":\"run.finished\"", "final answer");

            JsonNode trace = Json.tree(server.get("/api/runs/" + run, alice).body());
            assertThat(trace.get("status").asString()).isEqualTo("done");
            assertThat(trace.get("promptTokens").asInt()).isEqualTo(150);
            assertThat(trace.get("steps")).hasSize(2);
            assertThat(trace.get("steps").get(1).get("parentSeq").asInt()).isEqualTo(1);
            assertThat(trace.get("steps").get(1).get("durationMillis").isNumber())
                    .isTrue();

            String bob = Json.tree(server.post(
                                    "/api/keys",
                                    TestServer.ADMIN_KEY,
                                    "{\"name\":\"b\",\"role\":\"member\",\"owner\":\"bob\"}")
                            .body())
                    .get("secret")
                    .asString();
            assertThat(server.get("/api/runs/" + run, bob).statusCode()).isEqualTo(404);
            assertThat(server.get("/api/runs/" + run + "/events", bob).statusCode())
                    .isEqualTo(404);
        }
    }

    static HttpResponse<java.io.InputStream> sendStream(TestServer server, String path, String key) {
        try {
            return server.client()
                    .send(server.request(path, key).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
