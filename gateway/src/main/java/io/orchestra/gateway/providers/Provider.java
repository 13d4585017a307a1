package io.orchestra.gateway.providers;

import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One provider wire format. Implementations are pure translations between the OpenAI shapes and
 * the provider's, kept in a folder per provider; routing, retries and caching never see them.
 */
public interface Provider {
    /** The {@code kind} used in configuration. */
    String kind();

    StreamFormat streamFormat();

    /** The headers of every call to this provider (auth, version, the configured headers), chat and embeddings alike. */
    Map<String, String> headers(ProviderSettings settings);

    /** The upstream request for an OpenAI chat request ({@code model} already resolved by routing). */
    UpstreamRequest chatRequest(ProviderSettings settings, String model, ObjectNode request, boolean stream);

    /** The provider's non-streaming answer as an OpenAI {@code chat.completion}. */
    ObjectNode chatResponse(JsonNode upstream, String model);

    /** Usage of a non-streaming answer, in the provider's own fields. */
    TokenUsage usage(JsonNode upstream);

    /** A translator for one stream; the usage chunk a client asks for is the gateway's to add, not the translator's. */
    StreamTranslator streamTranslator(String model);

    /** Whether the provider has an embeddings API. */
    default boolean embeds() {
        return true;
    }

    /** The embeddings request (only called when {@link #embeds()}). */
    UpstreamRequest embeddingsRequest(ProviderSettings settings, String model, JsonNode input);

    /** The provider's embeddings as a list of float vectors, in input order. */
    float[][] embeddings(JsonNode upstream);

    /** Prompt tokens of an embeddings call. */
    int embeddingTokens(JsonNode upstream);

    /** A client-safe message from an upstream error body. */
    String errorMessage(int status, String body);
}
