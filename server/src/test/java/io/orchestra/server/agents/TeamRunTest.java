package io.orchestra.server.agents;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.json.Json;
import io.orchestra.server.TestServer;
import io.orchestra.server.gateway.FakeUpstream;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Cherry plans, Sophia and Karen work in parallel, Cherry answers; the trace shows every step. */
class TeamRunTest {
    static FakeUpstream upstream;
    static TestServer server;
    static String alice;

    @BeforeAll
    static void start() throws Exception {
        upstream = new FakeUpstream();
        Path personas = Files.createTempDirectory("personas");
        for (String id : new String[] {"cherry", "sophia", "karen"}) {
            Files.copy(Path.of("..", "personas", id + ".yaml"), personas.resolve(id + ".yaml"));
        }
        server = TestServer.start(
                TestServer.Storage.SQLITE,
                Map.of("orchestra.personas.dir", personas.toString(), "orchestra.chat.extract-memories", "false"),
                """
                gateway:
                  providers:
                    openai: { kind: openai, base_url: "%s/openai/v1", api_key: "sk-test" }
                  routes:
                    - { alias: default, targets: [ { provider: openai, model: team } ] }
                """.formatted(upstream.baseUrl()));
        alice = server.createKey("alice", "member", "alice");
    }

    @AfterAll
    static void stop() {
        server.close();
        upstream.close();
    }

    @Test
    void teamRunPlansWorksInParallelAndSynthesises() {
        HttpResponse<String> response = server.post(
                "/api/teams/runs", alice, "{\"task\":\"Launch a clinical payments product\",\"wait\":true}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode run = Json.tree(response.body());
        assertThat(run.path("status").asString()).isEqualTo("done");
        assertThat(run.path("output").asString()).isEqualTo("Final answer combining 3 reports");
        JsonNode steps = run.path("steps");
        List<String> kinds = new ArrayList<>();
        steps.forEach(s -> kinds.add(s.path("kind").asString()));
        assertThat(kinds).containsExactly("plan", "subtask", "subtask", "subtask", "synthesis");
        List<String> workers = new ArrayList<>();
        for (JsonNode step : steps) {
            if (step.path("kind").asString().equals("subtask")) {
                workers.add(step.path("personaId").asString());
                assertThat(step.path("parentSeq").asInt()).isEqualTo(1);
                assertThat(step.path("output").asString()).startsWith("Specialist answer to: ");
            }
        }
        assertThat(workers).containsExactlyInAnyOrder("sophia", "karen", "sophia");
        assertThat(run.path("promptTokens").asInt()).isEqualTo(250);
        JsonNode planRequest = upstream.requests.stream()
                .filter(r -> r.path("response_format").path("type").asString("").equals("json_schema"))
                .findFirst()
                .orElseThrow();
        assertThat(planRequest
                        .path("response_format")
                        .path("json_schema")
                        .path("schema")
                        .path("required")
                        .toString())
                .contains("subtasks");
    }

    @Test
    void chatDecidesWhenARequestNeedsTheTeam() {
        HttpResponse<String> complex = server.post(
                "/api/chat", alice, "{\"mode\":\"auto\",\"message\":\"Help me launch a clinic payments product\"}");
        assertThat(complex.statusCode()).as(complex.body()).isEqualTo(200);
        JsonNode team = Json.tree(complex.body());
        assertThat(team.path("orchestra").path("mode").asString()).isEqualTo("team");
        assertThat(team.path("orchestra").path("reason").asString()).isEqualTo("needs several specialists");
        assertThat(team.path("choices").get(0).path("message").path("content").asString())
                .isEqualTo("Final answer combining 3 reports");
        HttpResponse<String> simple = server.post(
                "/api/chat", alice, "{\"mode\":\"auto\",\"persona\":\"karen\",\"message\":\"What is GCP?\"}");
        JsonNode single = Json.tree(simple.body());
        assertThat(single.path("orchestra").path("persona").asString()).isEqualTo("karen");
        assertThat(single.path("orchestra").has("mode")).isFalse();
        assertThat(server.post("/api/chat", alice, "{\"mode\":\"swarm\",\"message\":\"x\"}")
                        .statusCode())
                .isEqualTo(400);
    }

    @Test
    void teamRunEventsStreamUntilTheAnswer() throws Exception {
        HttpResponse<String> started = server.post("/api/teams/runs", alice, "{\"task\":\"Plan a product launch\"}");
        assertThat(started.statusCode()).isEqualTo(202);
        String id = Json.tree(started.body()).path("run_id").asString();
        HttpResponse<java.io.InputStream> events = server.client()
                .send(
                        server.request("/api/runs/" + id + "/events", alice)
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream());
        List<String> data = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(events.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("data: ")) {
                    data.add(line);
                }
            }
        }
        assertThat(data.getLast()).contains("run.finished", "Final answer combining 3 reports");
        assertThat(server.post("/api/teams/runs", alice, "{\"task\":\"\"}").statusCode())
                .isEqualTo(400);
        String bob = server.createKey("bob", "member", "bob");
        assertThat(server.get("/api/runs/" + id, bob).statusCode()).isEqualTo(404);
    }
}
