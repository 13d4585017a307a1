package io.orchestra.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.server.TestServer;
import io.orchestra.server.gateway.FakeUpstream;
import io.orchestra.testkit.TestRedis;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every metric the Grafana dashboard and the alert rules query is one the server really exports. */
class ObservabilityFilesTest {
    static final Pattern METRIC = Pattern.compile(
            "\\b((?:http_server_requests_seconds|jvm|hikaricp|gen_ai|orchestra|process)_[a-zA-Z0-9_]+)\\b");

    static Set<String> referenced(Path file) throws Exception {
        Set<String> names = new TreeSet<>();
        // Label names (in "by (...)" groupings and {{...}} legends) share the prefixes; they are not metrics.
        String text = Files.readString(file).replaceAll("by \\([^)]*\\)", "").replaceAll("\\{\\{[^}]*}}", "");
        Matcher m = METRIC.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    @Test
    void dashboardAndAlertsQueryExportedMetrics() throws Exception {
        Set<String> wanted =
                new TreeSet<>(referenced(Path.of("..", "deploy", "grafana", "dashboards", "orchestra.json")));
        wanted.addAll(referenced(Path.of("..", "deploy", "prometheus", "alerts.yml")));
        assertThat(wanted).hasSizeGreaterThan(10);
        String redis = TestRedis.url();
        try (FakeUpstream upstream = new FakeUpstream();
                TestServer server =
                        TestServer.start(TestServer.Storage.SQLITE, Map.of("orchestra.redis.url", redis), """
                        gateway:
                          providers:
                            openai: { kind: openai, base_url: "%s/openai/v1", api_key: "sk-test" }
                          routes:
                            - { alias: chat, cache_ttl_seconds: 60, targets: [ { provider: openai, model: gpt-4o-mini } ] }
                            - { alias: broken, targets: [ { provider: openai, model: fail-500 } ] }
                        """.formatted(
                                        upstream.baseUrl()))) {
            String key = server.createKey("app", "member", "app");
            String chat = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
            server.post("/v1/chat/completions", key, chat);
            server.post("/v1/chat/completions", key, chat);
            server.send(server.request("/v1/chat/completions", key)
                    .header("Content-Type", "application/json")
                    .header("Cache-Control", "no-cache")
                    .POST(
                            HttpRequest.BodyPublishers.ofString(
                                    "{\"model\":\"chat\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                    .build());
            server.post(
                    "/v1/chat/completions",
                    key,
                    "{\"model\":\"broken\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
            String scrape = server.get("/metrics", null).body();
            for (String name : wanted) {
                assertThat(scrape)
                        .as("metric %s used by the dashboard or alerts", name)
                        .containsPattern("(?m)^" + name + "[{ ]");
            }
        }
    }
}
