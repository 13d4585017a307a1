package io.orchestra.agents.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javalin.Javalin;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each provider against a fake server that answers in that provider's recorded format. */
class WebSearchProvidersTest {
    static final String BRAVE_KEY = "BSA-secret-brave-key";
    static final String TAVILY_KEY = "tvly-secret-key";
    static Javalin fake;
    static HttpClient client;
    static String base;
    static final Map<String, String> lastQuery = new ConcurrentHashMap<>();

    static String fixture(String name) {
        try (InputStream in = WebSearchProvidersTest.class.getResourceAsStream("/search/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        fake = Javalin.create(config -> {
                    config.routes.get("/w/api.php", ctx -> {
                        lastQuery.put(
                                "wikipedia",
                                ctx.queryParam("srsearch") + "|" + ctx.queryParam("srlimit") + "|"
                                        + ctx.queryParam("list"));
                        ctx.contentType("application/json").result(fixture("wikipedia.json"));
                    });
                    config.routes.get("/search", ctx -> {
                        lastQuery.put("searxng", ctx.queryParam("q") + "|" + ctx.queryParam("format"));
                        ctx.contentType("application/json").result(fixture("searxng.json"));
                    });
                    config.routes.get("/res/v1/web/search", ctx -> {
                        if (!BRAVE_KEY.equals(ctx.header("X-Subscription-Token"))) {
                            ctx.status(401)
                                    .result(
                                            "{\"type\":\"ErrorResponse\",\"error\":{\"code\":\"SUBSCRIPTION_TOKEN_INVALID\",\"status\":401}}");
                            return;
                        }
                        lastQuery.put("brave", ctx.queryParam("q") + "|" + ctx.queryParam("count"));
                        ctx.contentType("application/json").result(fixture("brave.json"));
                    });
                    config.routes.post("/tavily/search", ctx -> {
                        if (!("Bearer " + TAVILY_KEY).equals(ctx.header("Authorization"))) {
                            ctx.status(401)
                                    .result("{\"detail\":{\"error\":\"Unauthorized: missing or invalid API key.\"}}");
                            return;
                        }
                        lastQuery.put("tavily", ctx.body());
                        ctx.contentType("application/json").result(fixture("tavily.json"));
                    });
                    config.routes.get("/broken/search", ctx -> ctx.status(503).result("upstream down"));
                    config.routes.get(
                            "/html/search", ctx -> ctx.contentType("text/html").result("<html>captcha</html>"));
                    config.routes.get("/slow/search", ctx -> {
                        Thread.sleep(2000);
                        ctx.result("{}");
                    });
                })
                .start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + fake.port();
        client = new HttpClient();
        client.start();
    }

    @AfterAll
    static void stop() throws Exception {
        client.stop();
        fake.stop();
    }

    @Test
    void wikipediaResultsHaveArticleUrlsAndPlainSnippets() {
        List<SearchResult> results = new WikipediaSearch(client, base, 2000).search("interchange fee", 2);
        assertThat(lastQuery.get("wikipedia")).isEqualTo("interchange fee|2|search");
        assertThat(results).hasSize(2);
        assertThat(results.get(0).title()).isEqualTo("Interchange fee");
        assertThat(results.get(0).url()).isEqualTo(base + "/wiki/Interchange_fee");
        assertThat(results.get(0).snippet())
                .startsWith("An interchange fee is a fee paid")
                .contains("merchant's bank")
                .doesNotContain("<span");
        assertThat(results.get(1).snippet()).contains("interchange & scheme fee");
    }

    @Test
    void searxngResultsKeepTheirOrder() {
        List<SearchResult> results = new SearxngSearch(client, base, 2000).search("clinical trial phases", 5);
        assertThat(lastQuery.get("searxng")).isEqualTo("clinical trial phases|json");
        assertThat(results)
                .extracting(SearchResult::url)
                .containsExactly(
                        "https://www.fda.gov/patients/drug-development-process/step-3-clinical-research",
                        "https://en.wikipedia.org/wiki/Phases_of_clinical_research");
        assertThat(results.get(0).snippet()).contains("Phase 2 studies").doesNotContain("<b>");
    }

