package io.orchestra.memory.embeddings;

import io.orchestra.core.config.Secrets;
import io.orchestra.core.error.ProblemException;
import io.orchestra.core.json.Json;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import tools.jackson.databind.JsonNode;

/**
 * Embeddings from any OpenAI-compatible {@code POST /v1/embeddings} endpoint (OpenAI, Ollama,
 * vLLM, or Orchestra's own gateway), in batches, with a timeout per request. Vectors are scaled
 * to unit length like the local model's, so cosine is a dot product everywhere. Failures are
 * 502/504 problems that name the endpoint and status, never the API key.
 */
public final class HttpEmbedder implements Embedder {
    /** Where and how to call the endpoint; {@code toString} masks the key. */
    public record Settings(
            URI url, String model, Optional<String> apiKey, int dimensions, int batchSize, long timeoutMillis) {
        @Override
        public String toString() {
            return "HttpEmbedder.Settings[url=" + Secrets.maskUrl(url.toString()) + ", model=" + model + ", apiKey="
                    + apiKey.map(Secrets::mask).orElse("") + ", dimensions=" + dimensions + ", batchSize=" + batchSize
                    + ", timeoutMillis=" + timeoutMillis + "]";
        }
    }

    private final Settings settings;
    private final URI endpoint;
    private final HttpClient client;

    public HttpEmbedder(Settings settings) {
        this.settings = settings;
        String url = settings.url().toString().replaceAll("/+$", "");
        this.endpoint = URI.create(url.endsWith("/embeddings") ? url : url + "/embeddings");
        this.client = new HttpClient();
        client.setConnectTimeout(Math.min(settings.timeoutMillis(), 5_000));
        client.setFollowRedirects(false);
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the embeddings HTTP client", e);
        }
        // A 401 is an answer to report (bad key), not a challenge to answer.
        client.getProtocolHandlers().remove(org.eclipse.jetty.client.WWWAuthenticationProtocolHandler.NAME);
        client.getProtocolHandlers().remove(org.eclipse.jetty.client.ProxyAuthenticationProtocolHandler.NAME);
    }

    @Override
    public int dimensions() {
        return settings.dimensions();
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += settings.batchSize()) {
            out.addAll(batch(texts.subList(from, Math.min(texts.size(), from + settings.batchSize()))));
        }
        return out;
    }

    private List<float[]> batch(List<String> texts) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", settings.model());
        body.put("input", texts);
        var request = client.newRequest(endpoint)
                .method(HttpMethod.POST)
                .timeout(settings.timeoutMillis(), TimeUnit.MILLISECONDS)
                .headers(h -> h.put(HttpHeader.ACCEPT, "application/json"))
                .body(new StringRequestContent("application/json", Json.write(body)));
        settings.apiKey().ifPresent(key -> request.headers(h -> h.put(HttpHeader.AUTHORIZATION, "Bearer " + key)));
        ContentResponse response;
        try {
            response = request.send();
        } catch (TimeoutException e) {
            throw failure(504, "did not answer within " + settings.timeoutMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(502, "interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw failure(
                    cause instanceof TimeoutException ? 504 : 502,
                    "cannot be reached (" + cause.getClass().getSimpleName() + ")");
        }
        if (response.getStatus() / 100 != 2) {
            throw failure(502, "answered HTTP " + response.getStatus() + ": " + snippet(response.getContentAsString()));
        }
        return parse(response.getContentAsString(), texts.size());
    }

    private List<float[]> parse(String json, int expected) {
        JsonNode data;
        try {
            data = Json.mapper().readTree(json).path("data");
        } catch (RuntimeException e) {
            throw failure(502, "answered with something that is not JSON");
        }
        if (!data.isArray() || data.size() != expected) {
            throw failure(
                    502, "returned " + (data.isArray() ? data.size() : 0) + " embeddings for " + expected + " inputs");
        }
        float[][] out = new float[expected][];
        for (int i = 0; i < expected; i++) {
            JsonNode item = data.get(i);
            int index = item.path("index").asInt(i);
            JsonNode values = item.path("embedding");
            if (index < 0 || index >= expected || !values.isArray()) {
                throw failure(502, "returned an embedding without a valid index or vector");
            }
            if (values.size() != settings.dimensions()) {
                throw failure(
                        502,
                        "returned " + values.size() + "-dimensional vectors but orchestra.embeddings.dimensions is "
                                + settings.dimensions());
            }
            float[] vector = new float[values.size()];
            for (int j = 0; j < vector.length; j++) {
                vector[j] = (float) values.get(j).asDouble();
            }
            out[index] = LocalEmbedder.normalize(vector);
        }
        for (float[] vector : out) {
            if (vector == null) {
                throw failure(502, "returned the same index twice");
            }
        }
        return List.of(out);
    }

    private ProblemException failure(int status, String what) {
        return new ProblemException(
                status,
                "embeddings-failed",
                "Embeddings endpoint failed",
                "the embeddings endpoint " + Secrets.maskUrl(endpoint.toString()) + " " + what);
    }

    /** The start of an error body, with the key removed in case an endpoint echoes it. */
    private String snippet(String body) {
        String text = body == null ? "" : body.replaceAll("\\s+", " ").trim();
        if (settings.apiKey().isPresent() && !settings.apiKey().get().isBlank()) {
            text = text.replace(settings.apiKey().get(), "****");
        }
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            // closing on shutdown; nothing to do
        }
    }

    @Override
    public String toString() {
        return "HttpEmbedder[" + settings + "]";
    }
}
