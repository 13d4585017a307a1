package io.orchestra.server.gateway;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.orchestra.core.json.Json;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;

/**
 * A fake provider over real HTTP that answers each model with exactly the bytes a test scripted,
 * written piece by piece with a flush after each, so a test controls where the network splits a
 * stream (mid-JSON, mid-character) and how it ends (cleanly, early, with an error). The model is
 * the request's {@code model} field, or the path segment before {@code :} for Gemini.
 */
final class ScriptedUpstream implements AutoCloseable {
    /**
     * One scripted answer: status, headers and the body's pieces in order; with a gate, the
     * answer waits (up to 5 s) after {@code pauseAfter} pieces until a test opens it.
     */
    record Reply(
            int status,
            Map<String, String> headers,
            List<byte[]> pieces,
            int pauseAfter,
            java.util.concurrent.CountDownLatch gate) {
        Reply(int status, Map<String, String> headers, List<byte[]> pieces) {
            this(status, headers, pieces, -1, null);
        }

        static Reply stream(String contentType, List<byte[]> pieces) {
            return new Reply(200, Map.of("Content-Type", contentType), pieces);
        }

        Reply gatedAfter(int pieces, java.util.concurrent.CountDownLatch gate) {
            return new Reply(status, headers, this.pieces, pieces, gate);
        }

        static Reply sse(String... events) {
            return stream(
                    "text/event-stream",
                    java.util.Arrays.stream(events)
                            .map(e -> e.getBytes(StandardCharsets.UTF_8))
                            .toList());
        }

        static Reply json(int status, String body, String... headers) {
            Map<String, String> all = new java.util.LinkedHashMap<>();
            all.put("Content-Type", "application/json");
            for (int i = 0; i + 1 < headers.length; i += 2) {
                all.put(headers[i], headers[i + 1]);
            }
            return new Reply(status, all, List.of(body.getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** What a call brought: path, headers (names as sent) and body. */
    record Received(String path, Map<String, String> headers, JsonNode body) {}

    private final Javalin app;
    private final Map<String, List<Reply>> replies = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    final List<Received> received = new CopyOnWriteArrayList<>();

    ScriptedUpstream() {
        app = Javalin.create(config -> {
                    config.concurrency.useVirtualThreads = true;
                    config.startup.showJavalinBanner = false;
                    config.http.compressionStrategy = io.javalin.compression.CompressionStrategy.NONE;
                    config.routes.post("/*", this::answer);
                })
                .start("127.0.0.1", 0);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + app.port();
    }

    /** The model's answers in call order; the last one repeats. */
    void script(String model, Reply... replies) {
        this.replies.put(model, List.of(replies));
        calls.remove(model);
    }

    int calls(String model) {
        AtomicInteger count = calls.get(model);
        return count == null ? 0 : count.get();
    }

    private void answer(Context ctx) throws Exception {
        JsonNode body = Json.tree(ctx.body());
        received.add(new Received(ctx.path(), Map.copyOf(ctx.headerMap()), body));
        String model = body.path("model").asString("");
        int colon = ctx.path().lastIndexOf(':');
        if (ctx.path().contains("/v1beta/models/") && colon > 0) {
            String segment = ctx.path().substring(0, colon);
            model = segment.substring(segment.lastIndexOf('/') + 1);
        }
        int call = calls.computeIfAbsent(model, m -> new AtomicInteger()).incrementAndGet();
        List<Reply> scripted = replies.get(model);
        Reply reply = scripted == null ? null : scripted.get(Math.min(call, scripted.size()) - 1);
        if (reply == null) {
            ctx.status(404).result("{\"error\":{\"message\":\"no script for " + model + "\"}}");
            return;
        }
        ctx.status(reply.status());
        reply.headers().forEach(ctx::header);
        OutputStream out = ctx.res().getOutputStream();
        for (int i = 0; i < reply.pieces().size(); i++) {
            if (i == reply.pauseAfter()) {
                reply.gate().await(5, java.util.concurrent.TimeUnit.SECONDS);
            }
            out.write(reply.pieces().get(i));
            out.flush();
        }
    }

    @Override
    public void close() {
        app.stop();
    }
}
