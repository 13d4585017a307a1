package io.orchestra.gateway.providers.gemini;

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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Google Gemini: {@code generateContent} and {@code streamGenerateContent?alt=sse}. */
public final class GeminiProvider implements Provider {
    @Override
    public String kind() {
        return "gemini";
    }

    @Override
    public StreamFormat streamFormat() {
        return StreamFormat.SSE;
    }

    @Override
    public UpstreamRequest chatRequest(ProviderSettings settings, String model, ObjectNode request, boolean stream) {
        ObjectNode body = Json.object();
        ArrayNode contents = body.putArray("contents");
        StringBuilder system = new StringBuilder();
        Map<String, String> toolNames = new HashMap<>();
        for (JsonNode message : request.path("messages")) {
            String role = message.path("role").asString("");
            switch (role) {
                case "system", "developer" ->
                    system.append(system.isEmpty() ? "" : "\n\n").append(Translation.text(message.get("content")));
                case "user" -> append(contents, "user", userParts(message.get("content")));
                case "assistant" -> {
                    ArrayNode parts = Json.mapper().createArrayNode();
                    String text = Translation.text(message.get("content"));
                    if (!text.isEmpty()) {
                        parts.addObject().put("text", text);
                    }
                    for (JsonNode call : message.path("tool_calls")) {
                        String name = call.path("function").path("name").asString("");
                        toolNames.put(call.path("id").asString(""), name);
                        ObjectNode functionCall = parts.addObject().putObject("functionCall");
                        functionCall.put("name", name);
                        functionCall.set(
                                "args",
                                Translation.parseObject(
                                        call.path("function").path("arguments").asString("{}")));
                    }
                    append(contents, "model", parts);
                }
                case "tool" -> {
                    ArrayNode parts = Json.mapper().createArrayNode();
                    ObjectNode response = parts.addObject().putObject("functionResponse");
                    response.put(
                            "name",
                            toolNames.getOrDefault(message.path("tool_call_id").asString(""), "tool"));
                    response.set("response", Translation.parseObject(Translation.text(message.get("content"))));
                    append(contents, "user", parts);
                }
                default -> {
                    // validated before translation
                }
            }
        }
        if (!system.isEmpty()) {
            body.putObject("systemInstruction").putArray("parts").addObject().put("text", system.toString());
        }
        ObjectNode generation = Json.object();
        copy(request, generation, "temperature", "temperature");
        copy(request, generation, "top_p", "topP");
        copy(request, generation, "seed", "seed");
        copy(request, generation, "n", "candidateCount");
        copy(request, generation, "max_tokens", "maxOutputTokens");
        copy(request, generation, "max_completion_tokens", "maxOutputTokens");
        ArrayNode stops = Translation.stops(request.get("stop"));
        if (!stops.isEmpty()) {
            generation.set("stopSequences", stops);
        }
        if (request.path("logprobs").asBoolean(false)) {
            generation.put("responseLogprobs", true);
            copy(request, generation, "top_logprobs", "logprobs");
        }
        JsonNode format = request.path("response_format");
        switch (format.path("type").asString("")) {
            case "json_object" -> generation.put("responseMimeType", "application/json");
            case "json_schema" -> {
                generation.put("responseMimeType", "application/json");
                generation.set("responseJsonSchema", format.path("json_schema").path("schema"));
            }
            default -> {
                // plain text
            }
        }
        if (!generation.isEmpty()) {
            body.set("generationConfig", generation);
        }
        if (request.path("tools").isArray() && !request.path("tools").isEmpty()) {
            ArrayNode declarations = body.putArray("tools").addObject().putArray("functionDeclarations");
            for (JsonNode tool : request.path("tools")) {
                JsonNode function = tool.path("function");
                ObjectNode declaration = declarations.addObject();
                declaration.put("name", function.path("name").asString(""));
                if (function.has("description")) {
                    declaration.put("description", function.path("description").asString(""));
                }
                if (function.has("parameters")) {
                    declaration.set("parameters", function.get("parameters"));
                }
            }
            JsonNode choice = request.get("tool_choice");
            if (choice != null && !choice.isNull()) {
                ObjectNode config = body.putObject("toolConfig").putObject("functionCallingConfig");
                if (choice.isString()) {
                    config.put(
                            "mode",
                            switch (choice.asString()) {
                                case "required" -> "ANY";
                                case "none" -> "NONE";
                                default -> "AUTO";
                            });
                } else {
                    config.put("mode", "ANY");
                    config.putArray("allowedFunctionNames")
                            .add(choice.path("function").path("name").asString(""));
                }
            }
        }
        String action = stream ? ":streamGenerateContent?alt=sse" : ":generateContent";
        String url = Translation.trimSlash(settings.baseUrl()) + "/v1beta/models/"
                + URLEncoder.encode(model, StandardCharsets.UTF_8) + action;
        return new UpstreamRequest(url, Translation.bytes(body));
    }

    @Override
    public Map<String, String> headers(ProviderSettings settings) {
        return Translation.headers(
                settings,
                "Content-Type",
                "application/json",
                "x-goog-api-key",
                settings.hasKey() ? settings.apiKey() : null);
    }

