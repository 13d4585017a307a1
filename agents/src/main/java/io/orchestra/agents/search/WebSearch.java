package io.orchestra.agents.search;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a query on several providers at once and merges their answers by rank (round-robin, first
 * URL wins). A failing provider is reported next to the results, never fails the whole search.
 */
public final class WebSearch {
    /** Merged results plus each provider's error, if it had one. */
    public record Outcome(List<SearchResult> results, Map<String, String> errors) {}

    private final Map<String, WebSearchProvider> providers = new LinkedHashMap<>();

    public WebSearch(List<WebSearchProvider> available) {
        available.forEach(p -> providers.put(p.name(), p));
    }

    public Set<String> available() {
        return providers.keySet();
    }

    public Outcome search(String query, List<String> wanted, int maxResults) {
        Map<String, String> errors = new LinkedHashMap<>();
        List<WebSearchProvider> chosen = new ArrayList<>();
        for (String name : wanted) {
            WebSearchProvider provider = providers.get(name);
            if (provider == null) {
                errors.put(name, name + ": not configured on this deployment");
            } else {
                chosen.add(provider);
            }
        }
        List<List<SearchResult>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<SearchResult>>> futures = chosen.stream()
                    .map(p -> pool.submit(() -> p.search(query, maxResults)))
                    .toList();
            for (int i = 0; i < futures.size(); i++) {
                try {
                    answers.add(futures.get(i).get());
                } catch (java.util.concurrent.ExecutionException e) {
                    errors.put(chosen.get(i).name(), e.getCause().getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    errors.put(chosen.get(i).name(), "interrupted");
                }
            }
        }
        return new Outcome(interleave(answers, maxResults), errors);
    }

    static List<SearchResult> interleave(List<List<SearchResult>> answers, int maxResults) {
        List<SearchResult> merged = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        int longest = answers.stream().mapToInt(List::size).max().orElse(0);
        for (int rank = 0; rank < longest && merged.size() < maxResults; rank++) {
            for (List<SearchResult> answer : answers) {
                if (rank < answer.size()
                        && merged.size() < maxResults
                        && seen.add(answer.get(rank).url())) {
                    merged.add(answer.get(rank));
                }
            }
        }
        return merged;
    }
}
