package io.orchestra.gateway.providers.openai;

import io.orchestra.core.json.Json;
import io.orchestra.core.util.Vectors;
import io.orchestra.gateway.providers.Provider;
import io.orchestra.gateway.providers.ProviderSettings;
import io.orchestra.gateway.providers.StreamFormat;
import io.orchestra.gateway.providers.StreamTranslator;
import io.orchestra.gateway.providers.TokenUsage;
import io.orchestra.gateway.providers.Translation;
import io.orchestra.gateway.providers.UpstreamRequest;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenAI's own API, and any server that speaks it ({@code openai_compatible}: vLLM, OpenRouter,
 * Groq, Together, DeepSeek, LM Studio): requests and answers pass through unchanged but for the
 * model name, so every parameter the client sends reaches the provider.
 */
public final class OpenAiProvider implements Provider {
    private final String kind;

    public OpenAiProvider(String kind) {
        this.kind = kind;
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    public StreamFormat streamFormat() {
        return StreamFormat.SSE;
    }

    @Override
    public UpstreamRequest chatRequest(ProviderSettings settings, String model, ObjectNode request, boolean stream) {
        ObjectNode body = request.deepCopy();
        body.put("model", model);
        if (stream) {
            // Always ask for usage so cost is exact; the translator hides it from clients that did not ask.
            ObjectNode options =
                    body.has("stream_options") && body.get("stream_options").isObject()
                            ? (ObjectNode) body.get("stream_options")
                            : body.putObject("stream_options");
            options.put("include_usage", true);
        }
        return new UpstreamRequest(
                Translation.trimSlash(settings.baseUrl()) + "/chat/completions", Translation.bytes(body));
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

    @Override
    public ObjectNode chatResponse(JsonNode upstream, String model) {
        return (ObjectNode) upstream;
    }

    @Override
    public TokenUsage usage(JsonNode upstream) {
        return usageOf(upstream.path("usage"));
    }

    static TokenUsage usageOf(JsonNode usage) {
        if (usage.isMissingNode() || usage.isNull()) {
            return TokenUsage.NONE;
        }
        return new TokenUsage(
                usage.path("prompt_tokens").asInt(0),
                usage.path("completion_tokens").asInt(0),
                usage.path("prompt_tokens_details").path("cached_tokens").asInt(0),
                0,
                usage.path("completion_tokens_details").path("reasoning_tokens").asInt(0));
    }

    @Override
    public StreamTranslator streamTranslator(String model) {
        return new OpenAiStreamTranslator();
    }

    @Override
    public UpstreamRequest embeddingsRequest(ProviderSettings settings, String model, JsonNode input) {
        ObjectNode body = Json.object();
        body.put("model", model);
        body.set("input", input);
        // Always floats from upstream: we encode base64 ourselves when the client asks for it.
        body.put("encoding_format", "float");
        return new UpstreamRequest(Translation.trimSlash(settings.baseUrl()) + "/embeddings", Translation.bytes(body));
    }

    @Override
    public float[][] embeddings(JsonNode upstream) {
        JsonNode data = upstream.path("data");
        float[][] out = new float[data.size()][];
        for (JsonNode item : data) {
            int index = item.path("index").asInt(0);
            JsonNode embedding = item.path("embedding");
            out[index] = embedding.isString() ? Vectors.decode(embedding.asString()) : Translation.floats(embedding);
        }
        return out;
    }

    @Override
    public int embeddingTokens(JsonNode upstream) {
        return upstream.path("usage").path("prompt_tokens").asInt(0);
    }

    @Override
    public String errorMessage(int status, String body) {
        return Translation.errorMessage(body, status, "error", "message");
    }
}
