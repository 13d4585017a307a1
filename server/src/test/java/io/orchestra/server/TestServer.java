package io.orchestra.server;

import io.orchestra.core.config.ConfigLoader;
import io.orchestra.core.config.OrchestraConfig;
import io.orchestra.testkit.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A real Orchestra on a random port, against a temp SQLite file or a fresh PostgreSQL database,
 * with a known admin key. Restartable on the same storage.
 */
public final class TestServer implements AutoCloseable {
    public static final String ADMIN_KEY = "orc_test-admin-key-0123456789abcdef";

    public enum Storage {
        SQLITE,
        POSTGRES
    }

    private final Path dataDir;
    private final TestPostgres.Fresh postgres;
    private final Map<String, String> overrides;
    private Orchestra orchestra;
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestServer(Storage storage, Map<String, String> extra, String yaml) {
        try {
            this.dataDir = Files.createTempDirectory("orchestra-test");
            if (yaml != null) {
                Files.writeString(dataDir.resolve("orchestra.yaml"), yaml);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.postgres = storage == Storage.POSTGRES ? TestPostgres.freshDatabase() : null;
        this.overrides = new HashMap<>();
        overrides.put("orchestra.port", "0");
        overrides.put("orchestra.host", "127.0.0.1");
        overrides.put("orchestra.data-dir", dataDir.toString());
        overrides.put("orchestra.admin-key", ADMIN_KEY);
        overrides.put("orchestra.shutdown.grace-seconds", "5");
        // Tests start many servers: each loads the embedding model when a test first needs it, not at start.
        overrides.put("orchestra.embeddings.warm-up", "false");
        if (postgres != null) {
            overrides.put("orchestra.db.url", postgres.jdbcUrl());
        }
        overrides.putAll(extra);
        start();
    }

    public static TestServer start(Storage storage) {
        return new TestServer(storage, Map.of(), null);
    }

    public static TestServer start(Storage storage, Map<String, String> overrides) {
        return new TestServer(storage, overrides, null);
    }

    /** With an orchestra.yaml (for the sections that are files, like the gateway's providers and routes). */
    public static TestServer start(Storage storage, Map<String, String> overrides, String yaml) {
        return new TestServer(storage, overrides, yaml);
    }

    /** Creates a key and returns its secret. */
    public String createKey(String name, String role, String owner, String... tags) {
        String tagJson = tags.length == 0 ? "[]" : "[\"" + String.join("\",\"", tags) + "\"]";
        HttpResponse<String> created = post(
                "/api/keys",
                ADMIN_KEY,
                "{\"name\":\"" + name + "\",\"role\":\"" + role + "\",\"owner\":\"" + owner + "\",\"tags\":" + tagJson
                        + "}");
        if (created.statusCode() != 201) {
            throw new IllegalStateException(created.body());
        }
        return io.orchestra.core.json.Json.tree(created.body()).get("secret").asString();
    }

    public OrchestraConfig config() {
        return new ConfigLoader(dataDir, Map.of(), overrides).load();
    }

    /** Starts and waits until /ready would answer (the indexes caught up; the model too when warm-up is on). */
    private void start() {
        orchestra = Orchestra.start(config());
        try {
            orchestra.warm().get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the server did not warm up", e);
        }
    }

    /** Stops and starts again on the same database and data directory. */
    public void restart() {
        orchestra.close();
        start();
    }

    public Orchestra orchestra() {
        return orchestra;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + orchestra.port();
    }

    public Path dataDir() {
        return dataDir;
    }

    public HttpResponse<String> get(String path, String key) {
        return send(request(path, key).GET().build());
    }

    public HttpResponse<String> delete(String path, String key) {
        return send(request(path, key).DELETE().build());
    }

    public HttpResponse<String> post(String path, String key, String json) {
        return send(request(path, key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    public HttpRequest.Builder request(String path, String key) {
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(30));
        if (key != null) {
            builder.header("Authorization", "Bearer " + key);
        }
        return builder;
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpClient client() {
        return client;
    }

    @Override
    public void close() {
        if (orchestra != null) {
            orchestra.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }
}
