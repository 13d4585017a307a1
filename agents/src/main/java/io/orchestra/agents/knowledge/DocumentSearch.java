package io.orchestra.agents.knowledge;

import io.orchestra.core.util.Vectors;
import io.orchestra.memory.embeddings.Embedder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Finds the chunks that answer a question, from two rankings merged by reciprocal rank fusion:
 * the vector index (the one the memories use: pgvector or in-process) and the keyword index
 * (SQLite FTS5 or PostgreSQL full text). A chunk found only by meaning must be at least
 * {@code minSimilarity} close to the query, so a question about nothing in the documents gets
 * nothing; one that holds the query's words is kept. An optional {@link Reranker} then orders the
 * best few (and drops those under its own minimum). Returned as citations (document, chunk, excerpt).
 */
public final class DocumentSearch {
    /** The usual RRF constant: a rank's weight is 1 / (K + rank). */
    static final int RRF_K = 60;

    private static final Set<String> STOP = Set.of(
            "the", "and", "for", "are", "was", "were", "what", "which", "who", "whom", "how", "why", "when", "where",
            "with", "that", "this", "these", "those", "from", "does", "did", "has", "have", "had", "not", "but", "you",
            "your", "can", "could", "would", "should", "into", "about", "there", "their", "they", "its");

    /** One cited passage; {@code score} is the fused score, or the reranker's when one ran. */
    public record Citation(
            String documentId, String filename, String chunkId, int chunk, String excerpt, double score) {}

    private final DocumentStore store;
    private final Embedder embedder;
    private final Reranker reranker;
    private final double minSimilarity;

    public DocumentSearch(DocumentStore store, Embedder embedder, Reranker reranker, double minSimilarity) {
        this.store = store;
        this.embedder = embedder;
        this.reranker = reranker;
        this.minSimilarity = minSimilarity;
    }

    public List<Citation> search(String owner, String query, int k, String personaId) {
        int depth = Math.max(50, 5 * k);
        float[] q = embedder.embed(query);
        List<String> byMeaning = store.nearest(owner, q, depth);
        List<String> byWords = store.keyword(owner, words(query), personaId, depth);
        Set<String> ids = new LinkedHashSet<>(byMeaning);
        ids.addAll(byWords);
        Map<String, DocumentStore.Candidate> rows = new HashMap<>();
        store.candidates(owner, ids, personaId).forEach(c -> rows.put(c.chunkId(), c));

        Map<String, Double> fused = new HashMap<>();
        int rank = 0;
        for (String id : byMeaning) {
            DocumentStore.Candidate c = rows.get(id);
            // Out of scope (another persona's, not ready) or not close enough in meaning: not ranked.
            if (c != null && Embedder.cosine(q, Vectors.decode(c.embedding())) >= minSimilarity) {
                fused.merge(id, 1.0 / (RRF_K + ++rank), Double::sum);
            }
        }
        rank = 0;
        for (String id : byWords) {
            if (rows.containsKey(id)) {
                fused.merge(id, 1.0 / (RRF_K + ++rank), Double::sum);
            }
        }
        List<Citation> ranked = new ArrayList<>();
        fused.forEach((id, score) -> ranked.add(citation(rows.get(id), score)));
        ranked.sort(Comparator.comparingDouble(Citation::score).reversed().thenComparing(Citation::chunkId));
        if (reranker.enabled() && !ranked.isEmpty()) {
            return rerank(query, ranked.subList(0, Math.min(ranked.size(), Math.max(20, 3 * k))), rows, k);
        }
        return List.copyOf(ranked.subList(0, Math.min(k, ranked.size())));
    }

    private List<Citation> rerank(String query, List<Citation> best, Map<String, DocumentStore.Candidate> rows, int k) {
        List<String> texts =
                best.stream().map(c -> rows.get(c.chunkId()).text()).toList();
        List<Double> scores = reranker.scores(query, texts);
        List<Citation> out = new ArrayList<>();
        for (int i = 0; i < best.size(); i++) {
            if (scores.get(i) >= reranker.minScore()) {
                out.add(citation(rows.get(best.get(i).chunkId()), scores.get(i)));
            }
        }
        out.sort(Comparator.comparingDouble(Citation::score).reversed().thenComparing(Citation::chunkId));
        return List.copyOf(out.subList(0, Math.min(k, out.size())));
    }

    /** The query's words for the keyword index: letters and digits, three or more, no common function words. */
    public static List<String> words(String query) {
        Set<String> out = new LinkedHashSet<>();
        for (String word : query.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (word.length() >= 3 && !STOP.contains(word) && out.size() < 16) {
                out.add(word);
            }
        }
        return List.copyOf(out);
    }

    private static Citation citation(DocumentStore.Candidate c, double score) {
        return new Citation(
                c.documentId(),
                c.filename(),
                c.chunkId(),
                c.ordinal(),
                excerpt(c.text()),
                Math.round(score * 10_000) / 10_000.0);
    }

    private static String excerpt(String text) {
        return text.length() <= 400 ? text : text.substring(0, 400) + "…";
    }
}
