package io.orchestra.memory.index;

/**
 * The in-process engine's parameters. Owners with at most {@code exactLimit} items are searched
 * exactly; above it an HNSW graph of the given degree, built with {@code buildBeam} candidates and
 * searched with {@code searchBeam} (higher: better recall, slower). The defaults are what
 * bench/memory/recall.sh measured (docs/benchmarks.md).
 */
public record Tuning(int exactLimit, int degree, int buildBeam, int searchBeam) {
    public static final Tuning DEFAULT = new Tuning(2000, 32, 200, 4000);
}
