package io.orchestra.agents.persona;

import io.orchestra.memory.embeddings.Embedder;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Picks the persona for a message by embedding similarity against each persona's description and
 * domains. Below {@code threshold}, or when the best is not clearly ahead, the coordinator answers.
 */
public final class PersonaRouter {
    /** The choice, how sure the router is, and why, for the reply to say. */
    public record Choice(Persona persona, double confidence, String reason) {}

    private final Embedder embedder;
    private final double threshold;
    private final Map<String, float[]> profiles = new ConcurrentHashMap<>();

    public PersonaRouter(Embedder embedder, double threshold) {
        this.embedder = embedder;
        this.threshold = threshold;
    }

    public Choice route(String message, List<Persona> candidates) {
        Persona coordinator =
                candidates.stream().filter(Persona::coordinator).findFirst().orElse(null);
        float[] query = embedder.embed(message);
        Persona best = null;
        double bestScore = -1;
        double second = -1;
        for (Persona persona :
                candidates.stream().sorted(Comparator.comparing(Persona::id)).toList()) {
            if (persona.coordinator()) {
                continue;
            }
            double score = score(query, persona);
            if (score > bestScore) {
                second = bestScore;
                bestScore = score;
                best = persona;
            } else if (score > second) {
                second = score;
            }
        }
        if (best == null || (coordinator != null && (bestScore < threshold || bestScore - second < 0.02))) {
            Persona fallback = coordinator != null ? coordinator : best;
            return new Choice(
                    fallback,
                    Math.max(0, bestScore),
                    best == null
                            ? "no specialist is available"
                            : "no specialist matched clearly (best: " + best.id() + " at " + round(bestScore)
                                    + ", threshold " + threshold + "), so the coordinator answers");
        }
        return new Choice(
                best,
                bestScore,
                "closest to " + best.name() + "'s domains (" + String.join(", ", best.domains()) + ") with similarity "
                        + round(bestScore) + (second >= 0 ? " vs " + round(second) + " for the next" : ""));
    }

    /**
     * The best match among the persona's description and each of its domains: a short question is
     * closer to one domain ("clinical trials") than to a paragraph covering many.
     */
    private double score(float[] query, Persona persona) {
        double best = Embedder.cosine(query, vector(persona.description()));
        for (String domain : persona.domains()) {
            best = Math.max(best, Embedder.cosine(query, vector(domain)));
        }
        return best;
    }

    private float[] vector(String text) {
        return profiles.computeIfAbsent(text, embedder::embed);
    }

    private static String round(double value) {
        return String.format(java.util.Locale.ROOT, "%.2f", value);
    }
}
