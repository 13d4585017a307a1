package io.orchestra.agents.search;

import java.util.List;
import tools.jackson.databind.JsonNode;

/** Brave Search API (web search), authenticated with {@code X-Subscription-Token}. */
public final class BraveSearch implements WebSearchProvider {
    private final SearchHttp http;
    private final String url;
    private final String apiKey;

    public BraveSearch(org.eclipse.jetty.client.HttpClient client, String url, String apiKey, long timeoutMillis) {
        this.http = new SearchHttp(client, timeoutMillis);
        this.url = url;
        this.apiKey = apiKey;
    }

    @Override
    public String name() {
        return "brave";
    }

    @Override
    public List<SearchResult> search(String query, int maxResults) {
        JsonNode body = http.send(
                name(),
                http.newRequest(url)
                        .param("q", query)
                        .param("count", Integer.toString(Math.min(maxResults, 20)))
                        .headers(h -> h.put("X-Subscription-Token", apiKey)));
        JsonNode hits = body.path("web").path("results");
        if (!hits.isArray()) {
            return List.of();
        }
        return SearchHttp.results(name(), hits, maxResults, "title", "url", "description");
    }
}
