package io.orchestra.server.agents;

import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.orchestra.agents.search.WebSearch;
import io.orchestra.core.error.ProblemException;
import io.orchestra.server.http.Requests;
import io.orchestra.server.http.RouteGroup;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** /api/search/web: the deployment's web search providers, merged. */
public final class SearchRoutes implements RouteGroup {
    private final WebSearch search;

    public SearchRoutes(WebSearch search) {
        this.search = search;
    }

    @Override
    public void addRoutes(JavalinDefaultRoutingApi routes) {
        routes.get("/api/search/web", this::web);
        routes.get("/api/search/providers", ctx -> ctx.json(Map.of("providers", search.available())));
    }

    private void web(Context ctx) {
        String query = ctx.queryParam("q");
        if (query == null || query.isBlank() || query.length() > 500) {
            throw ProblemException.badRequest("query parameter 'q' must be 1 to 500 characters");
        }
        int limit = Requests.queryInt(ctx, "limit", 5, 1, 50);
        String wanted = ctx.queryParam("providers");
        List<String> providers = wanted == null || wanted.isBlank()
                ? List.copyOf(search.available())
                : Arrays.stream(wanted.split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .toList();
        if (providers.isEmpty()) {
            throw ProblemException.unavailable(
                    "no web search provider is configured (see orchestra.search.* in docs/configuration.md)");
        }
        WebSearch.Outcome outcome = search.search(query.strip(), providers, limit);
        ctx.json(Map.of("query", query.strip(), "results", outcome.results(), "errors", outcome.errors()));
    }
}
