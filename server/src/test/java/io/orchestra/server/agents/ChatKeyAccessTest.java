package io.orchestra.server.agents;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.json.Json;
import io.orchestra.server.TestServer;
import io.orchestra.server.gateway.FakeUpstream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A key's allowed models hold on POST /api/chat as on /v1, over real HTTP with a fake provider: a
 * key limited to alias {@code a} chats with a persona on {@code a}, and is refused (403
 * problem+json, before any provider call) a persona on {@code b}, the router's pick and a team.
 */
class ChatKeyAccessTest {
    static FakeUpstream upstream;
    static TestServer server;
    static String limited;
    static String personaGrant;

    @BeforeAll
    static void start() throws Exception {
        upstream = new FakeUpstream();
        server = TestServer.start(
                TestServer.Storage.SQLITE,
                Map.of(
                        "orchestra.personas.dir",
                        Files.createTempDirectory("no-personas").toString(),
                        "orchestra.chat.extract-memories",
                        "false"),
                """
                gateway:
                  providers:
                    openai: { kind: openai, base_url: "%s/openai/v1", api_key: "sk-test" }
                  routes:
                    - { alias: a, targets: [ { provider: openai, model: gpt-4o-mini } ] }
                    - { alias: b, targets: [ { provider: openai, model: gpt-4o } ] }
                """.formatted(upstream.baseUrl()));
        String full = server.createKey("team-full", "member", "team");
        for (String[] persona : new String[][] {{"on-a", "a"}, {"on-b", "b"}}) {
            HttpResponse<String> created =
                    server.post("/api/personas", full, """
                    {"id":"%s","name":"%s","description":"Answers questions.","system_prompt":"You help.","model":"%s",
                     "temperature":0.2,"domains":["general"]}""".formatted(persona[0], persona[0], persona[1]));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        }
        limited = key("team-a-only", "[\"a\"]");
        personaGrant = key("team-on-b", "[\"persona:on-b\"]");
    }

    static String key(String name, String models) {
        HttpResponse<String> created = server.post(
                "/api/keys",
                TestServer.ADMIN_KEY,
                "{\"name\":\"" + name + "\",\"role\":\"member\",\"owner\":\"team\",\"models\":" + models + "}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return Json.tree(created.body()).path("secret").asString();
    }

    @AfterAll
    static void stop() {
        server.close();
        upstream.close();
    }

    static void assertRefused(HttpResponse<String> response, String... mentions) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
        assertThat(Json.tree(response.body()).path("detail").asString()).contains(mentions);
    }

    @Test
    void aKeyLimitedToOneAliasChatsOnlyWithPersonasOnThatAlias() {
        int before = upstream.requests.size();
        assertRefused(server.post("/api/chat", limited, "{\"persona\":\"on-b\",\"message\":\"Hi\"}"), "on-b", "'b'");
        assertRefused(
                server.post("/api/chat", limited, "{\"persona\":\"on-b\",\"message\":\"Hi\",\"stream\":true}"), "on-b");
        assertRefused(server.post("/api/chat", limited, "{\"message\":\"Hi\"}"), "auto");
        assertRefused(
                server.post("/api/chat", limited, "{\"persona\":\"on-a\",\"message\":\"Hi\",\"mode\":\"team\"}"),
                "team");
        assertThat(upstream.requests).hasSize(before); // refused before any provider call

        HttpResponse<String> allowed = server.post("/api/chat", limited, "{\"persona\":\"on-a\",\"message\":\"Hi\"}");
        assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);
        assertThat(Json.tree(allowed.body()).path("orchestra").path("persona").asString())
                .isEqualTo("on-a");

        // The same key on /v1: alias b is refused there too.
        HttpResponse<String> v1 = server.post(
                "/v1/chat/completions",
                limited,
                "{\"model\":\"b\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        assertThat(v1.statusCode()).isEqualTo(403);
    }

    @Test
    void aKeyThatNamesAPersonaMayChatWithItWhateverItsModel() {
        HttpResponse<String> named =
                server.post("/api/chat", personaGrant, "{\"persona\":\"on-b\",\"message\":\"Hi\"}");
        assertThat(named.statusCode()).as(named.body()).isEqualTo(200);
        assertRefused(server.post("/api/chat", personaGrant, "{\"persona\":\"on-a\",\"message\":\"Hi\"}"), "on-a");
    }
}