    private static void append(ArrayNode contents, String role, ArrayNode parts) {
        if (!contents.isEmpty()) {
            ObjectNode last = (ObjectNode) contents.get(contents.size() - 1);
            if (last.path("role").asString().equals(role)) {
                ((ArrayNode) last.get("parts")).addAll(parts);
                return;
            }
        }
        ObjectNode content = contents.addObject();
        content.put("role", role);
        content.set("parts", parts);
    }

    private static ArrayNode userParts(JsonNode content) {
        ArrayNode parts = Json.mapper().createArrayNode();
        if (content == null || content.isNull()) {
            return parts;
        }
        if (content.isString()) {
            parts.addObject().put("text", content.asString());
            return parts;
        }
        for (JsonNode part : content) {
            switch (part.path("type").asString("")) {
                case "text" -> parts.addObject().put("text", part.path("text").asString(""));
                case "image_url" -> {
                    String url = part.path("image_url").path("url").asString("");
                    if (url.startsWith("data:")) {
                        Translation.DataUrl image = Translation.dataUrl(url);
                        ObjectNode inline = parts.addObject().putObject("inlineData");
                        inline.put("mimeType", image.mediaType());
                        inline.put("data", image.data());
                    } else {
                        ObjectNode file = parts.addObject().putObject("fileData");
                        file.put("mimeType", guessMime(url));
                        file.put("fileUri", url);
                    }
                }
                default -> {
                    // unsupported part types are skipped
                }
            }
        }
        return parts;
    }

    private static String guessMime(String url) {
        String lower = url.toLowerCase(java.util.Locale.ROOT);
        if (lower.endsWith(".png")) {
            return "image/png";
        }
        if (lower.endsWith(".webp")) {
            return "image/webp";
        }
        if (lower.endsWith(".gif")) {
            return "image/gif";
        }
        return "image/jpeg";
    }

    private static void copy(JsonNode from, ObjectNode to, String source, String target) {
        if (from.has(source) && !from.get(source).isNull()) {
            to.set(target, from.get(source));
        }
    }

    @Override
    public ObjectNode chatResponse(JsonNode upstream, String model) {
        ObjectNode out = Json.object();
        out.put("id", "chatcmpl-" + upstream.path("responseId").asString(Long.toHexString(System.nanoTime())));
        out.put("object", "chat.completion");
        out.put("created", System.currentTimeMillis() / 1000);
        out.put("model", upstream.path("modelVersion").asString(model));
        ArrayNode choices = out.putArray("choices");
        for (JsonNode candidate : upstream.path("candidates")) {
            ObjectNode choice = choices.addObject();
            choice.put("index", candidate.path("index").asInt(choices.size() - 1));
            ObjectNode message = choice.putObject("message");
            message.put("role", "assistant");
            StringBuilder text = new StringBuilder();
            ArrayNode calls = Json.mapper().createArrayNode();
            collect(candidate.path("content").path("parts"), text, calls, 0);
            if (text.isEmpty() && !calls.isEmpty()) {
                message.putNull("content");
            } else {
                message.put("content", text.toString());
            }
            if (!calls.isEmpty()) {
                message.set("tool_calls", calls);
            }
            choice.set("logprobs", logprobs(candidate.path("logprobsResult")));
            choice.put(
                    "finish_reason",
                    calls.isEmpty()
                            ? finishReason(candidate.path("finishReason").asString(""))
                            : "tool_calls");
        }
        out.set("usage", Translation.usageNode(usage(upstream)));
        return out;
    }

    /** Gemini's {@code logprobsResult} in OpenAI's {@code logprobs} shape (chosen tokens, each with its top alternatives); null when absent. */
    static JsonNode logprobs(JsonNode result) {
        if (!result.path("chosenCandidates").isArray()) {
            return Json.mapper().nullNode();
        }
        ObjectNode out = Json.object();
        ArrayNode content = out.putArray("content");
        JsonNode top = result.path("topCandidates");
        for (int i = 0; i < result.path("chosenCandidates").size(); i++) {
            ObjectNode token =
                    logprob(content.addObject(), result.path("chosenCandidates").get(i));
            ArrayNode alternatives = token.putArray("top_logprobs");
            for (JsonNode alternative : top.path(i).path("candidates")) {
                logprob(alternatives.addObject(), alternative);
            }
        }
        out.putNull("refusal");
        return out;
    }

    private static ObjectNode logprob(ObjectNode out, JsonNode candidate) {
        return Translation.logprob(
                out,
                candidate.path("token").asString(""),
                candidate.path("logProbability").asDouble(0));
    }

