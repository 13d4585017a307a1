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

    /** add_observations' batches, with Orchestra's optional supersedes and supersedeSameKey. */
    public static List<ObservationBatch> additions(JsonNode node) {
        if (!node.isArray()) {
            throw new IllegalArgumentException("expected an array");
        }
        List<ObservationBatch> out = new ArrayList<>();
        for (JsonNode b : node) {
            JsonNode sameKey = b.path("supersedeSameKey");
            if (!sameKey.isMissingNode() && !sameKey.isNull() && !sameKey.isBoolean()) {
                throw new IllegalArgumentException("'supersedeSameKey' must be true or false");
            }
            out.add(new ObservationBatch(
                    text(b, "entityName"),
                    strings(b.path("contents")),
                    b.hasNonNull("supersedes") ? strings(b.path("supersedes")) : List.of(),
                    sameKey.asBoolean(false)));
        }
        return out;
    }

    /** The relations of create_relations that carry Orchestra's {@code supersede: true}. */
    public static java.util.Set<Relation> superseding(JsonNode node) {
        java.util.Set<Relation> out = new java.util.HashSet<>();
        for (JsonNode r : node) {
            JsonNode flag = r.path("supersede");
            if (!flag.isMissingNode() && !flag.isNull() && !flag.isBoolean()) {
                throw new IllegalArgumentException("'supersede' must be true or false");
            }
            if (flag.asBoolean(false)) {
                out.add(new Relation(text(r, "from"), text(r, "to"), text(r, "relationType")));
            }
        }
        return out;
    }

    /** Orchestra's optional {@code as_of}: an ISO-8601 instant ("2026-01-31T12:00:00Z"); absent means now. */
    public static AsOf asOf(JsonNode args) {
        JsonNode value = args.path("as_of");
        if (value.isMissingNode() || value.isNull()) {
            return AsOf.NOW;
        }
        if (!value.isString()) {
            throw new IllegalArgumentException("'as_of' must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
        }
        return asOf(value.asString());
    }

    /** {@code as_of} from text (a query parameter); null or blank means now. */
    public static AsOf asOf(String value) {
        if (value == null || value.isBlank()) {
            return AsOf.NOW;
        }
        try {
            return AsOf.of(java.time.OffsetDateTime.parse(value).toInstant());
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("'as_of' must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
        }
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
