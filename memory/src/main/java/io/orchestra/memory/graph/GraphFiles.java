package io.orchestra.memory.graph;

import io.orchestra.core.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The reference memory server's {@code memory.jsonl}: one JSON object per line, {@code "type"}
 * {@code entity} or {@code relation}. Import merges into an owner's graph in batches; export writes
 * the same format, so a user can move their file in and out in one command.
 */
public final class GraphFiles {
    private static final int BATCH = 1000;

    /** What an import did. */
    public record ImportResult(
            int entitiesCreated, int observationsAdded, int relationsCreated, int skipped, List<String> problems) {}

    private final KnowledgeGraph graph;

    public GraphFiles(KnowledgeGraph graph) {
        this.graph = graph;
    }

    /** Imports every line; {@code progress} hears the number of lines read so far. */
    public ImportResult importJsonl(String owner, BufferedReader reader, LongConsumer progress) throws IOException {
        List<Entity> entities = new ArrayList<>();
        List<Relation> relations = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int skipped = 0;
        long lines = 0;
        int created = 0;
        int observations = 0;
        String line;
        while ((line = reader.readLine()) != null) {
            lines++;
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode node = Json.tree(line);
                switch (node.path("type").asString("")) {
                    case "entity" ->
                        entities.add(new Entity(
                                node.path("name").asString(),
                                node.path("entityType").asString(),
                                node.has("observations")
                                        ? GraphArguments.strings(node.path("observations"))
                                        : List.of()));
                    case "relation" ->
                        relations.add(new Relation(
                                node.path("from").asString(),
                                node.path("to").asString(),
                                node.path("relationType").asString()));
                    default -> {
                        skipped++;
                        note(
                                problems,
                                "line " + lines + ": unknown type '"
                                        + node.path("type").asString("") + "'");
                    }
                }
            } catch (JacksonException | IllegalArgumentException e) {
                skipped++;
                note(problems, "line " + lines + ": not a valid JSON entity or relation");
            }
            if (entities.size() >= BATCH) {
                int[] counts = flushEntities(owner, entities);
                created += counts[0];
                observations += counts[1];
            }
            if (lines % BATCH == 0) {
                progress.accept(lines);
            }
        }
        int[] counts = flushEntities(owner, entities);
        created += counts[0];
        observations += counts[1];
        int relationsCreated = 0;
        for (int from = 0; from < relations.size(); from += BATCH) {
            List<Relation> batch = relations.subList(from, Math.min(relations.size(), from + BATCH));
            try {
                relationsCreated += graph.createRelations(owner, batch).size();
            } catch (GraphException e) {
                // One invalid relation (a blank end) must not sink the batch: fall back to one at a time.
                for (Relation relation : batch) {
                    try {
                        relationsCreated +=
                                graph.createRelations(owner, List.of(relation)).size();
                    } catch (GraphException single) {
                        skipped++;
                        note(
                                problems,
                                "relation " + relation.from() + " -> " + relation.to() + ": " + single.getMessage());
                    }
                }
            }
        }
        progress.accept(lines);
        return new ImportResult(created, observations, relationsCreated, skipped, problems);
    }

    private int[] flushEntities(String owner, List<Entity> entities) {
        if (entities.isEmpty()) {
            return new int[] {0, 0};
        }
        List<Entity> created = graph.createEntities(owner, entities);
        int observations =
                created.stream().mapToInt(e -> e.observations().size()).sum();
        // Entities that already existed still get the file's observations (merged, duplicates skipped).
        List<ObservationBatch> merges = new ArrayList<>();
        java.util.Set<String> fresh = new java.util.HashSet<>();
        created.forEach(e -> fresh.add(e.name()));
        for (Entity entity : entities) {
            if (!fresh.contains(entity.name()) && !entity.observations().isEmpty()) {
                merges.add(new ObservationBatch(entity.name(), entity.observations()));
            }
        }
        if (!merges.isEmpty()) {
            observations += graph.addObservations(owner, merges).stream()
                    .mapToInt(b -> b.contents().size())
                    .sum();
        }
        entities.clear();
        return new int[] {created.size(), observations};
    }

    private static void note(List<String> problems, String problem) {
        if (problems.size() < 100) {
            problems.add(problem);
        }
    }

    /**
     * Writes every fact of the owner with its validity, current or ended, one per line: entities
     * ({@code createdAt}), observations and relations ({@code validFrom}, {@code validTo} null while
     * they hold, {@code supersededBy} when a fact ended them). Returns the number of lines.
     */
    public long exportHistoryJsonl(String owner, Writer out) throws IOException {
        long lines = 0;
        for (GraphHistory.EntityHistory entity : graph.history().everything(owner)) {
            ObjectNode node = Json.object();
            node.put("type", "entity");
            node.put("name", entity.name());
            node.put("entityType", entity.entityType());
            node.put("createdAt", entity.createdAt().toString());
            lines += line(out, node);
            for (GraphHistory.ObservationFact fact : entity.observations()) {
                ObjectNode o = Json.object();
                o.put("type", "observation");
                o.put("entityName", entity.name());
                o.put("content", fact.content());
                validity(o, fact.validFrom(), fact.validTo());
                if (fact.supersededBy() != null) {
                    o.put("supersededBy", fact.supersededBy());
                }
                lines += line(out, o);
            }
        }
        for (GraphHistory.RelationFact fact : graph.history().relations(owner)) {
            ObjectNode r = Json.object();
            r.put("type", "relation");
            r.put("from", fact.from());
            r.put("to", fact.to());
            r.put("relationType", fact.relationType());
            validity(r, fact.validFrom(), fact.validTo());
            if (fact.supersededBy() != null) {
                r.set("supersededBy", Json.mapper().valueToTree(fact.supersededBy()));
            }
            lines += line(out, r);
        }
        out.flush();
        return lines;
    }

    private static void validity(ObjectNode node, java.time.Instant from, java.time.Instant to) {
        node.put("validFrom", from.toString());
        if (to == null) {
            node.putNull("validTo");
        } else {
            node.put("validTo", to.toString());
        }
    }

    private static int line(Writer out, ObjectNode node) throws IOException {
        out.write(Json.write(node));
        out.write('\n');
        return 1;
    }

    /** Writes the owner's whole graph; returns the number of lines. */
    public long exportJsonl(String owner, Writer out) throws IOException {
        Graph all = graph.readGraph(owner, Integer.MAX_VALUE, 0);
        long lines = 0;
        for (Entity entity : all.entities()) {
            ObjectNode node = Json.object();
            node.put("type", "entity");
            node.put("name", entity.name());
            node.put("entityType", entity.entityType());
            entity.observations().forEach(node.putArray("observations")::add);
            if (entity.observations().isEmpty()) {
                node.putArray("observations");
            }
            out.write(Json.write(node));
            out.write('\n');
            lines++;
        }
        for (Relation relation : all.relations()) {
            ObjectNode node = Json.object();
            node.put("type", "relation");
            node.put("from", relation.from());
            node.put("to", relation.to());
            node.put("relationType", relation.relationType());
            out.write(Json.write(node));
            out.write('\n');
            lines++;
        }
        out.flush();
        return lines;
    }
}
