package io.orchestra.server.agents;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.orchestra.core.json.Json;
import io.orchestra.server.TestServer;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Document search at scale: chunks from the vector index fused (RRF) with the keyword index, a
 * minimum similarity below which nothing comes back, and an HTTP reranker when one is configured.
 */
class DocumentRetrievalTest {
    static final String MANUAL = "The flux controller reports error E4711 when its coolant loop stalls. "
            + "Reset it by holding the amber button for ten seconds.";
    static final String CANTEEN = "The canteen serves lunch from noon until two in the afternoon, soup on Fridays.";
    static final String GARDEN = "Tomatoes need six hours of sun a day and deep watering twice a week.";

    @ParameterizedTest
    @EnumSource(TestServer.Storage.class)
    void fusesKeywordAndVectorRankingsAndReturnsNothingForUnrelatedQuestions(TestServer.Storage storage)
            throws Exception {
        try (TestServer server = TestServer.start(storage)) {
            String alice = server.createKey("alice", "member", "alice");
            String bob = server.createKey("bob", "member", "bob");
            ingest(server, alice, "manual.txt", MANUAL);
            ingest(server, alice, "canteen.txt", CANTEEN);
            ingest(server, alice, "garden.txt", GARDEN);
            ingest(server, bob, "bob.txt", "Bob's notes about error E4711 in his own flux controller.");

            // A code the embedding model knows nothing about: found by its words.
            assertThat(filenames(search(server, alice, "E4711"))).first().isEqualTo("manual.txt");
            // A question in other words: found by meaning.
            assertThat(filenames(search(server, alice, "when can I eat at midday?")))
                    .first()
                    .isEqualTo("canteen.txt");
            // Nothing in the documents is about it: nothing comes back, not the least bad chunk.
            assertThat(filenames(search(server, alice, "quantum chromodynamics of gluon plasma")))
                    .isEmpty();
            // Each owner searches only their own documents.
            assertThat(filenames(search(server, bob, "E4711"))).containsExactly("bob.txt");
            assertThat(filenames(search(server, bob, "lunch"))).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Storage.class)
    void aConfiguredRerankerOrdersTheBestAndDropsThoseUnderItsMinimum(TestServer.Storage storage) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        List<JsonNode> bodies = new ArrayList<>();
        HttpServer reranker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        // A stand-in cross-encoder in the rerank API's shape: a passage about gardening scores high, others low.
        reranker.createContext("/v1/rerank", exchange -> {
            calls.incrementAndGet();
            JsonNode body = Json.tree(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            synchronized (bodies) {
                bodies.add(body);
            }
            ObjectNode answer = Json.object();
            ArrayNode results = answer.putArray("results");
            for (int i = 0; i < body.path("documents").size(); i++) {
                String text = body.path("documents").get(i).asString();
                results.addObject().put("index", i).put("relevance_score", text.contains("Tomatoes") ? 0.9 : -3.0);
            }
            byte[] bytes = answer.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        reranker.start();
        try (TestServer server = TestServer.start(
                storage,
                Map.of(
                        "orchestra.knowledge.reranker.url",
                        "http://127.0.0.1:" + reranker.getAddress().getPort() + "/v1/rerank",
                        "orchestra.knowledge.reranker.model",
                        "bge-reranker-base",
                        "orchestra.knowledge.min-similarity",
                        "0"))) {
            String alice = server.createKey("alice", "member", "alice");
            ingest(server, alice, "manual.txt", MANUAL);
            ingest(server, alice, "garden.txt", GARDEN);
            ingest(server, alice, "canteen.txt", CANTEEN);

            JsonNode found = search(server, alice, "how often should I water the plants");
            assertThat(filenames(found)).containsExactly("garden.txt");
            assertThat(found.at("/citations/0/score").asDouble()).isEqualTo(0.9);
            assertThat(calls.get()).isEqualTo(1);
            assertThat(bodies.get(0).path("model").asString()).isEqualTo("bge-reranker-base");
            assertThat(bodies.get(0).path("query").asString()).isEqualTo("how often should I water the plants");
        } finally {
            reranker.stop(0);
        }
    }

    static JsonNode search(TestServer server, String key, String query) {
        HttpResponse<String> response =
                server.get("/api/documents/search?k=3&q=" + URLEncoder.encode(query, StandardCharsets.UTF_8), key);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.tree(response.body());
    }

    static List<String> filenames(JsonNode found) {
        List<String> out = new ArrayList<>();
        found.path("citations").forEach(c -> out.add(c.path("filename").asString()));
        return out;
    }

    static void ingest(TestServer server, String key, String filename, String text) throws InterruptedException {
        String boundary = "----orchestra" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                        + "\"\r\nContent-Type: text/plain\r\n\r\n" + text + "\r\n--" + boundary + "--\r\n")
                .getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> created = server.send(server.request("/api/documents", key)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = Json.tree(created.body()).path("id").asString();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (Json.tree(server.get("/api/documents/" + id, key).body())
                    .path("status")
                    .asString()
                    .equals("ready")) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(filename + " was not ingested within 30 s");
    }
}
