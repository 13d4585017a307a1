package io.orchestra.core.config;

import java.util.Locale;

/** The memory module's settings ({@code orchestra.memory.*}, {@code orchestra.embeddings.*}), validated at load. */
public record MemorySettings(
        VectorEngine vectorEngine, boolean semanticGraph, double semanticMinSimilarity, EmbeddingsSettings embeddings) {

    /** Which vector search engine serves memories and entities. */
    public enum VectorEngine {
        /** pgvector when the PostgreSQL server has it, else in-process. */
        AUTO,
        /** pgvector or a start-up error. */
        PGVECTOR,
        IN_PROCESS;

        public String wire() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    static MemorySettings read(ConfigValues values) {
        return new MemorySettings(
                values.choice("orchestra.memory.vector-engine", VectorEngine.AUTO, VectorEngine::wire),
                values.bool("orchestra.memory.graph.semantic", false),
                values.number("orchestra.memory.graph.semantic-min-similarity", 0.35, -1, 1),
                EmbeddingsSettings.read(values));
    }
}