    @Test
    void braveSendsItsTokenAndReadsWebResults() {
        List<SearchResult> results =
                new BraveSearch(client, base + "/res/v1/web/search", BRAVE_KEY, 2000).search("interchange fees", 5);
        assertThat(lastQuery.get("brave")).isEqualTo("interchange fees|5");
        assertThat(results)
                .extracting(SearchResult::title)
                .containsExactly("What are interchange fees? | Stripe", "Interchange fee - Wikipedia");
        assertThat(results.get(0).snippet()).startsWith("Interchange fees are charged");
    }

    @Test
    void tavilyPostsJsonWithABearerKey() {
        List<SearchResult> results = new TavilySearch(client, base + "/tavily/search", TAVILY_KEY, 2000)
                .search("ICD-10 coding guidelines", 1);
        assertThat(lastQuery.get("tavily")).contains("\"query\":\"ICD-10 coding guidelines\"", "\"max_results\":1");
        assertThat(results).hasSize(1);
        assertThat(results.get(0).url()).contains("icd-10-cm-coding-guidelines");
    }

    @Test
    void rejectedKeysFailClearlyWithoutEchoingTheKey() {
        assertThatThrownBy(() -> new BraveSearch(client, base + "/res/v1/web/search", "wrong-key", 2000).search("x", 3))
                .isInstanceOf(SearchException.class)
                .hasMessage("brave: the API key was rejected (HTTP 401)")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("wrong-key"));
        assertThatThrownBy(() -> new TavilySearch(client, base + "/tavily/search", "bad", 2000).search("x", 3))
                .hasMessage("tavily: the API key was rejected (HTTP 401)");
    }

    @Test
    void upstreamFailuresBecomeSearchExceptions() {
        assertThatThrownBy(() -> new SearxngSearch(client, base + "/broken", 2000).search("x", 3))
                .hasMessage("searxng: HTTP 503");
        assertThatThrownBy(() -> new SearxngSearch(client, base + "/html", 2000).search("x", 3))
                .hasMessage("searxng: answered with something that is not JSON");
        assertThatThrownBy(() -> new SearxngSearch(client, base + "/slow", 300).search("x", 3))
                .hasMessage("searxng: timed out");
        assertThatThrownBy(() -> new WikipediaSearch(client, "http://127.0.0.1:1", 2000).search("x", 3))
                .hasMessage("wikipedia: cannot connect");
    }

    @Test
    void webSearchMergesProvidersAndReportsFailuresBesideResults() {
        WebSearch search = new WebSearch(List.of(
                new WikipediaSearch(client, base, 2000),
                new SearxngSearch(client, base + "/broken", 2000),
                new BraveSearch(client, base + "/res/v1/web/search", BRAVE_KEY, 2000)));
        WebSearch.Outcome outcome =
                search.search("interchange fee", List.of("wikipedia", "searxng", "brave", "tavily"), 4);
        assertThat(outcome.results())
                .extracting(SearchResult::provider)
                .containsExactly("wikipedia", "brave", "wikipedia", "brave");
        assertThat(outcome.errors())
                .containsEntry("searxng", "searxng: HTTP 503")
                .containsEntry("tavily", "tavily: not configured on this deployment");
    }

    @Test
    void mergeDropsDuplicateUrls() {
        SearchResult a = new SearchResult("A", "https://a", "", "p1", 1);
        SearchResult dup = new SearchResult("A again", "https://a", "", "p2", 1);
        SearchResult b = new SearchResult("B", "https://b", "", "p2", 2);
        assertThat(WebSearch.interleave(List.of(List.of(a), List.of(dup, b)), 10))
                .containsExactly(a, b);
    }
}
