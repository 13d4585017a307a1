package io.orchestra.gateway.providers.ollama;

import io.orchestra.core.json.Json;
import io.orchestra.gateway.providers.BaseStreamTranslator;
import io.orchestra.gateway.providers.Provider;
import io.orchestra.gateway.providers.ProviderSettings;
import io.orchestra.gateway.providers.StreamFormat;
import io.orchestra.gateway.providers.StreamTranslator;
import io.orchestra.gateway.providers.TokenUsage;
import io.orchestra.gateway.providers.Translation;
import io.orchestra.gateway.providers.UpstreamRequest;
import io.orchestra.gateway.providers.UpstreamStreamError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Ollama's native API: {@code /api/chat} (NDJSON when streaming) and {@code /api/embed}. */
public final class OllamaProvider implements Provider {
    @Override
    public String kind() {
        return "ollama";
    }

    @Override
    public StreamFormat streamFormat() {
        return StreamFormat.NDJSON;
    }

    @Override
    public UpstreamRequest chatRequest(ProviderSettings settings, String model, ObjectNode request, boolean stream) {
        ObjectNode body = Json.object();
        body.put("model", model);
        body.put("stream", stream);
        ArrayNode messages = body.putArray("messages");
        Map<String, String> toolNames = new HashMap<>();
        for (JsonNode message : request.path("messages")) {
            ObjectNode out = messages.addObject();
            String role = message.path("role").asString("user");
            out.put("role", role.equals("developer") ? "system" : role);
            out.put("content", Translation.text(message.get("content")));
            ArrayNode images = Json.mapper().createArrayNode();
            if (message.path("content").isArray()) {
                for (JsonNode part : message.path("content")) {
                    if (!part.path("type").asString("").equals("image_url")) {
                        continue;
                    }
                    String url = part.path("image_url").path("url").asString("");
                    if (!url.startsWith("data:")) {
                        // Ollama takes images inline only; dropping the image silently would answer a different
                        // question.
                        throw Translation.invalidImage(
                                "Ollama models take images as data URLs (data:<media type>;base64,<data>), not links");
                    }
                    images.add(Translation.dataUrl(url).data());
                }
            }
            if (!images.isEmpty()) {
                out.set("images", images);
            }
            if (message.has("tool_calls")) {
                ArrayNode calls = out.putArray("tool_calls");
                for (JsonNode call : message.path("tool_calls")) {
                    toolNames.put(
                            call.path("id").asString(""),
                            call.path("function").path("name").asString(""));
                    ObjectNode function = calls.addObject().putObject("function");
                    function.put("name", call.path("function").path("name").asString(""));
                    function.set(
                            "arguments",
                            Translation.parseObject(
                                    call.path("function").path("arguments").asString("{}")));
                }
            }
            if (role.equals("tool")) {
                String name = toolNames.get(message.path("tool_call_id").asString(""));
                if (name != null) {
                    out.put("tool_name", name);
                }
            }
        }
        if (request.path("tools").isArray()) {
            body.set("tools", request.get("tools"));
        }
        ObjectNode options = Json.object();
        copy(request, options, "temperature", "temperature");
        copy(request, options, "top_p", "top_p");
        copy(request, options, "seed", "seed");
        copy(request, options, "max_tokens", "num_predict");
        copy(request, options, "max_completion_tokens", "num_predict");
        ArrayNode stops = Translation.stops(request.get("stop"));
        if (!stops.isEmpty()) {
            options.set("stop", stops);
        }
        if (!options.isEmpty()) {
            body.set("options", options);
        }
        if (request.path("logprobs").asBoolean(false)) {
            body.put("logprobs", true);
            copy(request, body, "top_logprobs", "top_logprobs");
        }
        JsonNode format = request.path("response_format");
        switch (format.path("type").asString("")) {
            case "json_object" -> body.put("format", "json");
            case "json_schema" -> body.set("format", format.path("json_schema").path("schema"));
            default -> {
                // text: no format
            }
        }
        return new UpstreamRequest(Translation.trimSlash(settings.baseUrl()) + "/api/chat", Translation.bytes(body));
    }

    @Override
    public Map<String, String> headers(ProviderSettings settings) {
        return Translation.headers(
                settings,
                "Content-Type",
                "application/json",
                "Authorization",
                settings.hasKey() ? "Bearer " + settings.apiKey() : null);
    }

    private static void copy(JsonNode from, ObjectNode to, String source, String target) {
        if (from.has(source) && !from.get(source).isNull()) {
            to.set(target, from.get(source));
        }
    }

    @Override
    public ObjectNode chatResponse(JsonNode upstream, String model) {
        ObjectNode out = Json.object();
        out.put("id", "chatcmpl-ollama-" + Long.toHexString(System.nanoTime()));
        out.put("object", "chat.completion");
        out.put("created", System.currentTimeMillis() / 1000);
        out.put("model", upstream.path("model").asString(model));
        ObjectNode choice = out.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        JsonNode calls = upstream.path("message").path("tool_calls");
        message.put("content", upstream.path("message").path("content").asString(""));
        if (calls.isArray() && !calls.isEmpty()) {
            message.set("tool_calls", toolCalls(calls));
        }
        choice.set("logprobs", logprobs(upstream.path("logprobs")));
        choice.put("finish_reason", finishReason(upstream, calls));
        out.set("usage", Translation.usageNode(usage(upstream)));
        return out;
    }

