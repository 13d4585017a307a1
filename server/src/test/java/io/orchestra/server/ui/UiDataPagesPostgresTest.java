package io.orchestra.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.json.Json;
import io.orchestra.server.TestServer;
import io.orchestra.server.gateway.FakeUpstream;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The data pages' queries on PostgreSQL (the browser test runs on SQLite): every page renders real
 * rows made through the API, filters hold, and a member sees only their own. Plain HTTP, no browser.
 */
class UiDataPagesPostgresTest {
    static FakeUpstream upstream;
    static TestServer server;
    static String alice;

    @BeforeAll
    static void start() throws Exception {
        upstream = new FakeUpstream();
        server = TestServer.start(
                TestServer.Storage.POSTGRES, Map.of("orchestra.chat.extract-memories", "false"), """
                gateway:
                  providers:
                    openai: { kind: openai, base_url: "%s/openai/v1", api_key: "sk-test" }
                  retry: { attempts: 1, backoff_ms: 10, max_backoff_ms: 50 }
                  routes:
                    - { alias: chat, targets: [ { provider: openai, model: gpt-4o-mini } ] }
                    - { alias: broken, targets: [ { provider: openai, model: fail-400 } ] }
                """.formatted(
                                upstream.baseUrl()));
        alice = server.createKey("alice-laptop", "member", "alice");
        for (String key : new String[] {TestServer.ADMIN_KEY, TestServer.ADMIN_KEY, alice}) {
            chat(key, "chat");
        }
        chat(alice, "broken");
        server.orchestra().usageRecorder().flush();
        assertThat(server.post(
                                "/api/memory/memories",
                                alice,
                                "{\"text\":\"Alice keeps her passport in the blue drawer\"}")
                        .statusCode())
                .isEqualTo(201);
        assertThat(server.post(
                                "/api/memory/graph/entities",
                                alice,
                                "{\"entities\":[{\"name\":\"Alice\",\"entityType\":\"person\",\"observations\":[]},{\"name\":\"Porto\",\"entityType\":\"city\",\"observations\":[]}]}")
                        .statusCode())
                .isEqualTo(201);
        assertThat(server.post(
                                "/api/memory/graph/relations",
                                alice,
                                "{\"relations\":[{\"from\":\"Alice\",\"to\":\"Porto\",\"relationType\":\"visits\"}]}")
                        .statusCode())
                .isEqualTo(201);
        upload(alice, "porto.txt", "Porto's Livraria Lello opens at nine and sells timed entry tickets online.");
    }

    @AfterAll
    static void stop() {
        server.close();
        upstream.close();
    }

    static void chat(String key, String model) {
        server.post(
                "/v1/chat/completions",
                key,
                "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    }

    static void upload(String key, String filename, String text) throws Exception {
        String boundary = "----ui" + System.nanoTime();
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: text/plain\r\n\r\n" + text + "\r\n--" + boundary + "--\r\n";
        HttpResponse<String> r = server.send(server.request("/api/documents", key)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        String id = Json.tree(r.body()).path("id").asString();
        long deadline = System.currentTimeMillis() + 20_000;
        while (!Json.tree(server.get("/api/documents/" + id, key).body())
                .path("status")
                .asString()
                .equals("ready")) {
            assertThat(System.currentTimeMillis())
                    .as("document ingested in time")
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** A signed-in browser without the browser: a cookie jar and the sign-in form's token. */
    static HttpClient signIn(String key) throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        String form = client.send(
                        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/ui/login"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(form);
        assertThat(csrf.find()).isTrue();
        HttpResponse<String> login = client.send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/ui/login"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "_csrf=" + csrf.group(1) + "&key=" + URLEncoder.encode(key, StandardCharsets.UTF_8)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(302);
        return client;
    }

    static String page(HttpClient client, String path) throws Exception {
        HttpResponse<String> r = client.send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return r.body();
    }

    static int count(String html, String needle) {
        return html.split(Pattern.quote(needle), -1).length - 1;
    }

    @Test
    void everyDataPageReadsPostgres() throws Exception {
        HttpClient admin = signIn(TestServer.ADMIN_KEY);
        String requests = page(admin, "/ui/requests");
        assertThat(count(requests, "href=\"/ui/requests/req_")).isEqualTo(4);
        String failed = page(admin, "/ui/requests?status=error&range=1h");
        assertThat(count(failed, "href=\"/ui/requests/req_")).isEqualTo(1);
        assertThat(failed).contains("fail-400");
        Matcher id = Pattern.compile("href=\"/ui/requests/(req_[^\"]+)\"").matcher(failed);
        assertThat(id.find()).isTrue();
        assertThat(page(admin, "/ui/requests/" + id.group(1))).contains("Invalid value for 'messages'");

        double cost = 0;
        for (var row : Json.tree(server.get("/api/usage?group_by=model", TestServer.ADMIN_KEY)
                        .body())
                .path("data")) {
            cost += row.path("cost_usd").asDouble();
        }
        assertThat(cost).isPositive();
        String usage = page(admin, "/ui/usage?range=7d");
        assertThat(usage).contains("<span id=\"total-cost\">" + UiFormat.usd(cost) + "</span>");
        // One bar (with its <title>) per UTC day of the last 7 days plus today, and the page's own <title>.
        assertThat(count(usage, "<title>")).isEqualTo(8 + 1);

        assertThat(page(admin, "/ui/memory?owner=alice&q=where+is+the+passport"))
                .contains("blue drawer");
        String entity = page(admin, "/ui/memory/entity?owner=alice&name=Alice");
        assertThat(count(entity, "<circle")).isEqualTo(2);
        assertThat(entity).contains(">visits</text>");
        assertThat(page(admin, "/ui/documents?owner=alice&q=bookshop+tickets"))
                .contains("porto.txt")
                .contains("Livraria Lello");
        assertThat(page(admin, "/ui/runs?owner=alice")).contains("No runs for alice yet");
    }

    @Test
    void memberSeesOnlyTheirOwnRowsOnPostgres() throws Exception {
        HttpClient member = signIn(alice);
        String requests = page(member, "/ui/requests");
        assertThat(count(requests, "href=\"/ui/requests/req_")).isEqualTo(2);
        assertThat(requests).doesNotContain("admin (configured)</td>");
        String usage = page(member, "/ui/usage");
        assertThat(usage).contains("alice-laptop").doesNotContain(">admin (configured)</th>");
        assertThat(page(member, "/ui/documents")).contains("porto.txt");
        assertThat(page(member, "/ui/memory")).contains("blue drawer");
    }

    @Test
    void documentChunksAndTheMemoryEditorReadPostgres() throws Exception {
        HttpClient member = signIn(alice);
        String document = Json.tree(server.get("/api/documents", alice).body())
                .path("data")
                .get(0)
                .path("id")
                .asString();
        assertThat(page(member, "/ui/documents/" + document + "/chunks"))
                .contains("Chunk 0")
                .contains("Livraria Lello");
        String memory = Json.tree(server.get("/api/memory/memories", alice).body())
                .path("data")
                .get(0)
                .path("id")
                .asString();
        assertThat(page(member, "/ui/memory/memories/" + memory + "/edit")).contains("blue drawer");
    }
}
