package io.orchestra.agents.knowledge;

import io.orchestra.core.util.Vectors;
import io.orchestra.memory.embeddings.Embedder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Finds the chunks that answer a question: embedding similarity plus a small bonus for the
 * query's words appearing verbatim, returned as citations (document, chunk, excerpt).
 */
public final class DocumentSearch {
    /** One cited passage. */
    public record Citation(
            String documentId, String filename, String chunkId, int chunk, String excerpt, double score) {}

    private final DocumentStore store;
    private final Embedder embedder;

    public DocumentSearch(DocumentStore store, Embedder embedder) {
        this.store = store;
        this.embedder = embedder;
    }

    public List<Citation> search(String owner, String query, int k, String personaId) {
        List<DocumentStore.Candidate> candidates = store.candidates(owner, personaId);
        if (candidates.isEmpty()) {
            return List.of();
        }
        float[] q = embedder.embed(query);
        List<String> words = List.of(query.toLowerCase(Locale.ROOT).split("\\W+")).stream()
                .filter(w -> w.length() > 3)
                .toList();
        List<Citation> scored = new ArrayList<>();
        for (DocumentStore.Candidate c : candidates) {
            double score = Embedder.cosine(q, Vectors.decode(c.embedding()));
            String lower = c.text().toLowerCase(Locale.ROOT);
            long hits = words.stream().filter(lower::contains).count();
            score += words.isEmpty() ? 0 : 0.1 * hits / words.size();
            scored.add(new Citation(
                    c.documentId(),
                    c.filename(),
                    c.chunkId(),
                    c.ordinal(),
                    excerpt(c.text()),
                    Math.round(score * 1000) / 1000.0));
        }
        scored.sort(Comparator.comparingDouble(Citation::score).reversed());
        return List.copyOf(scored.subList(0, Math.min(k, scored.size())));
    }

    private static String excerpt(String text) {
        return text.length() <= 400 ? text : text.substring(0, 400) + "…";
    }
}
