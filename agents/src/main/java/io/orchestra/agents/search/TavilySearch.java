package io.orchestra.agents.search;

import io.orchestra.core.json.Json;
import java.util.List;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Tavily's search API: POST JSON, bearer key. */
public final class TavilySearch implements WebSearchProvider {
    private final SearchHttp http;
    private final String url;
    private final String apiKey;

    public TavilySearch(org.eclipse.jetty.client.HttpClient client, String url, String apiKey, long timeoutMillis) {
        this.http = new SearchHttp(client, timeoutMillis);
        this.url = url;
        this.apiKey = apiKey;
    }

    @Override
    public String name() {
        return "tavily";
    }

    @Override
    public List<SearchResult> search(String query, int maxResults) {
        ObjectNode request = Json.object();
        request.put("query", query);
        request.put("max_results", maxResults);
        request.put("search_depth", "basic");
        JsonNode body = http.send(
                name(),
                http.newRequest(url)
                        .method(HttpMethod.POST)
                        .headers(h -> h.put("Authorization", "Bearer " + apiKey))
                        .body(new StringRequestContent("application/json", Json.write(request))));
        JsonNode hits = body.path("results");
        if (!hits.isArray()) {
            throw new SearchException(name() + ": unexpected answer (no results list)");
        }
        return SearchHttp.results(name(), hits, maxResults, "title", "url", "content");
    }
}
