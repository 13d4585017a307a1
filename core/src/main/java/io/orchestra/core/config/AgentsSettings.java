package io.orchestra.core.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/** The agents module's settings ({@code orchestra.personas.*}, {@code orchestra.chat.*}, {@code orchestra.teams.*}, {@code orchestra.search.*}). */
public record AgentsSettings(Path personasDir, Chat chat, int teamParallelism, Search search, Knowledge knowledge) {

    /**
     * Document search ({@code orchestra.knowledge.*}): the least cosine a chunk found by meaning
     * alone needs, and the optional reranker endpoint (off without a URL). {@code toString} masks the key.
     */
    public record Knowledge(
            double minSimilarity,
            Optional<URI> rerankerUrl,
            Optional<String> rerankerModel,
            Optional<String> rerankerApiKey,
            double rerankerMinScore,
            long rerankerTimeoutMillis) {
        @Override
        public String toString() {
            return "Knowledge[minSimilarity=" + minSimilarity + ", rerankerUrl=" + rerankerUrl.orElse(null)
                    + ", rerankerModel=" + rerankerModel.orElse(null) + ", rerankerApiKey="
                    + rerankerApiKey.map(Secrets::mask).orElse("") + ", rerankerMinScore=" + rerankerMinScore
                    + ", rerankerTimeoutMillis=" + rerankerTimeoutMillis + "]";
        }
    }

    /** One persona chat turn: history budget, routing, memory extraction, the tool loop. */
    public record Chat(
            int historyTokens,
            double routingThreshold,
            boolean extractMemories,
            int maxSteps,
            long toolTimeoutMillis) {}

    /**
     * The web search providers: Wikipedia unless turned {@code off}, SearXNG with a URL, Brave and
     * Tavily with a key. {@code toString} masks the keys.
     */
    public record Search(
            long timeoutMillis,
            Optional<URI> wikipediaUrl,
            Optional<URI> searxngUrl,
            Optional<String> braveApiKey,
            URI braveUrl,
            Optional<String> tavilyApiKey,
            URI tavilyUrl) {
        @Override
        public String toString() {
            return "Search[timeoutMillis=" + timeoutMillis + ", wikipediaUrl=" + wikipediaUrl.orElse(null)
                    + ", searxngUrl=" + searxngUrl.orElse(null) + ", braveApiKey="
                    + braveApiKey.map(Secrets::mask).orElse("") + ", braveUrl=" + braveUrl + ", tavilyApiKey="
                    + tavilyApiKey.map(Secrets::mask).orElse("") + ", tavilyUrl=" + tavilyUrl + "]";
        }
    }

    static final URI WIKIPEDIA = URI.create("https://en.wikipedia.org");
    static final URI BRAVE = URI.create("https://api.search.brave.com/res/v1/web/search");
    static final URI TAVILY = URI.create("https://api.tavily.com/search");

    static AgentsSettings read(ConfigValues values) {
        Chat chat = new Chat(
                values.integer("orchestra.chat.history-tokens", 6000, 50, 2_000_000),
                values.number("orchestra.chat.routing-threshold", 0.25, 0, 1),
                values.bool("orchestra.chat.extract-memories", true),
                values.integer("orchestra.chat.max-steps", 6, 1, 50),
                values.whole("orchestra.chat.tool-timeout-ms", 15_000, 10, 600_000));
        boolean wikipediaOff = values.text("orchestra.search.wikipedia.url", "").equalsIgnoreCase("off");
        Search search = new Search(
                values.whole("orchestra.search.timeout-ms", 8000, 100, 120_000),
                wikipediaOff
                        ? Optional.empty()
                        : Optional.of(
                                values.httpUrl("orchestra.search.wikipedia.url").orElse(WIKIPEDIA)),
                values.httpUrl("orchestra.search.searxng.url"),
                values.optional("orchestra.search.brave.api-key"),
                values.httpUrl("orchestra.search.brave.url").orElse(BRAVE),
                values.optional("orchestra.search.tavily.api-key"),
                values.httpUrl("orchestra.search.tavily.url").orElse(TAVILY));
        return new AgentsSettings(
                values.path("orchestra.personas.dir").orElse(Path.of("personas")),
                chat,
                values.integer("orchestra.teams.parallelism", 4, 1, 64),
                search,
                new Knowledge(
                        values.number("orchestra.knowledge.min-similarity", 0.25, 0, 1),
                        values.httpUrl("orchestra.knowledge.reranker.url"),
                        values.optional("orchestra.knowledge.reranker.model"),
                        values.optional("orchestra.knowledge.reranker.api-key"),
                        values.number("orchestra.knowledge.reranker.min-score", 0, -1000, 1000),
                        values.whole("orchestra.knowledge.reranker.timeout-ms", 10_000, 100, 120_000)));
    }
}
