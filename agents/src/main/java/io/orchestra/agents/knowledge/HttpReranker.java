package io.orchestra.agents.knowledge;

import io.orchestra.core.config.AgentsSettings;
import io.orchestra.core.config.Secrets;
import io.orchestra.core.error.ProblemException;
import io.orchestra.core.json.Json;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * A rerank endpoint in the shape Cohere introduced and self-hosted servers (Infinity, llama.cpp's
 * server, vLLM, Jina) answer: POST {@code {model?, query, documents, top_n}}, answer
 * {@code {results: [{index, relevance_score}]}}.
 */
public final class HttpReranker implements Reranker {
    private final HttpClient client;
    private final URI url;
    private final AgentsSettings.Knowledge settings;

    public HttpReranker(HttpClient client, AgentsSettings.Knowledge settings) {
        this.client = client;
        this.url = settings.rerankerUrl().orElseThrow();
        this.settings = settings;
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public double minScore() {
        return settings.rerankerMinScore();
    }

    @Override
    public List<Double> scores(String query, List<String> passages) {
        Map<String, Object> body = new LinkedHashMap<>();
        settings.rerankerModel().ifPresent(model -> body.put("model", model));
        body.put("query", query);
        body.put("documents", passages);
        body.put("top_n", passages.size());
        var request = client.newRequest(url)
                .method(HttpMethod.POST)
                .timeout(settings.rerankerTimeoutMillis(), TimeUnit.MILLISECONDS)
                .headers(h -> h.put(HttpHeader.ACCEPT, "application/json"))
                .body(new StringRequestContent("application/json", Json.write(body)));
        settings.rerankerApiKey()
                .ifPresent(key -> request.headers(h -> h.put(HttpHeader.AUTHORIZATION, "Bearer " + key)));
        ContentResponse response;
        try {
            response = request.send();
        } catch (TimeoutException e) {
            throw failure(504, "did not answer within " + settings.rerankerTimeoutMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(502, "interrupted");
        } catch (ExecutionException e) {
            throw failure(
                    502,
                    "cannot be reached ("
                            + (e.getCause() == null ? e : e.getCause())
                                    .getClass()
                                    .getSimpleName() + ")");
        }
        if (response.getStatus() / 100 != 2) {
            throw failure(502, "answered HTTP " + response.getStatus());
        }
        return parse(response.getContentAsString(), passages.size());
    }

    private List<Double> parse(String json, int expected) {
        JsonNode results;
        try {
            results = Json.mapper().readTree(json).path("results");
        } catch (RuntimeException e) {
            throw failure(502, "answered with something that is not JSON");
        }
        List<Double> scores = new ArrayList<>(Collections.nCopies(expected, Double.NEGATIVE_INFINITY));
        if (!results.isArray()) {
            throw failure(502, "answered without a results array");
        }
        for (JsonNode result : results) {
            int index = result.path("index").asInt(-1);
            JsonNode score = result.has("relevance_score") ? result.path("relevance_score") : result.path("score");
            if (index < 0 || index >= expected || !score.isNumber()) {
                throw failure(502, "returned a result without a valid index and relevance_score");
            }
            scores.set(index, score.asDouble());
        }
        return scores;
    }

    private ProblemException failure(int status, String what) {
        return new ProblemException(
                status,
                "rerank-failed",
                "Reranker failed",
                "the reranker " + Secrets.maskUrl(url.toString()) + " " + what);
    }
}
