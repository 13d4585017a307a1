package io.orchestra.memory.index;

import io.github.jbellis.jvector.graph.GraphIndexBuilder;
import io.github.jbellis.jvector.graph.GraphSearcher;
import io.github.jbellis.jvector.graph.ListRandomAccessVectorValues;
import io.github.jbellis.jvector.graph.SearchResult;
import io.github.jbellis.jvector.vector.VectorSimilarityFunction;
import io.github.jbellis.jvector.vector.VectorUtil;
import io.github.jbellis.jvector.vector.VectorizationProvider;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import io.github.jbellis.jvector.vector.types.VectorTypeSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * One owner's vectors in memory. Up to {@code exactLimit} live items a query compares with each
 * (exact, and cheaper than a graph at that size); above it a jvector HNSW graph answers, built
 * once when the owner crosses the limit and updated per write. Per-owner graphs make owner
 * scoping exact: another owner's vectors are never in the structure searched. Not thread-safe;
 * {@link InProcessIndex} serialises access.
 */
final class OwnerVectors {
    static final VectorTypeSupport TYPES = VectorizationProvider.getInstance().getVectorTypeSupport();

    private final Tuning tuning;
    private final Map<String, Integer> ordinals = new HashMap<>();
    private final List<String> ids = new ArrayList<>();
    /**
     * Ordinal to unit-length vector (null once removed before a graph exists). Vectors are stored
     * normalised so the cosine is a plain dot product, a third of the arithmetic of jvector's cosine.
     */
    private final List<VectorFloat<?>> vectors = new ArrayList<>();

    private final Set<Integer> deletedInGraph = new HashSet<>();
    private int dimension = -1;
    private boolean loading;
    private GraphIndexBuilder graph;
    private ListRandomAccessVectorValues values;

    OwnerVectors(Tuning tuning) {
        this.tuning = tuning;
    }

    int size() {
        return ordinals.size();
    }

    boolean usesGraph() {
        return graph != null;
    }

    void put(String id, float[] vector) {
        if (dimension < 0) {
            dimension = vector.length;
        } else if (vector.length != dimension) {
            // A different model's vector cannot be compared with the others: leave it out rather than fail every
            // search.
            remove(id);
            return;
        }
        remove(id);
        int ordinal = ids.size();
        ids.add(id);
        ordinals.put(id, ordinal);
        VectorFloat<?> v = unit(vector);
        vectors.add(v);
        if (graph != null) {
            graph.addGraphNode(ordinal, v);
        } else if (ordinals.size() > tuning.exactLimit() && !loading) {
            buildGraph();
        }
    }

    /** Adds many items, then builds the graph once (in parallel) if they are more than the exact limit. */
    void load(Map<String, float[]> items) {
        loading = true;
        items.forEach(this::put);
        loading = false;
        if (graph == null && ordinals.size() > tuning.exactLimit()) {
            buildGraph();
        }
    }

    void remove(String id) {
        Integer ordinal = ordinals.remove(id);
        if (ordinal == null) {
            return;
        }
        ids.set(ordinal, null);
        if (graph == null) {
            vectors.set(ordinal, null);
            return;
        }
        graph.markNodeDeleted(ordinal);
        deletedInGraph.add(ordinal);
        // Deleted nodes still route searches; past a quarter of the graph, rebuild it without them.
        if (deletedInGraph.size() > Math.max(1000, ordinals.size() / 4)) {
            closeGraph();
            buildGraph();
        }
    }

    List<Neighbour> nearest(float[] query, int k) {
        if (ordinals.isEmpty() || query.length != dimension || k <= 0) {
            return List.of();
        }
        VectorFloat<?> q = unit(query);
        List<Neighbour> out = new ArrayList<>();
        if (graph == null) {
            PriorityQueue<Neighbour> best = new PriorityQueue<>(Comparator.comparingDouble(Neighbour::score));
            for (Map.Entry<String, Integer> e : ordinals.entrySet()) {
                best.add(new Neighbour(e.getKey(), VectorUtil.dotProduct(q, vectors.get(e.getValue()))));
                if (best.size() > k) {
                    best.poll();
                }
            }
            out.addAll(best);
            out.sort(Comparator.comparingDouble(Neighbour::score).reversed());
            return out;
        }
        // Ask for searchBeam results (the beam is as wide as the results asked for) and keep the best k.
        SearchResult result = GraphSearcher.search(
                q,
                Math.max(k, tuning.searchBeam()),
                values,
                VectorSimilarityFunction.DOT_PRODUCT,
                graph.getGraph(),
                ordinal -> ordinal < ids.size() && ids.get(ordinal) != null);
        for (SearchResult.NodeScore node : result.getNodes()) {
            if (out.size() == k) {
                break;
            }
            // jvector scores a dot product as (1 + dot) / 2; of unit vectors the dot is the cosine callers get.
            out.add(new Neighbour(ids.get(node.node), 2 * node.score - 1));
        }
        return out;
    }

    /** Renumbers the live items densely (jvector expects ordinals 0..n-1) and builds the graph over them. */
    private void buildGraph() {
        List<String> live = new ArrayList<>(ordinals.keySet());
        List<VectorFloat<?>> dense = new ArrayList<>(live.size());
        for (String id : live) {
            dense.add(vectors.get(ordinals.get(id)));
        }
        ids.clear();
        ids.addAll(live);
        ordinals.clear();
        for (int i = 0; i < live.size(); i++) {
            ordinals.put(live.get(i), i);
        }
        vectors.clear();
        vectors.addAll(dense);
        deletedInGraph.clear();
        // The builder's worker threads read the list; nothing writes it until the build returns.
        values = new ListRandomAccessVectorValues(vectors, dimension);
        graph = new GraphIndexBuilder(
                values, VectorSimilarityFunction.DOT_PRODUCT, tuning.degree(), tuning.buildBeam(), 1.2f, 1.2f, true);
        java.util.stream.IntStream.range(0, live.size())
                .parallel()
                .forEach(ordinal -> graph.addGraphNode(ordinal, vectors.get(ordinal)));
        // Completes the concurrent insertions and enforces the degree limit before the first search.
        graph.cleanup();
    }

    /** The vector scaled to unit length (a zero vector stays zero: it is similar to nothing). */
    private static VectorFloat<?> unit(float[] vector) {
        double norm = 0;
        for (float x : vector) {
            norm += x * x;
        }
        float[] scaled = vector.clone();
        if (norm > 0) {
            float inverse = (float) (1 / Math.sqrt(norm));
            for (int i = 0; i < scaled.length; i++) {
                scaled[i] *= inverse;
            }
        }
        return TYPES.createFloatVector(scaled);
    }

    private void closeGraph() {
        try {
            graph.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        graph = null;
    }

    void close() {
        if (graph != null) {
            closeGraph();
        }
    }
}
