package io.orchestra.server.ui;

import io.orchestra.memory.graph.Entity;
import io.orchestra.memory.graph.Graph;
import io.orchestra.memory.graph.KnowledgeGraph;
import io.orchestra.memory.graph.Relation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One entity of the knowledge graph, the relations that touch it, and a radial layout for an SVG
 * drawing: the entity in the middle, each neighbour on a circle around it.
 */
public record EntityGraph(
        Entity entity, List<Relation> relations, List<Node> nodes, List<Edge> edges, boolean partial) {
    /** The graph API has no "relations of one entity" query, so they are read from the owner's graph up to this many entities. */
    static final int SCAN_LIMIT = 5_000;

    static final int MAX_DRAWN = 24;
    static final double CX = 300;
    static final double CY = 200;
    static final double RADIUS = 150;

    public record Node(String name, String type, double x, double y, boolean centre) {
        /** Neighbours above the centre carry their name above the circle, clear of the incoming line. */
        public double labelY() {
            return !centre && y < CY - 1 ? y - 30 : y + (centre ? 46 : 38);
        }

        public String label() {
            return name.length() > 22 ? name.substring(0, 21) + "…" : name;
        }
    }

    /**
     * A relation drawn from its source to its target; the line stops short of the target so the
     * arrow head shows, and the label sits nearer the neighbour so it clears the centre's name.
     */
    public record Edge(double x1, double y1, double x2, double y2, String label, double labelX, double labelY) {
        static Edge of(Node centre, Node neighbour, boolean outgoing, String label) {
            Node from = outgoing ? centre : neighbour;
            Node to = outgoing ? neighbour : centre;
            double length = Math.hypot(to.x() - from.x(), to.y() - from.y());
            double keep = length == 0 ? 0 : (length - 34) / length;
            return new Edge(
                    from.x(),
                    from.y(),
                    round(from.x() + (to.x() - from.x()) * keep),
                    round(from.y() + (to.y() - from.y()) * keep),
                    label,
                    round(centre.x() + 0.58 * (neighbour.x() - centre.x())),
                    round(centre.y() + 0.58 * (neighbour.y() - centre.y()) - 4));
        }
    }

    static Optional<EntityGraph> of(KnowledgeGraph graph, String owner, String name) {
        List<Entity> found = graph.openNodes(owner, List.of(name)).entities();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Graph all = graph.readGraph(owner, SCAN_LIMIT, 0);
        boolean partial = all.entities().size() >= SCAN_LIMIT;
        List<Relation> touching = all.relations().stream()
                .filter(r -> r.from().equals(name) || r.to().equals(name))
                .toList();
        Map<String, String> types = new LinkedHashMap<>();
        all.entities().forEach(e -> types.put(e.name(), e.entityType()));
        List<String> neighbourNames = touching.stream()
                .map(r -> r.from().equals(name) ? r.to() : r.from())
                .filter(n -> !n.equals(name))
                .distinct()
                .toList();
        List<String> drawn = neighbourNames.subList(0, Math.min(neighbourNames.size(), MAX_DRAWN));
        Map<String, Node> neighbours = new LinkedHashMap<>();
        for (int i = 0; i < drawn.size(); i++) {
            double angle = 2 * Math.PI * i / drawn.size() - Math.PI / 2;
            neighbours.put(
                    drawn.get(i),
                    new Node(
                            drawn.get(i),
                            types.getOrDefault(drawn.get(i), ""),
                            round(CX + RADIUS * Math.cos(angle)),
                            round(CY + RADIUS * Math.sin(angle)),
                            false));
        }
        Node centre = new Node(name, found.getFirst().entityType(), CX, CY, true);
        List<Edge> edges = new ArrayList<>();
        for (Relation r : touching) {
            Node other = neighbours.get(r.from().equals(name) ? r.to() : r.from());
            if (other != null) {
                edges.add(Edge.of(centre, other, r.from().equals(name), r.relationType()));
            }
        }
        List<Node> nodes = new ArrayList<>(neighbours.values());
        nodes.add(centre);
        return Optional.of(new EntityGraph(
                found.getFirst(), touching, nodes, edges, partial || drawn.size() < neighbourNames.size()));
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
