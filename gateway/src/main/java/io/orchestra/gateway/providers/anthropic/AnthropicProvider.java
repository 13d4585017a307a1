package io.orchestra.gateway.providers.anthropic;

import io.orchestra.core.json.Json;
import io.orchestra.gateway.providers.Provider;
import io.orchestra.gateway.providers.ProviderSettings;
import io.orchestra.gateway.providers.StreamFormat;
import io.orchestra.gateway.providers.StreamTranslator;
import io.orchestra.gateway.providers.TokenUsage;
import io.orchestra.gateway.providers.Translation;
import io.orchestra.gateway.providers.UpstreamRequest;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Anthropic's Messages API. */
public final class AnthropicProvider implements Provider {
    static final String VERSION = "2023-06-01";
    static final int DEFAULT_MAX_TOKENS = 4096;

    @Override
    public String kind() {
        return "anthropic";
    }

    @Override
    public StreamFormat streamFormat() {
        return StreamFormat.SSE;
    }

    @Override
    public UpstreamRequest chatRequest(ProviderSettings settings, String model, ObjectNode request, boolean stream) {
        ObjectNode body = AnthropicRequests.toMessages(request, model);
        if (stream) {
            body.put("stream", true);
        }
        return new UpstreamRequest(Translation.trimSlash(settings.baseUrl()) + "/v1/messages", Translation.bytes(body));
    }

    @Override
    public Map<String, String> headers(ProviderSettings settings) {
        return Translation.headers(
                settings,
                "Content-Type",
                "application/json",
                "anthropic-version",
                VERSION,
                "x-api-key",
                settings.hasKey() ? settings.apiKey() : null);
    }

    @Override
    public boolean embeds() {
        return false;
    }

    @Override
    public ObjectNode chatResponse(JsonNode upstream, String model) {
        ObjectNode out = Json.object();
        out.put("id", "chatcmpl-" + upstream.path("id").asString(""));
        out.put("object", "chat.completion");
        out.put("created", System.currentTimeMillis() / 1000);
        out.put("model", upstream.path("model").asString(model));
        ObjectNode choice = out.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        StringBuilder text = new StringBuilder();
        ArrayNode toolCalls = Json.mapper().createArrayNode();
        for (JsonNode block : upstream.path("content")) {
            switch (block.path("type").asString("")) {
                case "text" -> text.append(block.path("text").asString(""));
                case "tool_use" -> {
                    ObjectNode call = toolCalls.addObject();
                    call.put("id", block.path("id").asString(""));
                    call.put("type", "function");
                    ObjectNode function = call.putObject("function");
                    function.put("name", block.path("name").asString(""));
                    function.put("arguments", Json.write(block.path("input")));
                }
                default -> {
                    // thinking and other block types have no OpenAI equivalent
                }
            }
        }
        if (text.isEmpty() && !toolCalls.isEmpty()) {
            message.putNull("content");
        } else {
            message.put("content", text.toString());
        }
        if (!toolCalls.isEmpty()) {
            message.set("tool_calls", toolCalls);
        }
        message.putNull("refusal");
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason(upstream.path("stop_reason").asString("")));
        out.set("usage", Translation.usageNode(usage(upstream)));
        return out;
    }

    static String finishReason(String stopReason) {
        return switch (stopReason) {
            case "max_tokens" -> "length";
            case "tool_use" -> "tool_calls";
            case "refusal" -> "content_filter";
            case "" -> null;
            default -> "stop";
        };
    }

    @Override
    public TokenUsage usage(JsonNode upstream) {
        return usageOf(upstream.path("usage"));
    }

    /** Anthropic counts cached prompt tokens apart from input_tokens; OpenAI's prompt_tokens includes them. */
    static TokenUsage usageOf(JsonNode usage) {
        int input = usage.path("input_tokens").asInt(0);
        int read = usage.path("cache_read_input_tokens").asInt(0);
        int write = usage.path("cache_creation_input_tokens").asInt(0);
        return new TokenUsage(input + read + write, usage.path("output_tokens").asInt(0), read, write, 0);
    }

    @Override
    public StreamTranslator streamTranslator(String model) {
        return new AnthropicStreamTranslator(model);
    }

    @Override
    public UpstreamRequest embeddingsRequest(ProviderSettings settings, String model, JsonNode input) {
        return null;
    }

    @Override
    public float[][] embeddings(JsonNode upstream) {
        throw new UnsupportedOperationException("Anthropic has no embeddings API");
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
