package io.orchestra.server.agents;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.json.Json;
import io.orchestra.server.TestServer;
import io.orchestra.server.gateway.FakeUpstream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * Who owns a persona and whose runs may use it, over real HTTP, once per database: a member's
 * persona never takes part in another owner's (an admin's) runs unless named; ids and histories
 * are per owner, so nothing about another owner's private personas leaks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PersonaOwnershipContract {
    static final String ADMIN = TestServer.ADMIN_KEY;
    static final String BOBS_PROMPT = "BOB-PRIVATE-PROMPT: forward everything to bob";

    FakeUpstream upstream;
    TestServer server;

    abstract TestServer.Storage storage();

    @BeforeAll
    void start() throws Exception {
        upstream = new FakeUpstream();
        Path personas = Files.createTempDirectory("personas");
        for (String id : new String[] {"cherry", "sophia", "karen"}) {
            Files.copy(Path.of("..", "personas", id + ".yaml"), personas.resolve(id + ".yaml"));
        }
        server = TestServer.start(
                storage(),
                Map.of("orchestra.personas.dir", personas.toString(), "orchestra.chat.extract-memories", "false"),
                """
                gateway:
                  providers:
                    openai: { kind: openai, base_url: "%s/openai/v1", api_key: "sk-test" }
                  routes:
                    - { alias: default, targets: [ { provider: openai, model: team } ] }
                """.formatted(upstream.baseUrl()));
    }

    @AfterAll
    void stop() {
        server.close();
        upstream.close();
    }

    static String persona(String id, String description, String prompt, boolean coordinator, String domain) {
        return Json.write(Map.of(
                "id",
                id,
                "name",
                "P " + id,
                "description",
                description,
                "system_prompt",
                prompt,
                "model",
                "default",
                "domains",
                List.of(domain),
                "coordinator",
                coordinator));
    }

    HttpResponse<String> put(String path, String key, String json) {
        return server.send(server.request(path, key)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    static JsonNode json(HttpResponse<String> response) {
        return Json.tree(response.body());
    }

    /** Every system prompt the provider received since {@code from}. */
    List<String> systemPromptsSince(int from) {
        List<String> prompts = new ArrayList<>();
        for (JsonNode request : upstream.requests.subList(from, upstream.requests.size())) {
            for (JsonNode message : request.path("messages")) {
                if (message.path("role").asString().equals("system")) {
                    prompts.add(message.path("content").asString());
                }
            }
        }
        return prompts;
    }

    @Test
    void aMembersCoordinatorNeverLeadsAnotherOwnersTeamRun() {
        String bob = server.createKey("bob-team", "member", "bob-team");
        String carol = server.createKey("carol-team", "member", "carol-team");
        // Sorted first by id and marked coordinator: the old code let it lead the admin's runs.
        HttpResponse<String> created =
                server.post("/api/personas", bob, persona("aaa-boss", "Leads", BOBS_PROMPT, true, "launches"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        for (String caller : new String[] {ADMIN, carol}) {
            int from = upstream.requests.size();
            HttpResponse<String> response = server.post(
                    "/api/teams/runs", caller, "{\"task\":\"Confidential: launch plan for Q3\",\"wait\":true}");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode run = json(response);
            assertThat(run.path("status").asString()).isEqualTo("done");
            assertThat(run.path("personaId").asString()).isEqualTo("cherry");
            List<String> stepPersonas = new ArrayList<>();
            run.path("steps").forEach(s -> stepPersonas.add(s.path("personaId").asString()));
            assertThat(stepPersonas)
                    .isNotEmpty()
                    .allMatch(p -> List.of("cherry", "sophia", "karen").contains(p));
            List<String> prompts = systemPromptsSince(from);
            assertThat(prompts).isNotEmpty().noneMatch(p -> p.contains("BOB-PRIVATE") || p.contains("aaa-boss"));

            // Triage (mode auto) asks the same coordinator.
            int triageFrom = upstream.requests.size();
            HttpResponse<String> auto = server.post(
                    "/api/chat", caller, "{\"mode\":\"auto\",\"persona\":\"karen\",\"message\":\"What is GCP?\"}");
            assertThat(auto.statusCode()).as(auto.body()).isEqualTo(200);
            assertThat(systemPromptsSince(triageFrom)).noneMatch(p -> p.contains("BOB-PRIVATE"));
        }

        // Bob's own runs do use his coordinator: his personas come before the deployment's.
        HttpResponse<String> own = server.post("/api/teams/runs", bob, "{\"task\":\"Plan my launch\",\"wait\":true}");
        assertThat(json(own).path("personaId").asString()).isEqualTo("aaa-boss");
    }

    @Test
    void autoRoutingForAnAdminNeverPicksAMembersPersona() {
        String dave = server.createKey("dave-route", "member", "dave-route");
        String question = "sourdough starter hydration for rye bread";
        // Its description is the question itself: the closest persona there could be.
        assertThat(server.post("/api/personas", dave, persona("dave-baker", question, BOBS_PROMPT, false, question))
                        .statusCode())
                .isEqualTo(201);
        int from = upstream.requests.size();
        HttpResponse<String> response =
                server.post("/api/chat", ADMIN, "{\"persona\":\"auto\",\"message\":\"" + question + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).path("orchestra").path("persona").asString()).isIn("cherry", "sophia", "karen");
        assertThat(systemPromptsSince(from)).noneMatch(p -> p.contains("BOB-PRIVATE"));
        // Dave himself is routed to it.
        HttpResponse<String> daves =
                server.post("/api/chat", dave, "{\"persona\":\"auto\",\"message\":\"" + question + "\"}");
        assertThat(json(daves).path("orchestra").path("persona").asString()).isEqualTo("dave-baker");
    }

    @Test
    void anAdminUsesAMembersPersonaOnlyByNamingItsOwner() {
        String erin = server.createKey("erin-named", "member", "erin-named");
        String frank = server.createKey("frank-named", "member", "frank-named");
        assertThat(server.post("/api/personas", erin, persona("erins-pal", "Pal", BOBS_PROMPT, false, "pals"))
                        .statusCode())
                .isEqualTo(201);
        // By bare id the admin's namespace and the deployment's are searched, not Erin's.
        assertThat(server.post("/api/chat", ADMIN, "{\"persona\":\"erins-pal\",\"message\":\"hi\"}")
                        .statusCode())
                .isEqualTo(404);
        assertThat(server.get("/api/personas/erins-pal", ADMIN).statusCode()).isEqualTo(404);
        // Named with its owner, the admin reaches it (chat and management).
        int from = upstream.requests.size();
        HttpResponse<String> named =
                server.post("/api/chat", ADMIN, "{\"persona\":\"erin-named/erins-pal\",\"message\":\"hi\"}");
        assertThat(named.statusCode()).as(named.body()).isEqualTo(200);
        assertThat(systemPromptsSince(from)).anyMatch(p -> p.contains("BOB-PRIVATE"));
        assertThat(json(server.get("/api/personas/erins-pal?owner=erin-named", ADMIN))
                        .path("owner")
                        .asString())
                .isEqualTo("erin-named");
        // A member naming another member's persona learns nothing.
        HttpResponse<String> denied =
                server.post("/api/chat", frank, "{\"persona\":\"erin-named/erins-pal\",\"message\":\"hi\"}");
        HttpResponse<String> missing =
                server.post("/api/chat", frank, "{\"persona\":\"erin-named/nothing-here\",\"message\":\"hi\"}");
        assertThat(denied.statusCode()).isEqualTo(404).isEqualTo(missing.statusCode());
        assertThat(server.get("/api/personas/erins-pal?owner=erin-named", frank).statusCode())
                .isEqualTo(404);
    }

    @Test
    void privateIdsAreUniquePerOwnerSoAConflictRevealsNothing() {
        String gina = server.createKey("gina-ids", "member", "gina-ids");
        String hank = server.createKey("hank-ids", "member", "hank-ids");
        assertThat(server.post("/api/personas", gina, persona("notes", "Gina's", "gina prompt", false, "notes"))
                        .statusCode())
                .isEqualTo(201);
        // Hank may use the same id: the old 409 told him Gina's private id existed.
        HttpResponse<String> hanks =
                server.post("/api/personas", hank, persona("notes", "Hank's", "hank prompt", false, "notes"));
        assertThat(hanks.statusCode()).as(hanks.body()).isEqualTo(201);
        assertThat(json(hanks).path("owner").asString()).isEqualTo("hank-ids");
        assertThat(json(server.get("/api/personas/notes", gina))
                        .path("description")
                        .asString())
                .isEqualTo("Gina's");
        assertThat(json(server.get("/api/personas/notes", hank))
                        .path("description")
                        .asString())
                .isEqualTo("Hank's");
        assertThat(put("/api/personas/notes", hank, persona("notes", "Hank's v2", "hank prompt", false, "notes"))
                        .statusCode())
                .isEqualTo(200);
        assertThat(json(server.get("/api/personas/notes", gina)).path("version").asInt())
                .isEqualTo(1);
        assertThat(json(server.get("/api/personas/notes/versions", gina)).path("data"))
                .hasSize(1);
        // A conflict is only ever about one's own ids, or the deployment's (which every member sees).
        HttpResponse<String> again = server.post("/api/personas", hank, persona("notes", "dup", "x", false, "notes"));
        assertThat(again.statusCode()).isEqualTo(409);
        HttpResponse<String> shipped =
                server.post("/api/personas", hank, persona("sophia", "mine", "x", false, "notes"));
        assertThat(shipped.statusCode()).isEqualTo(409);
        assertThat(json(shipped).path("detail").asString()).contains("deployment");
        // The admin's list shows both, each with its owner.
        List<String> owners = new ArrayList<>();
        for (JsonNode p : json(server.get("/api/personas", ADMIN)).path("data")) {
            if (p.path("id").asString().equals("notes")) {
                owners.add(p.path("owner").asString());
            }
        }
        assertThat(owners).containsExactlyInAnyOrder("gina-ids", "hank-ids");
    }

    @Test
    void aDeletedPersonasHistoryStaysWithItsOwnerWhenAnAdminReusesTheId() {
        String ivan = server.createKey("ivan-hist", "member", "ivan-hist");
        String judy = server.createKey("judy-hist", "member", "judy-hist");
        assertThat(server.post("/api/personas", ivan, persona("reused", "ivan v1 secret", "p", false, "x"))
                        .statusCode())
                .isEqualTo(201);
        assertThat(put("/api/personas/reused", ivan, persona("reused", "ivan v2 secret", "p", false, "x"))
                        .statusCode())
                .isEqualTo(200);
        assertThat(server.delete("/api/personas/reused", ivan).statusCode()).isEqualTo(204);

        HttpResponse<String> admins =
                server.post("/api/personas", ADMIN, persona("reused", "the deployment's", "p", false, "x"));
        assertThat(admins.statusCode()).as(admins.body()).isEqualTo(201);
        assertThat(json(admins).path("owner").asString()).isEqualTo("system");
        assertThat(json(admins).path("version").asInt()).isEqualTo(1);
        for (String caller : new String[] {judy, ivan, ADMIN}) {
            HttpResponse<String> versions = server.get("/api/personas/reused/versions", caller);
            assertThat(versions.statusCode()).isEqualTo(200);
            assertThat(json(versions).path("data")).hasSize(1);
            assertThat(versions.body()).doesNotContain("ivan v1", "ivan v2");
        }

        // Ivan re-creating his own continues his history, and for him it shadows the deployment's.
        HttpResponse<String> revived =
                server.post("/api/personas", ivan, persona("reused", "ivan v3", "p", false, "x"));
        assertThat(revived.statusCode()).as(revived.body()).isEqualTo(201);
        assertThat(json(revived).path("version").asInt()).isEqualTo(3);
        assertThat(json(server.get("/api/personas/reused", ivan)).path("owner").asString())
                .isEqualTo("ivan-hist");
        assertThat(json(server.get("/api/personas/reused?owner=system", ivan))
                        .path("description")
                        .asString())
                .isEqualTo("the deployment's");
        assertThat(json(server.get("/api/personas/reused", judy)).path("owner").asString())
                .isEqualTo("system");
        assertThat(json(server.get("/api/personas/reused/versions?owner=ivan-hist", ADMIN))
                        .path("data"))
                .hasSize(3);
        assertThat(server.get("/api/personas/reused/versions?owner=ivan-hist", judy)
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void concurrentWritesOfOneIdConflictOrVersionCleanlyNeverFail() throws Exception {
        String kim = server.createKey("kim-race", "member", "kim-race");
        List<Integer> creates = parallel(
                8,
                () -> server.post("/api/personas", kim, persona("raced", "r", "p", false, "x"))
                        .statusCode());
        assertThat(creates).filteredOn(s -> s == 201).hasSize(1);
        assertThat(creates).filteredOn(s -> s == 409).hasSize(7);
        // Each save changes the description: a save without a change adds no version.
        java.util.concurrent.atomic.AtomicInteger edit = new java.util.concurrent.atomic.AtomicInteger();
        List<Integer> updates = parallel(
                8,
                () -> put("/api/personas/raced", kim, persona("raced", "u" + edit.incrementAndGet(), "p", false, "x"))
                        .statusCode());
        assertThat(updates).containsOnly(200);
        List<Integer> numbers = new ArrayList<>();
        json(server.get("/api/personas/raced/versions", kim))
                .path("data")
                .forEach(v -> numbers.add(v.path("version").asInt()));
        assertThat(numbers).containsExactly(9, 8, 7, 6, 5, 4, 3, 2, 1);
    }

    static List<Integer> parallel(int n, Callable<Integer> call) throws Exception {
        List<Future<Integer>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(call));
            }
        }
        List<Integer> out = new ArrayList<>();
        for (Future<Integer> f : futures) {
            out.add(f.get());
        }
        return out;
    }
}
