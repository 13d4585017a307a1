package io.orchestra.agents.search;

/** One web search hit, the same shape whichever provider found it. */
public record SearchResult(String title, String url, String snippet, String provider, int rank) {}
