package io.orchestra.server.agents;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.json.Json;
import io.orchestra.server.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class PersonaRoutesTest {
    static final String ADMIN = TestServer.ADMIN_KEY;
    static TestServer server;
    static Path personaDir;
    static String alice;
    static String bob;

    @BeforeAll
    static void start() throws Exception {
        personaDir = Files.createTempDirectory("personas");
        for (String id : new String[] {"cherry", "sophia", "karen"}) {
            Files.copy(Path.of("..", "personas", id + ".yaml"), personaDir.resolve(id + ".yaml"));
        }
        // Personas must name a served model: a route whose provider is never called here.
        server = TestServer.start(
                TestServer.Storage.SQLITE, Map.of("orchestra.personas.dir", personaDir.toString()), ServedRoutes.YAML);
        alice = key("alice");
        bob = key("bob");
    }

    static String key(String owner) {
        HttpResponse<String> created = server.post(
                "/api/keys", ADMIN, "{\"name\":\"" + owner + "\",\"role\":\"member\",\"owner\":\"" + owner + "\"}");
        return Json.tree(created.body()).get("secret").asString();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String definition(String id, String description) {
        return """
                {"id":"%s","name":"Tutor","description":"%s","system_prompt":"You teach.","model":"default",
                 "temperature":0.2,"domains":["maths"]}""".formatted(id, description);
    }

    static HttpResponse<String> put(String path, String key, String json) {
        return server.send(server.request(path, key)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    @Test
    void shippedPersonasLoadFromFilesForEveryone() {
        JsonNode list = Json.tree(server.get("/api/personas", alice).body()).get("data");
        assertThat(list.findValuesAsString("id")).contains("cherry", "sophia", "karen");
        JsonNode cherry = Json.tree(server.get("/api/personas/cherry", alice).body());
        assertThat(cherry.get("coordinator").asBoolean()).isTrue();
        assertThat(cherry.get("source").asString()).isEqualTo("file");
        assertThat(cherry.get("memory").get("read_from").toString()).contains("sophia", "karen");
    }

    @Test
    void createUpdateKeepsVersionHistoryAndSoftDeletes() {
        HttpResponse<String> created = server.post("/api/personas", alice, definition("tutor-a", "first"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(Json.tree(created.body()).get("version").asInt()).isEqualTo(1);
        assertThat(Json.tree(created.body()).get("owner").asString()).isEqualTo("alice");

        HttpResponse<String> updated = put("/api/personas/tutor-a", alice, definition("tutor-a", "second"));
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        assertThat(Json.tree(updated.body()).get("version").asInt()).isEqualTo(2);

        JsonNode versions = Json.tree(
                        server.get("/api/personas/tutor-a/versions", alice).body())
                .get("data");
        assertThat(versions).hasSize(2);
        assertThat(versions.get(0).get("definition").get("description").asString())
                .isEqualTo("second");
        assertThat(versions.get(1).get("definition").get("description").asString())
                .isEqualTo("first");

        assertThat(server.post("/api/personas", alice, definition("tutor-a", "dup"))
                        .statusCode())
                .isEqualTo(409);
        assertThat(server.delete("/api/personas/tutor-a", alice).statusCode()).isEqualTo(204);
        assertThat(server.get("/api/personas/tutor-a", alice).statusCode()).isEqualTo(404);
        // Re-creating continues the history rather than losing it.
        HttpResponse<String> again = server.post("/api/personas", alice, definition("tutor-a", "third"));
        assertThat(Json.tree(again.body()).get("version").asInt()).isEqualTo(3);
    }

    @Test
    void ownersNeverSeeEachOthersPersonas() {
        server.post("/api/personas", alice, definition("alice-only", "private"));
        assertThat(server.get("/api/personas/alice-only", bob).statusCode()).isEqualTo(404);
        assertThat(Json.tree(server.get("/api/personas", bob).body())
                        .get("data")
                        .findValuesAsString("id"))
                .doesNotContain("alice-only");
        assertThat(put("/api/personas/alice-only", bob, definition("alice-only", "hijack"))
                        .statusCode())
                .isEqualTo(404);
        assertThat(server.delete("/api/personas/alice-only", bob).statusCode()).isEqualTo(404);
    }

    @Test
    void membersCannotChangeShippedPersonas() {
        HttpResponse<String> denied = put("/api/personas/karen", alice, definition("karen", "hijack"));
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(server.delete("/api/personas/sophia", alice).statusCode()).isEqualTo(403);
    }

    @Test
    void invalidDefinitionsListEveryProblem() {
        HttpResponse<String> invalid =
                server.post("/api/personas", alice, "{\"id\":\"X\",\"temperature\":\"hot\",\"extra\":1}");
        assertThat(invalid.statusCode()).isEqualTo(422);
        JsonNode errors = Json.tree(invalid.body()).get("errors");
        assertThat(errors.size()).isGreaterThanOrEqualTo(6);
        assertThat(invalid.body())
                .contains(
                        "name: required",
                        "model: required",
                        "temperature: a number from 0 to 2",
                        "extra: unknown field");
        assertThat(put("/api/personas/other", alice, definition("mismatch", "x"))
                        .statusCode())
                .isEqualTo(422);
        assertThat(server.get("/api/personas/nobody", alice).statusCode()).isEqualTo(404);
    }

    /** The errors of a problem+json answer, grouped by the field each names ("field: problem"). */
    static Map<String, List<String>> fieldErrors(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        Map<String, List<String>> out = new java.util.TreeMap<>();
        Json.tree(response.body()).path("errors").forEach(e -> {
            String text = e.asString();
            int colon = text.indexOf(": ");
            out.computeIfAbsent(text.substring(0, colon), k -> new java.util.ArrayList<>())
                    .add(text.substring(colon + 2));
        });
        return out;
    }

    @Test
    void aPersonaNamingAnUnservedModelUnknownToolsOrNoPersonaIsRefusedWithEachFieldsError() {
        String bad = """
                {"id":"dangling","name":"Dangling","description":"d","system_prompt":"p","model":"gpt-9-turbo",
                 "tools":["memory.*","memory.telepathy","mcp:nowhere.*"],"memory":{"read_from":["sophia","ghost"]}}""";
        HttpResponse<String> refused = server.post("/api/personas", alice, bad);
        assertThat(refused.statusCode()).isEqualTo(422);
        Map<String, List<String>> errors = fieldErrors(refused);
        assertThat(errors).containsOnlyKeys("model", "tools", "memory.read_from");
        assertThat(errors.get("model").getFirst())
                .startsWith("'gpt-9-turbo' is not a model this server serves")
                .contains("default");
        assertThat(errors.get("tools")).hasSize(2);
        assertThat(errors.get("tools").get(0)).startsWith("'memory.telepathy' matches no tool; known: memory.*");
        assertThat(errors.get("tools").get(1)).startsWith("'mcp:nowhere.*' matches no tool");
        assertThat(errors.get("memory.read_from")).containsExactly("there is no persona 'ghost'");
        assertThat(server.get("/api/personas/dangling", alice).statusCode()).isEqualTo(404);

        // The same checks hold for an update, and a provider/model of a configured provider is served.
        assertThat(server.post("/api/personas", alice, definition("checked", "ok"))
                        .statusCode())
                .isEqualTo(201);
        HttpResponse<String> badUpdate = put(
                "/api/personas/checked",
                alice,
                definition("checked", "ok").replace("\"model\":\"default\"", "\"model\":\"nowhere/gpt-4o\""));
        assertThat(fieldErrors(badUpdate)).containsOnlyKeys("model");
        HttpResponse<String> direct = put(
                "/api/personas/checked",
                alice,
                definition("checked", "ok").replace("\"model\":\"default\"", "\"model\":\"openai/gpt-4o\""));
        assertThat(direct.statusCode()).as(direct.body()).isEqualTo(200);
    }

    @Test
    void savingWithoutAChangeAddsNoVersionAndAnEarlierVersionCanBeRestored() {
        assertThat(server.post("/api/personas", alice, definition("steady", "first"))
                        .statusCode())
                .isEqualTo(201);
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> same = put("/api/personas/steady", alice, definition("steady", "first"));
            assertThat(Json.tree(same.body()).path("version").asInt()).isEqualTo(1);
        }
        assertThat(Json.tree(put("/api/personas/steady", alice, definition("steady", "second"))
                                .body())
                        .path("version")
                        .asInt())
                .isEqualTo(2);
        HttpResponse<String> restored = server.post("/api/personas/steady/versions/1/restore", alice, "");
        assertThat(restored.statusCode()).as(restored.body()).isEqualTo(200);
        JsonNode current = Json.tree(restored.body());
        assertThat(current.path("version").asInt()).isEqualTo(3);
        assertThat(current.path("description").asString()).isEqualTo("first");
        assertThat(server.post("/api/personas/steady/versions/9/restore", alice, "")
                        .statusCode())
                .isEqualTo(404);
        assertThat(server.post("/api/personas/steady/versions/x/restore", alice, "")
                        .statusCode())
                .isEqualTo(400);
        assertThat(server.post("/api/personas/steady/versions/1/restore", bob, "")
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void editingAFileReloadsThePersonaAndBadFilesAreReported() throws Exception {
        String original = Files.readString(personaDir.resolve("karen.yaml"));
        Files.writeString(personaDir.resolve("karen.yaml"), original.replace("temperature: 0.3", "temperature: 0.35"));
        Files.writeString(personaDir.resolve("broken.yaml"), "id: broken\nname: 5\n");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonNode karen;
        do {
            Thread.sleep(100);
            karen = Json.tree(server.get("/api/personas/karen", ADMIN).body());
        } while (karen.get("temperature").asDouble() != 0.35 && System.nanoTime() < deadline);
        assertThat(karen.get("temperature").asDouble()).isEqualTo(0.35);
        assertThat(karen.get("version").asInt()).isEqualTo(2);
        JsonNode problems =
                Json.tree(server.get("/api/personas/files", ADMIN).body()).get("problems");
        assertThat(problems.get("broken.yaml").toString()).contains("name: must be text", "description: required");
        Files.writeString(personaDir.resolve("karen.yaml"), original);
        Files.delete(personaDir.resolve("broken.yaml"));
    }
}
