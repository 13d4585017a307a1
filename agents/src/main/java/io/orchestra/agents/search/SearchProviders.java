package io.orchestra.agents.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.jetty.client.HttpClient;

/** Builds the configured providers from {@code orchestra.search.*} settings. */
public final class SearchProviders {
    private SearchProviders() {}

    public static List<WebSearchProvider> fromSettings(Function<String, Optional<String>> setting, HttpClient client) {
        long timeout;
        try {
            timeout = setting.apply("orchestra.search.timeout-ms")
                    .map(String::trim)
                    .map(Long::parseLong)
                    .orElse(8000L);
        } catch (NumberFormatException e) {
            throw new io.orchestra.core.config.ConfigException(
                    List.of("orchestra.search.timeout-ms: expected a whole number of milliseconds"));
        }
        List<WebSearchProvider> providers = new ArrayList<>();
        String wikipedia = setting.apply("orchestra.search.wikipedia.url").orElse("https://en.wikipedia.org");
        if (!wikipedia.equals("off")) {
            providers.add(new WikipediaSearch(client, wikipedia, timeout));
        }
        setting.apply("orchestra.search.searxng.url")
                .ifPresent(url -> providers.add(new SearxngSearch(client, url, timeout)));
        setting.apply("orchestra.search.brave.api-key")
                .ifPresent(key -> providers.add(new BraveSearch(
                        client,
                        setting.apply("orchestra.search.brave.url").orElse(BraveSearch.DEFAULT_URL),
                        key,
                        timeout)));
        setting.apply("orchestra.search.tavily.api-key")
                .ifPresent(key -> providers.add(new TavilySearch(
                        client,
                        setting.apply("orchestra.search.tavily.url").orElse(TavilySearch.DEFAULT_URL),
                        key,
                        timeout)));
        return providers;
    }
}
