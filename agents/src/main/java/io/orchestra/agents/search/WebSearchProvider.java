package io.orchestra.agents.search;

import java.util.List;

/** A web search engine behind one interface: Wikipedia, SearXNG, Brave, Tavily. */
public interface WebSearchProvider {
    /** The name personas use in {@code search.providers}. */
    String name();

    /** Top results for {@code query}, best first; throws {@link SearchException} on any failure. */
    List<SearchResult> search(String query, int maxResults);
}
