package io.orchestra.server.agents;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.json.Json;
import io.orchestra.server.TestServer;
import io.orchestra.server.gateway.FakeUpstream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Chatting with the shipped personas end to end: HTTP in, the gateway, a fake provider out. */
class PersonaChatTest {
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
        String yaml = """
                gateway:
                  providers:
                    openai: { kind: openai, base_url: "%s/openai/v1", api_key: "sk-test" }
                  routes:
                    - { alias: default, targets: [ { provider: openai, model: gpt-4o-mini } ] }
                    - { alias: agent, targets: [ { provider: openai, model: agent } ] }
                    - { alias: looping, targets: [ { provider: openai, model: tools } ] }
                """.formatted(upstream.baseUrl());
        server = TestServer.start(
                TestServer.Storage.SQLITE,
                Map.of(
                        "orchestra.personas.dir",
                        personas.toString(),
                        "orchestra.chat.extract-memories",
                        "false",
                        "orchestra.chat.history-tokens",
                        "120"),
                yaml);
        alice = server.createKey("alice", "member", "alice");
    }

    @AfterAll
    static void stop() {
        server.close();
        upstream.close();
    }

    static JsonNode chat(String json) {
        HttpResponse<String> response = server.post("/api/chat", alice, json);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.tree(response.body());
    }

    static JsonNode lastUpstreamMessages() {
        return upstream.requests.getLast().path("messages");
    }

    @Test
    void chatsWithANamedPersonaAndKeepsTheSessionAcrossRequestsAndRestarts() {
        JsonNode first = chat("{\"persona\":\"sophia\",\"message\":\"What drives interchange fees?\"}");
        assertThat(first.path("choices").get(0).path("message").path("content").asString())
                .contains("Hello from the fake");
        assertThat(first.path("orchestra").path("persona").asString()).isEqualTo("sophia");
        assertThat(lastUpstreamMessages().get(0).path("content").asString()).startsWith("You are Sophia");
        assertThat(upstream.requests.getLast().path("temperature").asDouble()).isEqualTo(0.4);
        JsonNode firstRun = Json.tree(
                server.get("/api/runs/" + first.path("orchestra").path("run_id").asString(), alice)
                        .body());
        assertThat(firstRun.path("costUsd").asDouble())
                .as("cost from the price table")
                .isCloseTo((10 * 0.15 + 2 * 0.075 + 8 * 0.6) / 1e6, org.assertj.core.data.Offset.offset(1e-12));
        String session = first.path("orchestra").path("session_id").asString();

        chat("{\"persona\":\"sophia\",\"session_id\":\"" + session + "\",\"message\":\"And for debit cards?\"}");
        JsonNode messages = lastUpstreamMessages();
        assertThat(messages.toString())
                .contains("What drives interchange fees?", "Hello from the fake", "And for debit cards?");

        server.restart();
        alice = server.createKey("alice-2", "member", "alice");
        chat("{\"persona\":\"sophia\",\"session_id\":\"" + session + "\",\"message\":\"Summarise please\"}");
        assertThat(lastUpstreamMessages().toString()).contains("And for debit cards?");
        JsonNode stored =
                Json.tree(server.get("/api/sessions/" + session, alice).body());
        assertThat(stored.path("messages").size()).isEqualTo(6);

        String bob = server.createKey("bob", "member", "bob");
        assertThat(server.get("/api/sessions/" + session, bob).statusCode()).isEqualTo(404);
    }

    @Test
    void olderTurnsAreSummarisedWhenTheHistoryOutgrowsTheBudget() {
        String session = chat("{\"persona\":\"karen\",\"message\":\""
                        + "Tell me about trial site audits in detail. ".repeat(5) + "\"}")
                .path("orchestra")
                .path("session_id")
                .asString();
        for (int i = 0; i < 3; i++) {
            chat("{\"persona\":\"karen\",\"session_id\":\"" + session + "\",\"message\":\""
                    + ("Follow-up question " + i + ". ").repeat(8) + "\"}");
        }
        assertThat(upstream.requests.stream()
                        .anyMatch(r -> r.path("messages")
                                .get(0)
                                .path("content")
                                .asString()
                                .startsWith("Summarise this conversation")))
                .isTrue();
        JsonNode stored =
                Json.tree(server.get("/api/sessions/" + session, alice).body()).path("session");
        assertThat(stored.path("summary").asString()).contains("Hello from the fake");
        assertThat(stored.path("summarizedUpto").asInt()).isPositive();
        assertThat(lastUpstreamMessages().get(0).path("content").asString())
                .contains("Summary of the earlier conversation");
    }

    @Test
    void autoRoutingPicksTheSpecialistWithRealEmbeddings() {
        JsonNode payments = chat(
                "{\"persona\":\"auto\",\"message\":\"How do card interchange fees and payment processor pricing affect my margins?\"}");
        assertThat(payments.path("orchestra").path("persona").asString())
                .as(payments.path("orchestra").toString())
                .isEqualTo("sophia");
        assertThat(payments.path("orchestra").path("reason").asString()).contains("similarity");
        JsonNode trial = chat(
                "{\"persona\":\"auto\",\"message\":\"What are the phases of a clinical trial and how is patient recruitment done?\"}");
        assertThat(trial.path("orchestra").path("persona").asString())
                .as(trial.path("orchestra").toString())
                .isEqualTo("karen");
        JsonNode run = Json.tree(
                server.get("/api/runs/" + trial.path("orchestra").path("run_id").asString(), alice)
                        .body());
        assertThat(run.path("steps").findValuesAsString("kind")).containsExactly("route", "model");
        assertThat(run.path("status").asString()).isEqualTo("done");
    }

    @Test
    void anyOpenAiClientCanTalkToAPersona() {
        HttpResponse<String> plain = server.post(
                "/v1/chat/completions",
                alice,
                "{\"model\":\"persona:karen\",\"messages\":[{\"role\":\"user\",\"content\":\"What is ICD-10?\"}]}");
        assertThat(plain.statusCode()).as(plain.body()).isEqualTo(200);
        assertThat(plain.headers().firstValue("x-orchestra-persona")).contains("karen");
        assertThat(Json.tree(plain.body()).path("object").asString()).isEqualTo("chat.completion");

        HttpResponse<String> streamed = server.send(server.request("/v1/chat/completions", alice)
                .header("Content-Type", "application/json")
                .POST(
                        HttpRequest.BodyPublishers.ofString(
                                "{\"model\":\"persona:cherry\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Plan my week\"}]}"))
                .build());
        assertThat(streamed.statusCode()).isEqualTo(200);
        assertThat(streamed.body()).endsWith("data: [DONE]\n\n");
        StringBuilder answer = new StringBuilder();
        streamed.body()
                .lines()
                .filter(line -> line.startsWith("data: {"))
                .map(line -> Json.tree(line.substring(6)))
                .forEach(chunk -> answer.append(chunk.path("choices")
                        .path(0)
                        .path("delta")
                        .path("content")
                        .asString("")));
        assertThat(answer.toString()).isEqualTo("Hello from the fake");
        assertThat(streamed.headers().firstValue("x-orchestra-persona")).contains("cherry");
        String session = streamed.headers().firstValue("x-orchestra-session").orElseThrow();
        assertThat(Json.tree(server.get("/api/sessions/" + session, alice).body())
                        .path("messages")
                        .get(1)
                        .path("content")
                        .asString())
                .startsWith("Hello from the fake");
    }

    static String persona(String id, String model) {
        return """
                {"id":"%s","name":"Agent","description":"Uses tools","system_prompt":"Use your tools.","model":"%s",
                 "tools":["memory.*"],"domains":["memory"]}""".formatted(id, model);
    }

    @Test
    void theModelCallsMemoryToolsAndEveryStepIsTraced() {
        server.post(
                "/api/memory/graph/entities",
                alice,
                "{\"entities\":[{\"name\":\"Ada\",\"entityType\":\"person\",\"observations\":[\"Prefers tea\"]}]}");
        assertThat(server.post("/api/personas", alice, persona("memo", "agent")).statusCode())
                .isEqualTo(201);
        JsonNode reply = chat("{\"persona\":\"memo\",\"message\":\"Ada\"}");
        assertThat(reply.path("choices").get(0).path("message").path("content").asString())
                .startsWith("Tool said: ")
                .contains("Prefers tea");
        JsonNode sent = upstream.requests.getLast();
        java.util.List<String> offered = new java.util.ArrayList<>();
        sent.path("tools")
                .forEach(t -> offered.add(t.path("function").path("name").asString()));
        assertThat(offered)
                .contains("memory_search_nodes", "memory_add_observations")
                .doesNotContain("web_search");
        JsonNode run = Json.tree(
                server.get("/api/runs/" + reply.path("orchestra").path("run_id").asString(), alice)
                        .body());
        assertThat(run.path("steps").findValuesAsString("kind")).containsExactly("model", "tool", "model");
        assertThat(run.path("steps").get(1).path("name").asString()).isEqualTo("memory_search_nodes");
        assertThat(run.path("steps").get(1).path("output").asString()).contains("Prefers tea");
    }

    @Test
    void answersCiteUploadedDocuments() throws Exception {
        String boundary = "----b" + System.nanoTime();
        String multipart =
                "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"protocol.md\"\r\n\r\n"
                        + "Protocol ORC-7: the trial enrols 120 patients across 4 sites; the primary endpoint is HbA1c at 26 weeks.\r\n--"
                        + boundary + "--\r\n";
        HttpResponse<String> uploaded = server.send(server.request("/api/documents", alice)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(multipart))
                .build());
        String id = Json.tree(uploaded.body()).path("id").asString();
        for (int i = 0;
                i < 200
                        && !Json.tree(server.get("/api/documents/" + id, alice).body())
                                .path("status")
                                .asString()
                                .equals("ready");
                i++) {
            Thread.sleep(50);
        }
        assertThat(server.post("/api/personas", alice, """
                {"id":"reader","name":"Reader","description":"Reads documents","system_prompt":"Cite documents.","model":"agent",
                 "tools":["documents.search"],"domains":["documents"]}""").statusCode()).isEqualTo(201);
        JsonNode reply = chat("{\"persona\":\"reader\",\"message\":\"How many patients does the trial enrol?\"}");
        assertThat(reply.path("choices").get(0).path("message").path("content").asString())
                .contains("[protocol.md#0]", "enrols 120 patients");
    }

    @Test
    void relevantMemoriesAreRecalledIntoThePromptWithTheirIds() {
        String carol = server.createKey("carol", "member", "carol");
        HttpResponse<String> remembered =
                server.post("/api/memory/memories", carol, "{\"text\":\"Carol is allergic to penicillin\"}");
        String id = Json.tree(remembered.body()).path("memory").path("id").asString();
        server.post("/api/memory/memories", carol, "{\"text\":\"Carol's car is blue\"}");
        HttpResponse<String> response = server.post(
                "/api/chat", carol, "{\"persona\":\"karen\",\"message\":\"Which antibiotics should I avoid?\"}");
        assertThat(response.statusCode()).isEqualTo(200);
        String system = lastUpstreamMessages().get(0).path("content").asString();
        assertThat(system)
                .contains("[" + id + "] Carol is allergic to penicillin")
                .doesNotContain("car is blue");
        JsonNode run = Json.tree(server.get(
                        "/api/runs/"
                                + Json.tree(response.body())
                                        .path("orchestra")
                                        .path("run_id")
                                        .asString(),
                        carol)
                .body());
        assertThat(run.path("steps").findValuesAsString("kind")).contains("recall");
        chat("{\"persona\":\"karen\",\"message\":\"Which antibiotics should I avoid?\"}");
        assertThat(lastUpstreamMessages().get(0).path("content").asString()).doesNotContain("penicillin");
    }

    @Test
    void theToolLoopStopsAtItsStepLimit() {
        assertThat(server.post("/api/personas", alice, persona("looper", "looping"))
                        .statusCode())
                .isEqualTo(201);
        JsonNode reply = chat("{\"persona\":\"looper\",\"message\":\"weather?\"}");
        assertThat(reply.path("orchestra").path("stopped").asString()).contains("limit of 6");
        JsonNode run = Json.tree(
                server.get("/api/runs/" + reply.path("orchestra").path("run_id").asString(), alice)
                        .body());
        assertThat(run.path("steps").findValuesAsString("kind").stream()
                        .filter("model"::equals)
                        .count())
                .isEqualTo(6);
        assertThat(run.path("steps").get(1).path("error").asString()).contains("no tool named 'get_weather'");
    }

    @Test
    void badChatRequestsAreClearErrors() {
        assertThat(server.post("/api/chat", alice, "{\"persona\":\"nobody\",\"message\":\"hi\"}")
                        .statusCode())
                .isEqualTo(404);
        assertThat(server.post("/api/chat", alice, "{\"persona\":\"sophia\"}").statusCode())
                .isEqualTo(400);
        assertThat(server.post("/api/chat", alice, "{\"persona\":\"sophia\",\"message\":\"hi\",\"colour\":1}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(server.post(
                                "/api/chat",
                                alice,
                                "{\"persona\":\"sophia\",\"message\":\"hi\",\"session_id\":\"ses_nope\"}")
                        .statusCode())
                .isEqualTo(404);
    }
}
