package io.orchestra.memory.embeddings;

import java.util.List;

/** Text to unit-length vectors. The in-process model by default; an HTTP endpoint is the alternative. */
public interface Embedder extends AutoCloseable {
    int dimensions();

    List<float[]> embed(List<String> texts);

    /** Loads what the first call would otherwise wait for (the in-process model); a no-op for remote endpoints. */
    default void warmUp() {}

    /** Frees what the embedder holds (the model, an HTTP client); nothing by default. */
    @Override
    default void close() {}

    default float[] embed(String text) {
        return embed(List.of(text)).getFirst();
    }

    /** Cosine similarity of two unit vectors. */
    static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot;
    }
}
