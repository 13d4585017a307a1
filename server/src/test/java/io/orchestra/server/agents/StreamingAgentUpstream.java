package io.orchestra.server.agents;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.orchestra.core.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A fake OpenAI provider that streams like the real one, slowly: offered tools and not yet given a
 * tool result, it streams a call of the first tool (id and name first, the JSON arguments split
 * over several deltas, finish_reason tool_calls); otherwise it streams {@link #pieces} one at a
 * time, {@link #delayMillis} apart, recording when each was sent and whether the caller hung up.
 */
public final class StreamingAgentUpstream implements AutoCloseable {
    private final Javalin app;
    public final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    /** System.nanoTime() at which each answer piece was written and flushed, for the latest answer. */
    public final List<Long> sentAt = new CopyOnWriteArrayList<>();
    /** Counted down when a write fails because the caller closed the connection. */
    public volatile CountDownLatch callerHungUp = new CountDownLatch(1);

    public static final List<String> PIECES = List.of("The ", "**tool** ", "found ", "what ", "you ", "asked ", "for.");

    public volatile List<String> pieces = PIECES;
    public volatile long delayMillis = 150;

    /** Back to the default answer and pace, with a fresh hang-up latch. */
    public void reset() {
        pieces = PIECES;
        delayMillis = 150;
        callerHungUp = new CountDownLatch(1);
    }

    public StreamingAgentUpstream() {
        app = Javalin.create(config -> {
                    config.concurrency.useVirtualThreads = true;
                    config.startup.showJavalinBanner = false;
                    config.http.compressionStrategy = io.javalin.compression.CompressionStrategy.NONE;
                    config.routes.post("/v1/chat/completions", this::chat);
                })
                .start("127.0.0.1", 0);
    }

    /** The base URL for an {@code openai} provider. */
    public String baseUrl() {
        return "http://127.0.0.1:" + app.port() + "/v1";
    }

    private void chat(Context ctx) throws Exception {
        JsonNode body = Json.tree(ctx.body());
        requests.add(body);
        String model = body.path("model").asString();
        JsonNode messages = body.path("messages");
        JsonNode last = messages.get(messages.size() - 1);
        boolean callTool = body.path("tools").isArray()
                && !body.path("tools").isEmpty()
                && !last.path("role").asString().equals("tool");
        if (!body.path("stream").asBoolean(false)) {
            ctx.status(400)
                    .contentType("application/json")
                    .result("{\"error\":{\"message\":\"this fake only streams\",\"type\":\"invalid_request_error\","
                            + "\"param\":\"stream\",\"code\":null}}");
            return;
        }
        ctx.contentType("text/event-stream");
        OutputStream out = ctx.res().getOutputStream();
        try {
            send(out, chunk(model, delta("role", "assistant", "content", ""), null));
            if (callTool) {
                String tool =
                        body.path("tools").get(0).path("function").path("name").asString();
                String arguments =
                        Json.write(Map.of("query", last.path("content").asString()));
                ObjectNode head = Json.object();
                head.put("index", 0).put("id", "call_" + requests.size()).put("type", "function");
                head.putObject("function").put("name", tool).put("arguments", "");
                send(out, chunk(model, toolDelta(head), null));
                int third = arguments.length() / 3;
                for (String part : new String[] {
                    arguments.substring(0, third), arguments.substring(third, 2 * third), arguments.substring(2 * third)
                }) {
                    ObjectNode piece = Json.object();
                    piece.put("index", 0);
                    piece.putObject("function").put("arguments", part);
                    send(out, chunk(model, toolDelta(piece), null));
                }
                send(out, chunk(model, Json.object(), "tool_calls"));
            } else {
                sentAt.clear();
                for (String piece : pieces) {
                    Thread.sleep(delayMillis);
                    send(out, chunk(model, delta("content", piece), null));
                    sentAt.add(System.nanoTime());
                }
                send(out, chunk(model, Json.object(), "stop"));
            }
            send(
                    out,
                    "{\"id\":\"chatcmpl-slow\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\""
                            + model
                            + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":7,\"total_tokens\":27}}");
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            callerHungUp.countDown();
        }
    }

    private static ObjectNode delta(String... pairs) {
        ObjectNode delta = Json.object();
        for (int i = 0; i < pairs.length; i += 2) {
            delta.put(pairs[i], pairs[i + 1]);
        }
        return delta;
    }

    private static ObjectNode toolDelta(ObjectNode call) {
        ObjectNode delta = Json.object();
        ArrayNode calls = delta.putArray("tool_calls");
        calls.add(call);
        return delta;
    }

    private static String chunk(String model, ObjectNode delta, String finish) {
        ObjectNode chunk = Json.object();
        chunk.put("id", "chatcmpl-slow").put("object", "chat.completion.chunk").put("created", 1700000000);
        chunk.put("model", model);
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
        chunk.putNull("usage");
        return Json.write(chunk);
    }

    private static void send(OutputStream out, String json) throws IOException {
        out.write(("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() {
        app.stop();
    }
}
