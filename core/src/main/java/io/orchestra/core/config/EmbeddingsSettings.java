package io.orchestra.core.config;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * Which embedder computes vectors: the in-process model, or an OpenAI-compatible endpoint (then
 * url, model and dimensions are required). {@code toString} masks the key.
 */
public record EmbeddingsSettings(
        Provider provider,
        Optional<URI> url,
        Optional<String> model,
        int dimensions,
        Optional<String> apiKey,
        int batchSize,
        int timeoutMillis,
        boolean warmUp,
        int keepAliveSeconds) {

    public enum Provider {
        LOCAL,
        HTTP;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static EmbeddingsSettings read(ConfigValues values) {
        Provider provider = values.choice("orchestra.embeddings.provider", Provider.LOCAL, Provider::wire);
        Optional<URI> url = values.httpUrl("orchestra.embeddings.url");
        Optional<String> model = values.optional("orchestra.embeddings.model");
        int dimensions = values.integer("orchestra.embeddings.dimensions", 0, 1, 16_000);
        Optional<String> apiKey = values.optional("orchestra.embeddings.api-key");
        int batch = values.integer("orchestra.embeddings.batch-size", 64, 1, 2048);
        int timeout = values.integer("orchestra.embeddings.timeout-ms", 30_000, 100, 600_000);
        // Load the in-process model right after the port opens (/ready waits); false: on the first call.
        boolean warmUp = values.bool("orchestra.embeddings.warm-up", true);
        // The in-process model is unloaded after this long without a call (its session and tokenizer are about
        // 60 MiB of an idle server) and loaded again by the next; 0 keeps it loaded.
        int keepAlive = values.integer("orchestra.embeddings.keep-alive-s", 300, 0, 604_800);
        if (provider == Provider.HTTP) {
            if (values.optional("orchestra.embeddings.url").isEmpty()) {
                values.problem(
                        "orchestra.embeddings.url",
                        "",
                        "an http(s) URL with provider http (e.g. https://api.openai.com/v1)");
            }
            if (model.isEmpty()) {
                values.problem(
                        "orchestra.embeddings.model",
                        "",
                        "a model name with provider http (e.g. text-embedding-3-small)");
            }
            if (values.optional("orchestra.embeddings.dimensions").isEmpty()) {
                values.problem(
                        "orchestra.embeddings.dimensions",
                        "",
                        "the model's vector length with provider http (e.g. 1536)");
            }
        }
        return new EmbeddingsSettings(provider, url, model, dimensions, apiKey, batch, timeout, warmUp, keepAlive);
    }

    @Override
    public String toString() {
        return "EmbeddingsSettings[provider=" + provider.wire() + ", url="
                + url.map(u -> Secrets.maskUrl(u.toString())).orElse("") + ", model=" + model.orElse("")
                + ", dimensions=" + dimensions + ", apiKey="
                + apiKey.map(Secrets::mask).orElse("") + ", batchSize="
                + batchSize + ", timeoutMillis=" + timeoutMillis + ", warmUp=" + warmUp + ", keepAliveSeconds="
                + keepAliveSeconds + "]";
    }
}
