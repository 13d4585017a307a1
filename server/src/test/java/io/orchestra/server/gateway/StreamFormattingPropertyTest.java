package io.orchestra.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.json.Json;
import io.orchestra.gateway.Gateway;
import io.orchestra.server.TestServer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * One logical OpenAI stream rendered many ways (random whitespace, key order, CRLF or LF line
 * ends, JSON split over several data lines, comment lines, network pieces cut mid-JSON and
 * mid-UTF-8 character), sent by a fake provider over HTTP and read by a real client: every
 * rendering must give the same content to the client and the same usage and cost in the log.
 */
class StreamFormattingPropertyTest {
    static final long SEED = Long.getLong("orchestra.test.seed", 0x5EEDL);
    static final int RENDERINGS = 150;
    static final String[] PIECES = {"Hello", " wörld", " 日本語", " 😀", " \"quoted\"", " back\\slash", " new\nline", " é"
    };

    static ScriptedUpstream upstream;
    static TestServer server;
    static String key;

    @BeforeAll
    static void start() {
        upstream = new ScriptedUpstream();
        String yaml = """
                gateway:
                  providers:
                    openai: { kind: openai_compatible, base_url: "%s/v1", api_key: "sk-o" }
                  retry: { attempts: 0 }
                  routes:
                    - { alias: prop, targets: [ { provider: openai, model: gpt-4o-mini } ] }
                """.formatted(upstream.baseUrl());
        server = TestServer.start(TestServer.Storage.SQLITE, Map.of(), yaml);
        key = server.createKey("prop", "member", "team-prop");
    }

    @AfterAll
    static void stop() {
        server.close();
        upstream.close();
    }

    /** The stream's meaning: content pieces, then a finish, then usage. */
    record Logical(List<String> pieces, int prompt, int completion, int cached, int reasoning) {}

    static Logical logical(Random random) {
        List<String> pieces = new ArrayList<>();
        int n = 1 + random.nextInt(6);
        for (int i = 0; i < n; i++) {
            pieces.add(PIECES[random.nextInt(PIECES.length)]);
        }
        return new Logical(pieces, 20 + random.nextInt(500), 5 + random.nextInt(200), random.nextInt(10), 0);
    }

    /** A JSON value written with random whitespace and (for objects) a random key order. */
    static String render(Object value, Random random) {
        StringBuilder out = new StringBuilder();
        write(value, random, out);
        return out.toString();
    }

