package io.orchestra.memory.graph;

import io.orchestra.core.storage.Database;
import io.orchestra.memory.embeddings.Embedder;
import io.orchestra.memory.index.Neighbour;
import io.orchestra.memory.index.VectorIndex;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * search_nodes. By default exactly the reference server's matches ({@link KnowledgeGraph#searchNodes},
 * ranked): a drop-in client gets the same answer, in about a millisecond. Hybrid when asked: every
 * substring match in its ranking, then the entities whose embedding is closest to the query
 * (cosine at least {@code minSimilarity}) that the substring search missed, best first; one
 * ranking, paged with limit and offset. Opt-in because embedding the query and searching the
 * vectors costs several times the substring search (docs/benchmarks.md).
 */
public final class GraphSearch {
    private final KnowledgeGraph graph;
    private final Database database;
    private final Embedder embedder;
    private final VectorIndex index;
    private final double minSimilarity;

    public GraphSearch(
            KnowledgeGraph graph, Database database, Embedder embedder, VectorIndex index, double minSimilarity) {
        this.graph = graph;
        this.database = database;
        this.embedder = embedder;
        this.index = index;
        this.minSimilarity = minSimilarity;
    }

    /** Substring matches only, as the reference server ({@code orchestra.memory.graph.semantic=false}). */
    public static GraphSearch substringOnly(KnowledgeGraph graph) {
        return new GraphSearch(graph, null, null, null, 0);
    }

    /** As {@link #search}, saying where the next page starts (one more entity is looked for). */
    public Page searchPage(String owner, String query, int limit, int offset, boolean hybrid, AsOf asOf) {
        if (!hybrid) {
            if (limit < 1 || offset < 0) {
                throw new IllegalArgumentException("limit must be at least 1 and offset at least 0");
            }
            return graph.searchPage(owner, query, limit, offset, asOf);
        }
        if (asOf.millis() != null) {
            // Entity embeddings describe the graph as it is now.
            throw new IllegalArgumentException("semantic search answers for now only: leave out as_of or semantic");
        }
        Graph found = search(owner, query, limit + 1, offset, true);
        if (found.entities().size() <= limit) {
            return new Page(found, null);
        }
        List<Entity> kept = found.entities().subList(0, limit);
        Set<String> names = new HashSet<>();
        kept.forEach(e -> names.add(e.name()));
        List<Relation> relations = found.relations().stream()
                .filter(r -> names.contains(r.from()) || names.contains(r.to()))
                .toList();
        return new Page(new Graph(List.copyOf(kept), relations), offset + limit);
    }

    public Graph search(String owner, String query, int limit, int offset, boolean hybrid) {
        if (limit < 1 || offset < 0) {
            throw new IllegalArgumentException("limit must be at least 1 and offset at least 0");
        }
        if (hybrid && index == null) {
            throw new GraphException(
                    "semantic search is off on this server: set orchestra.memory.graph.semantic=true to compute entity embeddings");
        }
        Graph page = graph.searchNodes(owner, query, limit, offset);
        if (!hybrid || page.entities().size() == limit) {
            return page;
        }
        // The substring matches end on this page (or before it): how many there are in all.
        List<Entity> substring = page.entities().isEmpty() && offset > 0
                ? graph.searchNodes(owner, query, offset, 0).entities()
                : page.entities();
        int substringTotal = page.entities().isEmpty() && offset > 0
                ? substring.size()
                : offset + page.entities().size();
        Set<String> matched = new HashSet<>();
        if (page.entities().isEmpty() || offset == 0) {
            substring.forEach(e -> matched.add(e.name()));
        } else {
            graph.searchNodes(owner, query, substringTotal, 0).entities().forEach(e -> matched.add(e.name()));
        }
        int semanticOffset = Math.max(0, offset - substringTotal);
        int wanted = limit - page.entities().size();
        List<String> semantic = semanticNames(owner, query, matched, semanticOffset + wanted);
        List<String> extra = semantic.subList(Math.min(semanticOffset, semantic.size()), semantic.size());
        if (extra.isEmpty()) {
            return page;
        }
        List<String> names = new ArrayList<>();
        page.entities().forEach(e -> names.add(e.name()));
        names.addAll(extra);
        Graph opened = graph.openNodes(owner, names);
        Map<String, Entity> byName = new HashMap<>();
        opened.entities().forEach(e -> byName.put(e.name(), e));
        List<Entity> ordered =
                names.stream().filter(byName::containsKey).map(byName::get).toList();
        return new Graph(ordered, opened.relations());
    }

    /** Names of the owner's entities nearest to the query that are not substring matches, best first, at most {@code count}. */
    private List<String> semanticNames(String owner, String query, Set<String> matched, int count) {
        if (count <= 0) {
            return List.of();
        }
        float[] vector = embedder.embed(query);
        List<Neighbour> neighbours =
                database.jdbi().withHandle(h -> index.nearest(h, owner, vector, count + matched.size()));
        List<String> ids = neighbours.stream()
                .filter(n -> n.score() >= minSimilarity)
                .map(Neighbour::id)
                .toList();
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<String, String> names = new HashMap<>();
        database.jdbi()
                .useHandle(h -> h.createQuery(
                                "SELECT id, name FROM memory_entities WHERE owner = :owner AND id IN (<ids>)")
                        .bind("owner", owner)
                        .bindList("ids", ids)
                        .map((rs, ctx) -> Map.entry(rs.getString("id"), rs.getString("name")))
                        .forEach(e -> names.put(e.getKey(), e.getValue())));
        List<String> out = new ArrayList<>();
        for (String id : ids) {
            String name = names.get(id);
            if (name != null && !matched.contains(name) && out.size() < count) {
                out.add(name);
            }
        }
        return out;
    }
}
