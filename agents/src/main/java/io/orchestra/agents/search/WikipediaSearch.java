package io.orchestra.agents.search;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Wikipedia's MediaWiki search API; needs no key. */
public final class WikipediaSearch implements WebSearchProvider {
    private final SearchHttp http;
    private final String baseUrl;

    /** @param baseUrl e.g. {@code https://en.wikipedia.org} */
    public WikipediaSearch(org.eclipse.jetty.client.HttpClient client, String baseUrl, long timeoutMillis) {
        this.http = new SearchHttp(client, timeoutMillis);
        this.baseUrl = baseUrl.replaceAll("/+$", "");
    }

    @Override
    public String name() {
        return "wikipedia";
    }

    @Override
    public List<SearchResult> search(String query, int maxResults) {
        JsonNode body = http.send(
                name(),
                http.newRequest(baseUrl + "/w/api.php")
                        .param("action", "query")
                        .param("list", "search")
                        .param("format", "json")
                        .param("utf8", "1")
                        .param("srlimit", Integer.toString(maxResults))
                        .param("srsearch", query));
        JsonNode hits = body.path("query").path("search");
        if (!hits.isArray()) {
            throw new SearchException(name() + ": unexpected answer (no query.search list)");
        }
        List<SearchResult> results = new ArrayList<>();
        for (JsonNode hit : hits) {
            String title = hit.path("title").asString("");
            String url = baseUrl + "/wiki/" + URLEncoder.encode(title.replace(' ', '_'), StandardCharsets.UTF_8);
            results.add(new SearchResult(
                    title, url, SearchHttp.plain(hit.path("snippet").asString("")), name(), results.size() + 1));
            if (results.size() == maxResults) {
                break;
            }
        }
        return results;
    }
}
