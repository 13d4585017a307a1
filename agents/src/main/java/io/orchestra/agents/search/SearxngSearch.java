package io.orchestra.agents.search;

import java.util.List;
import tools.jackson.databind.JsonNode;

/** A self-hosted SearXNG instance's JSON API ({@code format=json} must be enabled on the instance). */
public final class SearxngSearch implements WebSearchProvider {
    private final SearchHttp http;
    private final String baseUrl;

    public SearxngSearch(org.eclipse.jetty.client.HttpClient client, String baseUrl, long timeoutMillis) {
        this.http = new SearchHttp(client, timeoutMillis);
        this.baseUrl = baseUrl.replaceAll("/+$", "");
    }

    @Override
    public String name() {
        return "searxng";
    }

    @Override
    public List<SearchResult> search(String query, int maxResults) {
        JsonNode body = http.send(
                name(), http.newRequest(baseUrl + "/search").param("q", query).param("format", "json"));
        JsonNode hits = body.path("results");
        if (!hits.isArray()) {
            throw new SearchException(name() + ": unexpected answer (no results list; is format=json enabled?)");
        }
        return SearchHttp.results(name(), hits, maxResults, "title", "url", "content");
    }
}
