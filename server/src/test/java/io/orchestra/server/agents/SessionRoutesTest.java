package io.orchestra.server.agents;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.agents.session.ChatSession;
import io.orchestra.agents.session.SessionStore;
import io.orchestra.core.json.Json;
import io.orchestra.server.TestServer;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

class SessionRoutesTest {
    @ParameterizedTest
    @EnumSource(TestServer.Storage.class)
    void sessionsSurviveRestartsAndStayWithTheirOwner(TestServer.Storage storage) {
        try (TestServer server = TestServer.start(storage, Map.of())) {
            String alice = Json.tree(server.post(
                                    "/api/keys",
                                    TestServer.ADMIN_KEY,
                                    "{\"name\":\"a\",\"role\":\"member\",\"owner\":\"alice\"}")
                            .body())
                    .get("secret")
                    .asString();
            String bob = Json.tree(server.post(
                                    "/api/keys",
                                    TestServer.ADMIN_KEY,
                                    "{\"name\":\"b\",\"role\":\"member\",\"owner\":\"bob\"}")
                            .body())
                    .get("secret")
                    .asString();
            SessionStore store = new SessionStore(server.orchestra().database(), Clock.systemUTC());
            ChatSession session = store.create("alice", "sophia", "fees");
            store.append(session, "user", "What is interchange?", null, 9, null);
            store.append(session, "assistant", "A fee between banks.", "sophia", 9, null);

            server.restart();
            JsonNode body =
                    Json.tree(server.get("/api/sessions/" + session.id(), alice).body());
            assertThat(body.get("messages")).hasSize(2);
            assertThat(body.get("messages").get(1).get("content").asString()).isEqualTo("A fee between banks.");
            assertThat(server.get("/api/sessions", alice).body()).contains(session.id());

            assertThat(server.get("/api/sessions/" + session.id(), bob).statusCode())
                    .isEqualTo(404);
            assertThat(server.get("/api/sessions", bob).body()).doesNotContain(session.id());
            assertThat(server.delete("/api/sessions/" + session.id(), bob).statusCode())
                    .isEqualTo(404);
            assertThat(server.delete("/api/sessions/" + session.id(), alice).statusCode())
                    .isEqualTo(204);
            assertThat(server.get("/api/sessions/" + session.id(), alice).statusCode())
                    .isEqualTo(404);
        }
    }
}
