package io.orchestra.memory.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.orchestra.core.config.ConfigException;
import io.orchestra.core.error.ProblemException;
import io.orchestra.core.json.Json;
import io.orchestra.memory.MemoryModule;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The HTTP embedder against a fake OpenAI-compatible embeddings server on a real socket. */
class HttpEmbedderTest {
    static final String KEY = "sk-test-secret-0123456789";

    HttpServer server;
    final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    volatile int status = 200;
    volatile String override;
    volatile long delayMillis;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/embeddings", exchange -> {
            JsonNode body = Json.mapper()
                    .readTree(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            requests.add(body);
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // Answers in reverse order, as servers may: the client must sort by index. Vector: [len, 1, 0]
            // unnormalised.
            List<Map<String, Object>> data = new ArrayList<>();
            for (int i = 0; i < body.path("input").size(); i++) {
                data.add(Map.of(
                        "object",
                        "embedding",
                        "index",
                        i,
                        "embedding",
                        List.of(body.path("input").get(i).asString().length(), 1, 0)));
            }
            Collections.reverse(data);
            byte[] out = (override != null
                            ? override
                            : Json.write(Map.of(
                                    "object",
                                    "list",
                                    "data",
                                    data,
                                    "model",
                                    body.path("model").asString())))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    HttpEmbedder embedder(int dimensions, int batch, long timeout) {
        return new HttpEmbedder(new HttpEmbedder.Settings(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1"),
                "text-embed",
                Optional.of(KEY),
                dimensions,
                batch,
                timeout));
    }

    @Test
    void embedsInBatchesInOrderAsUnitVectors() {
        try (HttpEmbedder embedder = embedder(3, 2, 5_000)) {
            List<float[]> vectors = embedder.embed(List.of("a", "bb", "ccc", "dddd", "eeeee"));
            assertThat(requests).hasSize(3);
            assertThat(requests.getFirst().path("model").asString()).isEqualTo("text-embed");
            assertThat(requests).extracting(r -> r.path("input").size()).containsExactly(2, 2, 1);
            assertThat(authorizations).allMatch(("Bearer " + KEY)::equals);
            for (int i = 0; i < 5; i++) {
                double length = i + 1;
                assertThat(vectors.get(i)[0])
                        .isCloseTo(
                                (float) (length / Math.sqrt(length * length + 1)),
                                org.assertj.core.data.Offset.offset(1e-6f));
                assertThat(Embedder.cosine(vectors.get(i), vectors.get(i)))
                        .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
            }
        }
    }

    @Test
    void failuresAreClearProblemsThatNeverShowTheKey() {
        try (HttpEmbedder embedder = embedder(3, 16, 500)) {
            status = 401;
            override = "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\"}}";
            assertThatThrownBy(() -> embedder.embed("x")).isInstanceOfSatisfying(ProblemException.class, e -> {
                assertThat(e.status()).isEqualTo(502);
                assertThat(e.getMessage())
                        .contains("HTTP 401")
                        .contains("Incorrect API key")
                        .doesNotContain(KEY);
            });
            status = 200;
            override = "not json";
            assertThatThrownBy(() -> embedder.embed("x"))
                    .isInstanceOf(ProblemException.class)
                    .hasMessageContaining("not JSON");
            override = null;
            delayMillis = 2_000;
            assertThatThrownBy(() -> embedder.embed("x"))
                    .isInstanceOfSatisfying(
                            ProblemException.class, e -> assertThat(e.status()).isEqualTo(504));
            assertThat(embedder.toString()).doesNotContain(KEY);
        }
        try (HttpEmbedder wrongSize = embedder(384, 16, 5_000)) {
            assertThatThrownBy(() -> wrongSize.embed("x"))
                    .isInstanceOf(ProblemException.class)
                    .hasMessageContaining("3-dimensional vectors but orchestra.embeddings.dimensions is 384");
        }
        server.stop(0);
        try (HttpEmbedder down = embedder(3, 16, 2_000)) {
            assertThatThrownBy(() -> down.embed("x"))
                    .isInstanceOf(ProblemException.class)
                    .hasMessageContaining("cannot be reached");
        }
    }

    static io.orchestra.core.config.OrchestraConfig config(Map<String, String> overrides) {
        return new io.orchestra.core.config.ConfigLoader(Path.of("target"), Map.of(), overrides).load();
    }

    @Test
    void configurationChoosesTheProviderAndListsEveryProblem() {
        assertThat(MemoryModule.embedder(config(Map.of()).memory().embeddings(), Path.of("target")))
                .isInstanceOf(LocalEmbedder.class);
        Map<String, String> bad = Map.of(
                "orchestra.embeddings.provider",
                "http",
                "orchestra.embeddings.url",
                "ftp://x",
                "orchestra.embeddings.dimensions",
                "zero",
                "orchestra.embeddings.api-key",
                KEY);
        assertThatThrownBy(() -> config(bad)).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.problems())
                    .hasSize(3)
                    .anyMatch(p -> p.startsWith("orchestra.embeddings.url"))
                    .anyMatch(p -> p.startsWith("orchestra.embeddings.model"))
                    .anyMatch(p -> p.startsWith("orchestra.embeddings.dimensions"));
            assertThat(e.getMessage()).doesNotContain(KEY);
        });
        Map<String, String> good = Map.of(
                "orchestra.embeddings.provider",
                "HTTP",
                "orchestra.embeddings.url",
                "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/",
                "orchestra.embeddings.model",
                "m",
                "orchestra.embeddings.dimensions",
                "3");
        Embedder http = MemoryModule.embedder(config(good).memory().embeddings(), Path.of("target"));
        assertThat(http.dimensions()).isEqualTo(3);
        assertThat(http.embed("hello")).hasSize(3);
        assertThat(authorizations.getLast()).isEqualTo("null");
        ((HttpEmbedder) http).close();
    }
}