    /** Appends a candidate's text and function calls; returns how many calls were added. */
    static int collect(JsonNode parts, StringBuilder text, ArrayNode calls, int firstCallIndex) {
        int added = 0;
        for (JsonNode part : parts) {
            if (part.path("thought").asBoolean(false)) {
                continue;
            }
            if (part.has("text")) {
                text.append(part.path("text").asString(""));
            }
            if (part.has("functionCall")) {
                ObjectNode call = calls.addObject();
                int index = firstCallIndex + added++;
                call.put("index", index);
                call.put("id", part.path("functionCall").path("id").asString("call_" + index));
                call.put("type", "function");
                ObjectNode function = call.putObject("function");
                function.put("name", part.path("functionCall").path("name").asString(""));
                function.put("arguments", Json.write(part.path("functionCall").path("args")));
            }
        }
        return added;
    }

    static String finishReason(String reason) {
        return switch (reason) {
            case "" -> null;
            case "MAX_TOKENS" -> "length";
            case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII" -> "content_filter";
            default -> "stop";
        };
    }

    @Override
    public TokenUsage usage(JsonNode upstream) {
        JsonNode usage = upstream.path("usageMetadata");
        int thoughts = usage.path("thoughtsTokenCount").asInt(0);
        return new TokenUsage(
                usage.path("promptTokenCount").asInt(0),
                usage.path("candidatesTokenCount").asInt(0) + thoughts,
                usage.path("cachedContentTokenCount").asInt(0),
                0,
                thoughts);
    }

    @Override
    public StreamTranslator streamTranslator(String requested) {
        return new BaseStreamTranslator() {
            private boolean started;

            {
                id = "chatcmpl-gemini-" + Long.toHexString(System.nanoTime());
                created = System.currentTimeMillis() / 1000;
                model = requested;
            }

            private int callIndex;

            @Override
            public List<String> onEvent(String event, String data) {
                JsonNode node = Json.tree(data);
                if (node.has("error")) {
                    throw new UpstreamStreamError(
                            node.path("error").path("code").asInt(500),
                            node.path("error").path("message").asString("error inside the stream"));
                }
                List<String> out = new ArrayList<>();
                String chunkModel = node.path("modelVersion").asString(this.model);
                this.model = chunkModel;
                if (!started) {
                    started = true;
                    ObjectNode first = Translation.chunk(id, created, chunkModel);
                    ((ObjectNode) Translation.deltaChoice(first, 0).get("delta"))
                            .put("role", "assistant")
                            .put("content", "");
                    out.add(Json.write(first));
                }
                if (node.has("usageMetadata")) {
                    usage = GeminiProvider.this.usage(node);
                }
                for (JsonNode candidate : node.path("candidates")) {
                    StringBuilder text = new StringBuilder();
                    ArrayNode calls = Json.mapper().createArrayNode();
                    callIndex += collect(candidate.path("content").path("parts"), text, calls, callIndex);
                    if (!text.isEmpty() || !calls.isEmpty()) {
                        ObjectNode chunk = Translation.chunk(id, created, chunkModel);
                        ObjectNode choice = Translation.deltaChoice(
                                chunk, candidate.path("index").asInt(0));
                        ObjectNode delta = (ObjectNode) choice.get("delta");
                        if (!text.isEmpty()) {
                            delta.put("content", text.toString());
                        }
                        if (!calls.isEmpty()) {
                            delta.set("tool_calls", calls);
                        }
                        if (candidate.has("logprobsResult")) {
                            choice.set("logprobs", logprobs(candidate.path("logprobsResult")));
                        }
                        sentContent = true;
                        out.add(Json.write(chunk));
                    }
                    String reason = candidate.path("finishReason").asString("");
                    if (!reason.isEmpty()) {
                        finished = true;
                        ObjectNode last = Translation.chunk(id, created, chunkModel);
                        Translation.deltaChoice(last, candidate.path("index").asInt(0))
                                .put("finish_reason", callIndex > 0 ? "tool_calls" : finishReason(reason));
                        out.add(Json.write(last));
                    }
                }
                return out;
            }
        };
    }

    @Override
    public UpstreamRequest embeddingsRequest(ProviderSettings settings, String model, JsonNode input) {
        ObjectNode body = Json.object();
        ArrayNode requests = body.putArray("requests");
        List<String> texts = new ArrayList<>();
        if (input.isString()) {
            texts.add(input.asString());
        } else {
            input.forEach(t -> texts.add(t.asString()));
        }
        for (String text : texts) {
            ObjectNode r = requests.addObject();
            r.put("model", "models/" + model);
            r.putObject("content").putArray("parts").addObject().put("text", text);
        }
        String url = Translation.trimSlash(settings.baseUrl()) + "/v1beta/models/"
                + URLEncoder.encode(model, StandardCharsets.UTF_8) + ":batchEmbedContents";
        return new UpstreamRequest(url, Translation.bytes(body));
    }

    @Override
    public float[][] embeddings(JsonNode upstream) {
        JsonNode list = upstream.path("embeddings");
        float[][] out = new float[list.size()][];
        for (int i = 0; i < list.size(); i++) {
            out[i] = Translation.floats(list.get(i).path("values"));
        }
        return out;
    }

    @Override
    public int embeddingTokens(JsonNode upstream) {
        return 0;
    }

    @Override
    public String errorMessage(int status, String body) {
        return Translation.errorMessage(body, status, "error", "message");
    }
}
