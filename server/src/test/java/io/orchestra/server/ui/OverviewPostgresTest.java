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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The overview's headline cards on PostgreSQL (the browser test runs on SQLite): today's calls, failed
 * share, cost and p95 latency (nearest rank) equal what /api/requests holds, per owner. Plain HTTP.
 */
class OverviewPostgresTest {
    static FakeUpstream upstream;
    static TestServer server;
    static String alice;
    static String bob;

    @BeforeAll
    static void start() {
        upstream = new FakeUpstream();
        server = TestServer.start(
                TestServer.Storage.POSTGRES, Map.of("orchestra.chat.extract-memories", "false"), """
                gateway:
                  providers:
                    openai: { kind: openai, base_url: "%s/openai/v1", api_key: "sk-test" }
                  routes:
                    - { alias: chat, targets: [ { provider: openai, model: gpt-4o-mini } ] }
                    - { alias: slow, targets: [ { provider: openai, model: slow } ] }
                    - { alias: refused, targets: [ { provider: openai, model: fail-400 } ] }
                """.formatted(
                                upstream.baseUrl()));
        alice = server.createKey("alice-laptop", "member", "alice");
        bob = server.createKey("bob-phone", "member", "bob");
        for (int i = 0; i < 18; i++) {
            chat(alice, "chat");
        }
        chat(alice, "slow");
        chat(alice, "refused");
        chat(bob, "chat");
        server.orchestra().usageRecorder().flush();
    }

    @AfterAll
    static void stop() {
        server.close();
        upstream.close();
    }

    static void chat(String key, String alias) {
        server.post(
                "/v1/chat/completions",
                key,
                "{\"model\":\"" + alias + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    }

    static String overview(String key) throws Exception {
        HttpClient client =
                HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        String form = client.send(
                        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/ui/login"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(form);
        assertThat(csrf.find()).isTrue();
        client.send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/ui/login"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "_csrf=" + csrf.group(1) + "&key=" + URLEncoder.encode(key, StandardCharsets.UTF_8)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> page = client.send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/ui")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        return page.body();
    }

    static String card(String html, String id) {
        Matcher m = Pattern.compile("data-card=\"" + id + "\"><dt>[^<]*</dt><dd class=\"value\">([^<]*)</dd>")
                .matcher(html);
        assertThat(m.find()).as("card " + id).isTrue();
        return m.group(1);
    }

    /** Calls, failed calls, cost and nearest-rank p95 of today's rows that {@code key} may see. */
    static double[] expected(String key) {
        String midnight = Instant.now().truncatedTo(ChronoUnit.DAYS).toString();
        List<Double> latencies = new ArrayList<>();
        double cost = 0;
        int failed = 0;
        for (JsonNode row : Json.tree(server.get("/api/requests?limit=1000&from=" + midnight, key)
                        .body())
                .path("data")) {
            latencies.add(row.path("latency_ms").asDouble());
            cost += row.path("cost_usd").asDouble();
            failed += row.path("status").asInt() >= 400 ? 1 : 0;
        }
        latencies.sort(null);
        return new double[] {latencies.size(), failed, cost, latencies.get((int) Math.ceil(0.95 * latencies.size()) - 1)
        };
    }

    @Test
    void cardsEqualTheRequestLogPerOwner() throws Exception {
        double[] alices = expected(alice);
        assertThat(alices[0]).isEqualTo(20);
        String mine = overview(alice);
        assertThat(card(mine, "requests")).isEqualTo("20");
        assertThat(card(mine, "errors")).isEqualTo("5.0%");
        assertThat(card(mine, "cost")).isEqualTo(UiFormat.usd(alices[2]));
        // 19th of 20 by latency: below the slow call, which alone is the slowest 5%.
        assertThat(card(mine, "p95")).isEqualTo(UiFormat.millis(alices[3]));

        String bobs = overview(bob);
        assertThat(card(bobs, "requests")).isEqualTo("1");
        assertThat(card(bobs, "cost")).isEqualTo(UiFormat.usd(expected(bob)[2]));

        double[] all = expected(TestServer.ADMIN_KEY);
        assertThat(all[0]).isEqualTo(21);
        String admin = overview(TestServer.ADMIN_KEY);
        assertThat(card(admin, "requests")).isEqualTo("21");
        assertThat(card(admin, "p95")).isEqualTo(UiFormat.millis(all[3]));
    }
}
