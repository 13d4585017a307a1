package io.orchestra.agents.search;

import io.orchestra.core.config.AgentsSettings;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.client.HttpClient;

/** Builds the configured providers from the validated {@code orchestra.search.*} settings. */
public final class SearchProviders {
    private SearchProviders() {}

    public static List<WebSearchProvider> of(AgentsSettings.Search settings, HttpClient client) {
        long timeout = settings.timeoutMillis();
        List<WebSearchProvider> providers = new ArrayList<>();
        settings.wikipediaUrl().ifPresent(url -> providers.add(new WikipediaSearch(client, url.toString(), timeout)));
        settings.searxngUrl().ifPresent(url -> providers.add(new SearxngSearch(client, url.toString(), timeout)));
        settings.braveApiKey()
                .ifPresent(key -> providers.add(
                        new BraveSearch(client, settings.braveUrl().toString(), key, timeout)));
        settings.tavilyApiKey()
                .ifPresent(key -> providers.add(
                        new TavilySearch(client, settings.tavilyUrl().toString(), key, timeout)));
        return providers;
    }
}