    static String space(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> " ";
            case 1 -> "  ";
            case 2 -> "\t";
            case 3 -> "\n ";
            default -> "";
        };
    }

    @SuppressWarnings("unchecked")
    static void write(Object value, Random random, StringBuilder out) {
        if (value instanceof Map<?, ?> map) {
            List<Map.Entry<String, Object>> entries = new ArrayList<>(((Map<String, Object>) map).entrySet());
            Collections.shuffle(entries, random);
            out.append('{').append(space(random));
            for (int i = 0; i < entries.size(); i++) {
                if (i > 0) {
                    out.append(space(random)).append(',').append(space(random));
                }
                out.append(Json.write(entries.get(i).getKey()))
                        .append(space(random))
                        .append(':')
                        .append(space(random));
                write(entries.get(i).getValue(), random, out);
            }
            out.append(space(random)).append('}');
        } else if (value instanceof List<?> list) {
            out.append('[').append(space(random));
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',').append(space(random));
                }
                write(list.get(i), random, out);
            }
            out.append(space(random)).append(']');
        } else if (value instanceof String text && random.nextBoolean()) {
            // Escape every non-ASCII character: the same string, spelled differently.
            out.append('"');
            String escaped = Json.write(text);
            for (char c : escaped.substring(1, escaped.length() - 1).toCharArray()) {
                if (c > 127) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
            out.append('"');
        } else {
            out.append(value == null ? "null" : Json.write(value));
        }
    }

    static Map<String, Object> chunk(List<Object> choices) {
        Map<String, Object> chunk = new LinkedHashMap<>();
        chunk.put("id", "chatcmpl-prop");
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", 1700000000);
        chunk.put("model", "gpt-4o-mini");
        chunk.put("choices", choices);
        return chunk;
    }

    static Map<String, Object> choice(Map<String, Object> delta, String finish) {
        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("index", 0);
        choice.put("delta", delta);
        choice.put("logprobs", null);
        choice.put("finish_reason", finish);
        return choice;
    }

    /** The provider's bytes for one rendering of the logical stream. */
    static byte[] rendering(Logical stream, Random random) {
        List<Map<String, Object>> chunks = new ArrayList<>();
        Map<String, Object> role = new LinkedHashMap<>();
        role.put("role", "assistant");
        role.put("content", "");
        chunks.add(chunk(List.of(choice(role, null))));
        for (String piece : stream.pieces()) {
            chunks.add(chunk(List.of(choice(Map.of("content", piece), null))));
        }
        chunks.add(chunk(List.of(choice(Map.of(), "stop"))));
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("prompt_tokens", stream.prompt());
        usage.put("completion_tokens", stream.completion());
        usage.put("total_tokens", stream.prompt() + stream.completion());
        usage.put("prompt_tokens_details", Map.of("cached_tokens", stream.cached()));
        usage.put("completion_tokens_details", Map.of("reasoning_tokens", stream.reasoning()));
        Map<String, Object> last = chunk(List.of());
        last.put("usage", usage);
        chunks.add(last);
        String eol = random.nextBoolean() ? "\r\n" : "\n";
        StringBuilder sse = new StringBuilder();
        for (Map<String, Object> chunk : chunks) {
            if (random.nextInt(5) == 0) {
                sse.append(": keep-alive").append(eol).append(eol);
            }
            String json = render(chunk, random);
            // A JSON text over several lines is several data lines of one event.
            for (String line : json.split("\n", -1)) {
                sse.append(random.nextBoolean() ? "data: " : "data:")
                        .append(line)
                        .append(eol);
            }
            sse.append(eol);
        }
        sse.append("data: [DONE]").append(eol).append(eol);
        return sse.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Cuts bytes at random places, often inside a JSON token or a multi-byte character. */
    static List<byte[]> cut(byte[] bytes, Random random) {
        List<byte[]> pieces = new ArrayList<>();
        int at = 0;
        while (at < bytes.length) {
            int size = 1 + random.nextInt(random.nextBoolean() ? 4 : 64);
            int end = Math.min(bytes.length, at + size);
            pieces.add(java.util.Arrays.copyOfRange(bytes, at, end));
            at = end;
        }
        return pieces;
    }

    static HttpResponse<String> stream(boolean includeUsage) {
        return server.send(server.request("/v1/chat/completions", key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"prop\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]"
                                + (includeUsage ? ",\"stream_options\":{\"include_usage\":true}" : "") + "}"))
                .build());
    }

    /** What the client read: the content deltas joined, and the usage chunk if one came. */
    record Seen(String content, JsonNode usage, boolean done) {}

    static Seen seen(String body) {
        StringBuilder content = new StringBuilder();
        JsonNode usage = null;
        boolean done = false;
        for (String event : body.split("\n\n")) {
            StringBuilder data = new StringBuilder();
            for (String line : event.split("\n")) {
                if (line.startsWith("data: ")) {
                    data.append(data.isEmpty() ? "" : "\n").append(line.substring(6));
                }
            }
            if (data.isEmpty()) {
                continue;
            }
            if (data.toString().equals("[DONE]")) {
                done = true;
                continue;
            }
            JsonNode chunk = Json.tree(data.toString());
            for (JsonNode choice : chunk.path("choices")) {
                content.append(choice.path("delta").path("content").asString(""));
            }
            if (chunk.path("usage").isObject()) {
                usage = chunk.path("usage");
            }
        }
        return new Seen(content.toString(), usage, done);
    }

    @Test
    void everyRenderingOfOneStreamGivesTheSameContentUsageAndCost() throws Exception {
        Random random = new Random(SEED);
        Map<String, Logical> expected = new LinkedHashMap<>();
        for (int i = 0; i < RENDERINGS; i++) {
            // A few logical streams, each rendered many ways.
            Random logicalRandom = new Random(SEED + i % 5);
            Logical stream = logical(logicalRandom);
            byte[] bytes = rendering(stream, random);
            upstream.script(
                    "gpt-4o-mini",
                    new ScriptedUpstream.Reply(200, Map.of("Content-Type", "text/event-stream"), cut(bytes, random)));
            boolean includeUsage = random.nextBoolean();
            HttpResponse<String> response = stream(includeUsage);
            String context = "seed " + SEED + ", rendering " + i + ":\n" + new String(bytes, StandardCharsets.UTF_8);
            assertThat(response.statusCode()).as(context).isEqualTo(200);
            Seen seen = seen(response.body());
            assertThat(seen.content().getBytes(StandardCharsets.UTF_8))
                    .as(context)
                    .isEqualTo(String.join("", stream.pieces()).getBytes(StandardCharsets.UTF_8));
            assertThat(seen.done()).as(context).isTrue();
            if (includeUsage) {
                assertThat(seen.usage()).as(context).isNotNull();
                assertThat(seen.usage().path("prompt_tokens").asInt())
                        .as(context)
                        .isEqualTo(stream.prompt());
                assertThat(seen.usage().path("completion_tokens").asInt())
                        .as(context)
                        .isEqualTo(stream.completion());
            } else {
                assertThat(seen.usage()).as(context).isNull();
            }
            expected.put(response.headers().firstValue(Gateway.LOG_ID_HEADER).orElseThrow(), stream);
        }
        Map<String, JsonNode> rows = rows(expected.keySet());
        Map<Integer, Double> costByPrompt = new LinkedHashMap<>();
        expected.forEach((id, stream) -> {
            JsonNode row = rows.get(id);
            assertThat(row.path("status").asInt()).as(id).isEqualTo(200);
            assertThat(row.path("prompt_tokens").asInt()).as(id).isEqualTo(stream.prompt());
            assertThat(row.path("completion_tokens").asInt()).as(id).isEqualTo(stream.completion());
            assertThat(row.path("cached_tokens").asInt()).as(id).isEqualTo(stream.cached());
            assertThat(row.path("cost_usd").asDouble()).as(id).isPositive();
            Double earlier = costByPrompt.putIfAbsent(
                    stream.prompt(), row.path("cost_usd").asDouble());
            if (earlier != null) {
                assertThat(row.path("cost_usd").asDouble()).as(id).isEqualTo(earlier);
            }
        });
    }

    @Test
    void contentIsNotHeldBackBecauseOfFormatting() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        String role =
                "data: {\"id\": \"c\", \"choices\": [{\"index\": 0, \"delta\": {\"role\": \"assistant\", \"content\": \"\"}}]}\r\n\r\n";
        String first =
                "data: {\"id\": \"c\", \"choices\": [ {\"delta\": { \"content\" : \"Hi\" }, \"index\": 0} ]}\r\n\r\n";
        String finish =
                "data: {\"id\": \"c\", \"choices\": [{\"index\": 0, \"delta\": {}, \"finish_reason\": \"stop\"}]}\r\n\r\n";
        upstream.script(
                "gpt-4o-mini",
                ScriptedUpstream.Reply.sse(role, first, finish, "data: [DONE]\r\n\r\n")
                        .gatedAfter(2, gate));
        long start = System.nanoTime();
        HttpResponse<InputStream> response = server.client()
                .send(
                        server.request("/v1/chat/completions", key)
                                .header("Content-Type", "application/json")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                "{\"model\":\"prop\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            String content = null;
            while (content == null && (line = reader.readLine()) != null) {
                if (line.startsWith("data: {")) {
                    String text = Json.tree(line.substring(6))
                            .path("choices")
                            .path(0)
                            .path("delta")
                            .path("content")
                            .asString("");
                    content = text.isEmpty() ? null : text;
                }
            }
            assertThat(content).isEqualTo("Hi");
            // The provider holds the rest for 5 s: a held-back token would only arrive after that.
            assertThat(System.nanoTime() - start)
                    .as("the first token arrived while the provider was still streaming")
                    .isLessThan(3_000_000_000L);
            gate.countDown();
            while (reader.readLine() != null) {
                // drain
            }
        }
    }

    /** The log rows of these calls; written just after each stream ended, so wait briefly. */
    static Map<String, JsonNode> rows(java.util.Set<String> ids) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        Map<String, JsonNode> rows = new LinkedHashMap<>();
        while (System.nanoTime() < deadline) {
            server.orchestra().usageRecorder().flush();
            for (JsonNode row : Json.tree(
                            server.get("/api/requests?limit=1000", key).body())
                    .path("data")) {
                if (ids.contains(row.path("id").asString())) {
                    rows.put(row.path("id").asString(), row);
                }
            }
            if (rows.size() == ids.size()) {
                return rows;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("missing log rows: " + rows.size() + " of " + ids.size());
    }
}
