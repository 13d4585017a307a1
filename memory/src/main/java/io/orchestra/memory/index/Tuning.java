package io.orchestra.memory.index;

/**
 * The in-process engine's parameters. Owners with at most {@code exactLimit} items are searched
 * exactly; above it an HNSW graph of the given degree, built with {@code buildBeam} candidates and
 * searched with {@code searchBeam} (higher: better recall, slower). The defaults are what
 * bench/memory/recall.sh measured on embeddings of real sentences (docs/benchmarks.md): a beam of 400 finds the
 * exact top 10 at 10k and 100k items, where 4000 (chosen for random vectors, the worst case) was slower than
 * the exact scan at 10k and five times slower than 400 at 100k.
 */
public record Tuning(int exactLimit, int degree, int buildBeam, int searchBeam) {
    public static final Tuning DEFAULT = new Tuning(2000, 32, 200, 400);
}