    /** Ollama's {@code logprobs} list (token, logprob, top_logprobs per generated token) as OpenAI's {@code choice.logprobs}; null when absent. */
    static JsonNode logprobs(JsonNode entries) {
        if (!entries.isArray() || entries.isEmpty()) {
            return Json.mapper().nullNode();
        }
        ObjectNode out = Json.object();
        ArrayNode content = out.putArray("content");
        for (JsonNode entry : entries) {
            ObjectNode token = Translation.logprob(
                    content.addObject(),
                    entry.path("token").asString(""),
                    entry.path("logprob").asDouble(0));
            ArrayNode alternatives = token.putArray("top_logprobs");
            for (JsonNode alternative : entry.path("top_logprobs")) {
                Translation.logprob(
                        alternatives.addObject(),
                        alternative.path("token").asString(""),
                        alternative.path("logprob").asDouble(0));
            }
        }
        out.putNull("refusal");
        return out;
    }

    static ArrayNode toolCalls(JsonNode calls) {
        ArrayNode out = Json.mapper().createArrayNode();
        int i = 0;
        for (JsonNode call : calls) {
            ObjectNode c = out.addObject();
            c.put("index", i);
            c.put("id", "call_" + i++);
            c.put("type", "function");
            ObjectNode function = c.putObject("function");
            function.put("name", call.path("function").path("name").asString(""));
            function.put("arguments", Json.write(call.path("function").path("arguments")));
        }
        return out;
    }

    static String finishReason(JsonNode upstream, JsonNode calls) {
        if (calls.isArray() && !calls.isEmpty()) {
            return "tool_calls";
        }
        return "length".equals(upstream.path("done_reason").asString("")) ? "length" : "stop";
    }

    @Override
    public TokenUsage usage(JsonNode upstream) {
        return new TokenUsage(
                upstream.path("prompt_eval_count").asInt(0),
                upstream.path("eval_count").asInt(0),
                0,
                0,
                0);
    }

    @Override
    public StreamTranslator streamTranslator(String requested) {
        return new BaseStreamTranslator() {
            private boolean started;

            {
                id = "chatcmpl-ollama-" + Long.toHexString(System.nanoTime());
                created = System.currentTimeMillis() / 1000;
                model = requested;
            }

            @Override
            public List<String> onEvent(String event, String data) {
                JsonNode node = Json.tree(data);
                if (node.has("error")) {
                    throw new UpstreamStreamError(500, node.path("error").asString("error inside the stream"));
                }
                List<String> out = new ArrayList<>();
                String chunkModel = node.path("model").asString(this.model);
                this.model = chunkModel;
                if (!started) {
                    started = true;
                    ObjectNode first = Translation.chunk(id, created, chunkModel);
                    ((ObjectNode) Translation.deltaChoice(first, 0).get("delta"))
                            .put("role", "assistant")
                            .put("content", "");
                    out.add(Json.write(first));
                }
                String content = node.path("message").path("content").asString("");
                JsonNode calls = node.path("message").path("tool_calls");
                if (!content.isEmpty() || (calls.isArray() && !calls.isEmpty())) {
                    ObjectNode chunk = Translation.chunk(id, created, chunkModel);
                    ObjectNode choice = Translation.deltaChoice(chunk, 0);
                    ObjectNode delta = (ObjectNode) choice.get("delta");
                    if (!content.isEmpty()) {
                        delta.put("content", content);
                    }
                    if (node.path("logprobs").isArray()
                            && !node.path("logprobs").isEmpty()) {
                        choice.set("logprobs", logprobs(node.path("logprobs")));
                    }
                    if (calls.isArray() && !calls.isEmpty()) {
                        delta.set("tool_calls", toolCalls(calls));
                    }
                    sentContent = true;
                    out.add(Json.write(chunk));
                }
                if (node.path("done").asBoolean(false)) {
                    finished = true;
                    usage = OllamaProvider.this.usage(node);
                    ObjectNode last = Translation.chunk(id, created, chunkModel);
                    Translation.deltaChoice(last, 0)
                            .put("finish_reason", sentToolCalls ? "tool_calls" : finishReason(node, calls));
                    out.add(Json.write(last));
                }
                if (calls.isArray() && !calls.isEmpty()) {
                    sentToolCalls = true;
                }
                return out;
            }

            private boolean sentToolCalls;
        };
    }

    @Override
    public UpstreamRequest embeddingsRequest(ProviderSettings settings, String model, JsonNode input) {
        ObjectNode body = Json.object();
        body.put("model", model);
        body.set("input", input);
        return new UpstreamRequest(Translation.trimSlash(settings.baseUrl()) + "/api/embed", Translation.bytes(body));
    }

    @Override
    public float[][] embeddings(JsonNode upstream) {
        JsonNode vectors = upstream.path("embeddings");
        float[][] out = new float[vectors.size()][];
        for (int i = 0; i < vectors.size(); i++) {
            out[i] = Translation.floats(vectors.get(i));
        }
        return out;
    }

    @Override
    public int embeddingTokens(JsonNode upstream) {
        return upstream.path("prompt_eval_count").asInt(0);
    }

    @Override
    public String errorMessage(int status, String body) {
        return Translation.errorMessage(body, status, "error");
    }
}
