package io.orchestra.memory.graph;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Reads graph arguments in the reference server's JSON shapes; shared by the MCP tools and REST. */
public final class GraphArguments {
    private GraphArguments() {}

    public static String text(JsonNode args, String field) {
        if (!args.path(field).isString()) {
            throw new IllegalArgumentException("'" + field + "' must be a string");
        }
        return args.path(field).asString();
    }

    public static List<String> strings(JsonNode node) {
        if (!node.isArray()) {
            throw new IllegalArgumentException("expected an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isString()) {
                throw new IllegalArgumentException("expected an array of strings");
            }
            out.add(item.asString());
        }
        return out;
    }

    public static List<Entity> entities(JsonNode node) {
        if (!node.isArray()) {
            throw new IllegalArgumentException("'entities' must be an array");
        }
        List<Entity> out = new ArrayList<>();
        for (JsonNode e : node) {
            out.add(new Entity(
                    text(e, "name"),
                    text(e, "entityType"),
                    e.has("observations") ? strings(e.path("observations")) : List.of()));
        }
        return out;
    }

    public static List<Relation> relations(JsonNode node) {
        if (!node.isArray()) {
            throw new IllegalArgumentException("'relations' must be an array");
        }
        List<Relation> out = new ArrayList<>();
        for (JsonNode r : node) {
            out.add(new Relation(text(r, "from"), text(r, "to"), text(r, "relationType")));
        }
        return out;
    }

    public static List<ObservationBatch> batches(JsonNode node, String contentsField) {
        if (!node.isArray()) {
            throw new IllegalArgumentException("expected an array");
        }
        List<ObservationBatch> out = new ArrayList<>();
        for (JsonNode b : node) {
            out.add(new ObservationBatch(text(b, "entityName"), strings(b.path(contentsField))));
        }
        return out;
    }
}
