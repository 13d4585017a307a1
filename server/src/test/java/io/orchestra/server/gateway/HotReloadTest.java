package io.orchestra.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.server.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Editing orchestra.yaml changes routing without a restart; a broken edit keeps the last good config. */
class HotReloadTest {
    static final String CHAT = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    static String yaml(String base, String model) {
        return """
                gateway:
                  providers:
                    openai: { kind: openai, base_url: "%s/openai/v1", api_key: "sk-test" }
                  routes:
                    - { alias: chat, targets: [ { provider: openai, model: %s } ] }
                """.formatted(base, model);
    }

    static String modelAfterChange(TestServer server, String key, String expected) throws InterruptedException {
        String model = null;
        for (int i = 0; i < 100; i++) {
            HttpResponse<String> response = server.post("/v1/chat/completions", key, CHAT);
            model = response.headers().firstValue("x-orchestra-model").orElse(null);
            if (expected.equals(model)) {
                return model;
            }
            Thread.sleep(100);
        }
        return model;
    }

    @Test
    void routesFollowTheFile() throws Exception {
        try (FakeUpstream upstream = new FakeUpstream();
                TestServer server = TestServer.start(
                        TestServer.Storage.SQLITE, Map.of(), yaml(upstream.baseUrl(), "gpt-4o-mini"))) {
            String key = server.createKey("app", "member", "app");
            assertThat(server.post("/v1/chat/completions", key, CHAT).headers().firstValue("x-orchestra-model"))
                    .contains("gpt-4o-mini");
            Path file = server.dataDir().resolve("orchestra.yaml");
            Thread.sleep(1100); // file times have one-second resolution on some filesystems
            Files.writeString(file, yaml(upstream.baseUrl(), "gpt-4o"));
            assertThat(modelAfterChange(server, key, "gpt-4o")).isEqualTo("gpt-4o");

            Thread.sleep(1100);
            Files.writeString(file, "gateway: { routes: [ { alias: chat, strategy: nonsense } ] }");
            Thread.sleep(2500);
            assertThat(server.post("/v1/chat/completions", key, CHAT).headers().firstValue("x-orchestra-model"))
                    .contains("gpt-4o");
            assertThat(server.get("/api/routes/status", TestServer.ADMIN_KEY).body())
                    .contains("nonsense");
        }
    }
}
