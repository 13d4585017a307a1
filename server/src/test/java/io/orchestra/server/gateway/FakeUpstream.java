package io.orchestra.server.gateway;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.orchestra.core.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;

/**
 * A fake LLM provider on a random port that answers like the real APIs (OpenAI under /openai,
 * Anthropic under /anthropic), with realistic bodies, streams and errors. The requested model name
 * picks the behaviour: {@code fail-500}, {@code fail-429}, {@code fail-400}, {@code slow},
 * {@code stall}, {@code stream-error}, {@code tools}, {@code flaky-N} (fails N times, then works),
 * {@code sized} (usage grows with the prompt);
 * anything else answers normally.
 */
public final class FakeUpstream implements AutoCloseable {
    private final Javalin app;
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    public final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    /** The "gated" model sends its first token, then waits here until a test opens the gate. */
    public final java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);

    public volatile boolean gateTimedOut;
    public final List<Map<String, String>> headers = new CopyOnWriteArrayList<>();

    /** The exact bytes of the OpenAI stream the fake sends for a normal streamed request with usage. */
    public static String openAiStream(String model, boolean usage) {
        StringBuilder out = new StringBuilder();
        String head =
                "{\"id\":\"chatcmpl-fake1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\""
                        + model + "\",\"system_fingerprint\":\"fp_fake\",\"choices\":[";
        String tail = usage ? ",\"usage\":null}" : "}";
        out.append("data: ")
                .append(head)
                .append(
                        "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}]")
                .append(tail)
                .append("\n\n");
        for (String piece : new String[] {"Hello", " from", " the", " fake"}) {
            out.append("data: ")
                    .append(head)
                    .append("{\"index\":0,\"delta\":{\"content\":\"")
                    .append(piece)
                    .append("\"},\"logprobs\":null,\"finish_reason\":null}]")
                    .append(tail)
                    .append("\n\n");
        }
        out.append("data: ")
                .append(head)
                .append("{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}]")
                .append(tail)
                .append("\n\n");
        if (usage) {
            out.append("data: ")
                    .append(head)
                    .append("],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":4,\"total_tokens\":16,")
                    .append(
                            "\"prompt_tokens_details\":{\"cached_tokens\":2,\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0,")
                    .append(
                            "\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}}\n\n");
        }
        out.append("data: [DONE]\n\n");
        return out.toString();
    }

    public FakeUpstream() {
        app = Javalin.create(config -> {
                    config.concurrency.useVirtualThreads = true;
                    config.startup.showJavalinBanner = false;
                    config.http.compressionStrategy = io.javalin.compression.CompressionStrategy.NONE;
                    config.routes.post("/openai/v1/chat/completions", this::openAiChat);
                    config.routes.post("/openai/v1/embeddings", this::openAiEmbeddings);
                    config.routes.post("/anthropic/v1/messages", this::anthropic);
                    config.routes.post("/gemini/v1beta/models/{action}", this::gemini);
                    config.routes.post("/ollama/api/chat", this::ollama);
                })
                .start("127.0.0.1", 0);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + app.port();
    }

    public int calls(String model) {
        AtomicInteger count = calls.get(model);
        return count == null ? 0 : count.get();
    }

    private int count(String model) {
        return calls.computeIfAbsent(model, m -> new AtomicInteger()).incrementAndGet();
    }

    private JsonNode record(Context ctx) {
        JsonNode body = Json.tree(ctx.body());
        requests.add(body);
        headers.add(Map.copyOf(ctx.headerMap()));
        return body;
    }

    /** Shared failure modes; true when the request was answered with a failure. */
    private boolean fail(Context ctx, String model, int call, String errorShape) throws InterruptedException {
        if (model.startsWith("flaky-")) {
            int failures = Integer.parseInt(model.substring(6));
            if (call <= failures) {
                ctx.status(503)
                        .contentType("application/json")
                        .result(error(errorShape, "overloaded", "The server is overloaded"));
                return true;
            }
            return false;
        }
        switch (model) {
            case "fail-500" ->
                ctx.status(500)
                        .contentType("application/json")
                        .result(error(errorShape, "server_error", "The server had an error"));
            case "fail-429" ->
                ctx.status(429)
                        .header("Retry-After", "0")
                        .contentType("application/json")
                        .result(error(errorShape, "rate_limit_exceeded", "Rate limit reached for requests"));
            case "fail-400" ->
                ctx.status(400)
                        .contentType("application/json")
                        .result(error(errorShape, "invalid_request_error", "Invalid value for 'messages'"));
            case "fail-401" ->
                ctx.status(401)
                        .contentType("application/json")
                        .result(error(errorShape, "invalid_api_key", "Incorrect API key provided"));
            case "slow" -> {
                Thread.sleep(1500);
                return false;
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private static String error(String shape, String type, String message) {
        if (shape.equals("ollama")) {
            return "{\"error\":\"" + message + "\"}";
        }
        if (shape.equals("anthropic")) {
            return "{\"type\":\"error\",\"error\":{\"type\":\""
                    + (type.equals("overloaded") ? "overloaded_error" : type) + "\",\"message\":\"" + message + "\"}}";
        }
        return "{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type + "\",\"param\":null,\"code\":\"" + type
                + "\"}}";
    }

    private void openAiChat(Context ctx) throws Exception {
        JsonNode body = record(ctx);
        // Like OpenAI behind Cloudflare: a cookie the gateway must not keep and send back on other callers' requests.
        ctx.header("Set-Cookie", "__cf_bm=fake-provider-session; Path=/; HttpOnly");
        String model = body.path("model").asString();
        int call = count(model);
        if (fail(ctx, model, call, "openai")) {
            return;
        }
        boolean stream = body.path("stream").asBoolean(false);
        if (body.path("messages").get(0).path("content").asString("").startsWith("Extract durable facts")) {
            extract(ctx, body);
            return;
        }
        if (model.equals("team") && !stream) {
            team(ctx, body);
            return;
        }
        if (model.equals("agent")) {
            agent(ctx, body, stream);
            return;
        }
        if (!stream) {
            String message = model.equals("tools")
                    ? "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_abc\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}],\"refusal\":null,\"annotations\":[]}"
                    : "{\"role\":\"assistant\",\"content\":\"Hello from the fake (" + model
                            + ")\",\"refusal\":null,\"annotations\":[]}";
            ctx.contentType("application/json")
                    .result(
                            "{\"id\":\"chatcmpl-fake1\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\""
                                    + model + "\",\"choices\":[{\"index\":0,\"message\":" + message
                                    + ",\"logprobs\":null,\"finish_reason\":\""
                                    + (model.equals("tools") ? "tool_calls" : "stop")
                                    + "\"}],\"usage\":{\"prompt_tokens\":" + promptTokens(model, body)
                                    + ",\"completion_tokens\":8,"
                                    + "\"total_tokens\":" + (promptTokens(model, body) + 8)
                                    + ",\"prompt_tokens_details\":{\"cached_tokens\":2,\"audio_tokens\":0},\"completion_tokens_details\":"
                                    + "{\"reasoning_tokens\":3,\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}},"
                                    + "\"service_tier\":\"default\",\"system_fingerprint\":\"fp_fake\"}");
            return;
        }
        ctx.contentType("text/event-stream");
        OutputStream out = ctx.res().getOutputStream();
        if (model.equals("stream-error")) {
            write(
                    out,
                    "data: {\"error\":{\"message\":\"The model is overloaded\",\"type\":\"server_error\",\"param\":null,\"code\":503}}\n\n");
            return;
        }
        String stream1 = openAiStream(
                model, body.path("stream_options").path("include_usage").asBoolean(false));
        if (model.equals("gated")) {
            String[] events = stream1.split("(?<=\n\n)");
            write(out, events[0] + events[1]);
            gateTimedOut = !gate.await(5, java.util.concurrent.TimeUnit.SECONDS);
            for (int i = 2; i < events.length; i++) {
                write(out, events[i]);
            }
            return;
        }
        if (model.equals("endless")) {
            // A token every 20 ms for up to 10 s: long enough for a client to hang up mid-stream.
            for (int i = 0; i < 500; i++) {
                write(
                        out,
                        "data: {\"id\":\"chatcmpl-endless\",\"object\":\"chat.completion.chunk\",\"created\":0,"
                                + "\"model\":\"endless\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"},"
                                + "\"finish_reason\":null}]}\n\n");
                Thread.sleep(20);
            }
            return;
        }
        if (model.equals("stall")) {
            String[] events = stream1.split("\n\n");
            write(out, events[0] + "\n\n" + events[1] + "\n\n");
            Thread.sleep(3000);
            return;
        }
        for (String event : stream1.split("(?<=\n\n)")) {
            write(out, event);
        }
    }

    /** The {@code sized} model reports a prompt of four characters a token, as long prompts really cost; others 12. */
    private static int promptTokens(String model, JsonNode body) {
        if (!model.equals("sized")) {
            return 12;
        }
        int chars = 0;
        for (JsonNode message : body.path("messages")) {
            chars += message.path("content").asString("").length();
        }
        return chars / 4;
    }

    /**
     * A scripted agent: first it calls the first tool it was offered with the user's words as the
     * query; once a tool result is in the conversation it answers quoting that result.
     */
    private void agent(Context ctx, JsonNode body, boolean stream) throws IOException {
        JsonNode messages = body.path("messages");
        JsonNode last = messages.get(messages.size() - 1);
        String message;
        String finish;
        if (last.path("role").asString().equals("tool")) {
            message = Json.write(Map.of(
                    "role",
                    "assistant",
                    "content",
                    "Tool said: " + last.path("content").asString()));
            finish = "stop";
        } else {
            String tool =
                    body.path("tools").get(0).path("function").path("name").asString();
            String query = last.path("content").asString();
            message = "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_" + requests.size()
                    + "\",\"type\":\"function\"," + "\"function\":{\"name\":\"" + tool + "\",\"arguments\":"
                    + Json.write(Json.write(Map.of("query", query))) + "}}]}";
            finish = "tool_calls";
        }
        String completion = "{\"id\":\"chatcmpl-agent\",\"object\":\"chat.completion\",\"created\":1700000000,"
                + "\"model\":\"agent\",\"choices\":[{\"index\":0,\"message\":" + message
                + ",\"logprobs\":null,\"finish_reason\":\"" + finish
                + "\"}],\"usage\":{\"prompt_tokens\":30,\"completion_tokens\":10,\"total_tokens\":40}}";
        if (!stream) {
            ctx.contentType("application/json").result(completion);
            return;
        }
        // Streamed, the same answer arrives as OpenAI's chunks (tool calls as deltas).
        ctx.contentType("text/event-stream");
        OutputStream out = ctx.res().getOutputStream();
        for (String chunk : io.orchestra.gateway.cache.StreamReplay.chunks(Json.tree(completion), true)) {
            write(out, "data: " + chunk + "\n\n");
        }
        write(out, "data: [DONE]\n\n");
    }

    /** Fact extraction: every sentence of the user's turn that starts with "I " is a fact. */
    private void extract(Context ctx, JsonNode body) {
        String exchange = body.path("messages").get(1).path("content").asString();
        String user = exchange.substring(6, exchange.indexOf("\nAssistant: "));
        java.util.List<String> facts = new java.util.ArrayList<>();
        for (String sentence : user.split("(?<=[.!?])\\s+")) {
            if (sentence.startsWith("I ")) {
                facts.add(sentence);
            }
        }
        String content = Json.write(Map.of("facts", facts));
        ctx.contentType("application/json")
                .result(
                        "{\"id\":\"chatcmpl-extract\",\"object\":\"chat.completion\",\"created\":1700000000,"
                                + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"message\":"
                                + Json.write(Map.of("role", "assistant", "content", content))
                                + ",\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":40,\"completion_tokens\":12,\"total_tokens\":52}}");
    }

    /** A scripted team: plans three sub-tasks, answers each, then combines them. */
    private void team(Context ctx, JsonNode body) {
        String system = body.path("messages").get(0).path("content").asString();
        String user = body.path("messages").get(1).path("content").asString();
        String content;
        if (system.startsWith("Decide whether")) {
            content = Json.write(Map.of(
                    "complex",
                    user.contains("launch"),
                    "reason",
                    user.contains("launch") ? "needs several specialists" : "one answer"));
        } else if (system.contains("Write a plan")) {
            content = "{\"subtasks\":[{\"persona\":\"sophia\",\"task\":\"Price the launch\"},"
                    + "{\"persona\":\"karen\",\"task\":\"Plan the trial operations\"},{\"persona\":\"sophia\",\"task\":\"Model the budget\"}]}";
        } else if (system.contains("Combine")) {
            content = "Final answer combining " + (user.split("\n## ").length - 1) + " reports";
        } else {
            content = "Specialist answer to: " + user;
        }
        ctx.contentType("application/json")
                .result(
                        "{\"id\":\"chatcmpl-team\",\"object\":\"chat.completion\",\"created\":1700000000,"
                                + "\"model\":\"team\",\"choices\":[{\"index\":0,\"message\":"
                                + Json.write(Map.of("role", "assistant", "content", content))
                                + ",\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":50,\"completion_tokens\":20,\"total_tokens\":70}}");
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private void openAiEmbeddings(Context ctx) throws Exception {
        JsonNode body = record(ctx);
        String model = body.path("model").asString();
        if (fail(ctx, model, count(model), "openai")) {
            return;
        }
        JsonNode input = body.path("input");
        int n = input.isArray() ? input.size() : 1;
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < n; i++) {
            data.append(i == 0 ? "" : ",")
                    .append("{\"object\":\"embedding\",\"index\":")
                    .append(i)
                    .append(",\"embedding\":[")
                    .append(0.25 * (i + 1))
                    .append(",-0.5,0.125,1.0]}");
        }
        ctx.contentType("application/json")
                .result("{\"object\":\"list\",\"data\":[" + data + "],\"model\":\"" + model
                        + "\",\"usage\":{\"prompt_tokens\":" + (3 * n) + ",\"total_tokens\":" + (3 * n) + "}}");
    }

    private void anthropic(Context ctx) throws Exception {
        JsonNode body = record(ctx);
        String model = body.path("model").asString();
        int call = count(model);
        if (fail(ctx, model, call, "anthropic")) {
            return;
        }
        if (!body.path("stream").asBoolean(false)) {
            String content = model.equals("tools")
                    ? "[{\"type\":\"text\",\"text\":\"Let me check.\"},{\"type\":\"tool_use\",\"id\":\"toolu_01A\",\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}}]"
                    : "[{\"type\":\"text\",\"text\":\"Hello from Claude\"}]";
            ctx.contentType("application/json")
                    .result("{\"id\":\"msg_01XFDUDYJgAACzvnptvVoYEL\",\"type\":\"message\",\"role\":\"assistant\","
                            + "\"model\":\"" + model + "\",\"content\":" + content + ",\"stop_reason\":\""
                            + (model.equals("tools") ? "tool_use" : "end_turn")
                            + "\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":20,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":5,"
                            + "\"output_tokens\":6,\"service_tier\":\"standard\"}}");
            return;
        }
        ctx.contentType("text/event-stream");
        OutputStream out = ctx.res().getOutputStream();
        if (model.equals("stream-error")) {
            write(
                    out,
                    "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\""
                            + model
                            + "\",\"content\":[],\"stop_reason\":null,\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}}\n\n");
            write(
                    out,
                    "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n");
            return;
        }
        write(
                out,
                "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_01S\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\""
                        + model
                        + "\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":25,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":1}}}\n\n");
        write(
                out,
                "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
        write(out, "event: ping\ndata: {\"type\": \"ping\"}\n\n");
        write(
                out,
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}\n\n");
        write(
                out,
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" from Claude\"}}\n\n");
        write(out, "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n");
        write(
                out,
                "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":15}}\n\n");
        write(out, "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    }

    /** Gemini generateContent / streamGenerateContent?alt=sse (the model and action are one path segment). */
    private void gemini(Context ctx) throws Exception {
        JsonNode body = record(ctx);
        String action = ctx.pathParam("action");
        String model = action.substring(0, action.indexOf(':'));
        if (fail(ctx, model, count(model), "openai")) {
            return;
        }
        String usage = "\"usageMetadata\":{\"promptTokenCount\":9,\"candidatesTokenCount\":4,\"totalTokenCount\":13}";
        if (!action.endsWith(":streamGenerateContent")) {
            ctx.contentType("application/json")
                    .result(
                            "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hello from Gemini\"}],\"role\":\"model\"},"
                                    + "\"finishReason\":\"STOP\",\"index\":0}]," + usage + ",\"modelVersion\":\""
                                    + model + "\",\"responseId\":\"gem-1\"}");
            return;
        }
        ctx.contentType("text/event-stream");
        OutputStream out = ctx.res().getOutputStream();
        write(
                out,
                "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hello\"}],\"role\":\"model\"},\"index\":0}],\"modelVersion\":\""
                        + model + "\"}\r\n\r\n");
        write(
                out,
                "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\" from Gemini\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],"
                        + usage + ",\"modelVersion\":\"" + model + "\"}\r\n\r\n");
    }

    /** Ollama's native /api/chat, NDJSON when streaming. */
    private void ollama(Context ctx) throws Exception {
        JsonNode body = record(ctx);
        String model = body.path("model").asString();
        if (fail(ctx, model, count(model), "ollama")) {
            return;
        }
        if (!body.path("stream").asBoolean(true)) {
            ctx.contentType("application/json")
                    .result("{\"model\":\"" + model + "\",\"created_at\":\"2025-01-01T00:00:00Z\","
                            + "\"message\":{\"role\":\"assistant\",\"content\":\"Hello from Ollama\"},\"done\":true,\"done_reason\":\"stop\","
                            + "\"prompt_eval_count\":7,\"eval_count\":3}");
            return;
        }
        ctx.contentType("application/x-ndjson");
        OutputStream out = ctx.res().getOutputStream();
        write(
                out,
                "{\"model\":\"" + model
                        + "\",\"message\":{\"role\":\"assistant\",\"content\":\"Hello\"},\"done\":false}\n");
        write(
                out,
                "{\"model\":\"" + model
                        + "\",\"message\":{\"role\":\"assistant\",\"content\":\" from Ollama\"},\"done\":false}\n");
        write(
                out,
                "{\"model\":\"" + model
                        + "\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\","
                        + "\"prompt_eval_count\":7,\"eval_count\":3}\n");
    }

    @Override
    public void close() {
        app.stop();
    }
}
