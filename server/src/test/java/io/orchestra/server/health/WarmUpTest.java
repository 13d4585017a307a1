package io.orchestra.server.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestra.core.json.Json;
import io.orchestra.server.TestServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The embedding model loads after the port opens: /health answers at once, /ready says what is still loading. */
class WarmUpTest {
    @Test
    void readySaysWhatIsStillLoadingAndTurnsReadyWhenWarm() {
        List<String> pending = new CopyOnWriteArrayList<>(List.of("embedding model"));
        try (TestServer server = TestServer.start(TestServer.Storage.SQLITE)) {
            server.orchestra().health().addWarming(() -> List.copyOf(pending));

            HttpResponse<String> warming = server.get("/ready", null);
            assertThat(warming.statusCode()).isEqualTo(503);
            JsonNode body = Json.tree(warming.body());
            assertThat(body.get("status").asString()).isEqualTo("warming");
            assertThat(body.get("reasons").get(0).asString()).isEqualTo("still loading: embedding model");
            assertThat(server.get("/health", null).statusCode()).isEqualTo(200);

            pending.clear();
            assertThat(server.get("/ready", null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void withWarmUpOnReadyWaitsForTheModel() {
        try (TestServer server =
                TestServer.start(TestServer.Storage.SQLITE, Map.of("orchestra.embeddings.warm-up", "true"))) {
            // TestServer.start waited for warm(): the model thread has finished loading.
            assertThat(server.orchestra().warm()).isDone();
            assertThat(server.get("/ready", null).statusCode()).isEqualTo(200);
            HttpResponse<String> saved = server.post(
                    "/api/memory/memories", TestServer.ADMIN_KEY, "{\"text\":\"Warm-up leaves the model loaded\"}");
            assertThat(saved.statusCode()).as(saved.body()).isIn(200, 201);
        }
    }

    @Test
    void aWarmUpSettingThatIsNotABooleanStopsStartup() {
        assertThatThrownBy(() ->
                        TestServer.start(TestServer.Storage.SQLITE, Map.of("orchestra.embeddings.warm-up", "yes")))
                .hasStackTraceContaining("orchestra.embeddings.warm-up = 'yes': expected true or false");
    }
}
