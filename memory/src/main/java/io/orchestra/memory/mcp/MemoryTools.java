package io.orchestra.memory.mcp;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.orchestra.core.error.ProblemException;
import io.orchestra.core.json.Json;
import io.orchestra.memory.graph.AsOf;
import io.orchestra.memory.graph.Graph;
import io.orchestra.memory.graph.GraphArguments;
import io.orchestra.memory.graph.GraphException;
import io.orchestra.memory.graph.GraphSearch;
import io.orchestra.memory.graph.KnowledgeGraph;
import io.orchestra.memory.graph.ObservationBatch;
import io.orchestra.memory.graph.Page;
import io.orchestra.memory.memories.MemoryStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The reference MCP memory server's nine tools and its graph resource, as thin adapters over
 * {@link KnowledgeGraph}: the same names, titles, descriptions, annotations and schemas (read from
 * the pinned release's tools/list, {@code reference-tools.json}), the same text content byte for
 * byte, and structuredContent. Our additions are extra optional properties, each described where it
 * is declared, and tools of our own (memories).
 */
public final class MemoryTools {
    static final String GRAPH_URI = "memory://knowledge-graph";
    private static final String SCHEMA = "http://json-schema.org/draft-07/schema#";
    private static final Map<String, JsonNode> REFERENCE = referenceTools();
    private static final String PAGING = """
            {"limit":{"type":"integer","minimum":1,"description":"Orchestra: at most this many entities, best first; structuredContent.nextOffset says where the next page starts (without limit: every entity, as the reference)"},
             "offset":{"type":"integer","minimum":0,"description":"Orchestra: entities to skip, with limit"}}""";
    private static final String AS_OF = """
            {"as_of":{"type":"string","format":"date-time","description":"Orchestra: the graph as it was at this instant (ISO-8601, e.g. 2026-01-31T12:00:00Z): the facts valid then; without it, the facts valid now"}}""";
    private static final String IN_PROPS = "/inputSchema/properties";
    private static final String OUT_PROPS = "/outputSchema/properties";
    private static final String NEXT_OFFSET = """
            {"nextOffset":{"type":"integer","description":"Orchestra: with limit, the offset of the next page when more exist"}}""";

    private final KnowledgeGraph graph;
    private final GraphSearch search;
    private final MemoryStore memories;
    private final Function<McpTransportContext, String> owner;
    private final McpJsonMapper mapper;

    /** What a tool answers: the text content (a sentence as is, anything else as JSON) and structuredContent. */
    private record Reply(Object text, Map<String, Object> structured) {
        static Reply json(Map<String, Object> structured) {
            return new Reply(structured, structured);
        }

        static Reply sentence(String sentence) {
            return new Reply(sentence, Map.of("success", true, "message", sentence));
        }
    }

    /** @param owner who is calling, from the transport context (the API key's owner, or the stdio user) */
    public MemoryTools(
            KnowledgeGraph graph,
            GraphSearch search,
            MemoryStore memories,
            Function<McpTransportContext, String> owner,
            McpJsonMapper mapper) {
        this.graph = graph;
        this.search = search;
        this.memories = memories;
        this.owner = owner;
        this.mapper = mapper;
    }

    /** Declares the tools, the graph resource and their capabilities on a server being built. */
    public McpServer.StatelessSyncSpecification register(McpServer.StatelessSyncSpecification server) {
        return server.capabilities(McpSchema.ServerCapabilities.builder()
                        .tools(false)
                        .resources(false, false)
                        .build())
                .tools(tools())
                .resources(resources());
    }

    public List<SyncToolSpecification> tools() {
        List<SyncToolSpecification> tools = new ArrayList<>(referenceToolSpecs());
        tools.addAll(timeTools());
        tools.addAll(memoryTools());
        return tools;
    }

    /** The reference's resource: the whole graph as JSON, the same text as read_graph. */
    public List<SyncResourceSpecification> resources() {
        McpSchema.Resource resource = McpSchema.Resource.builder()
                .uri(GRAPH_URI)
                .name("knowledge-graph")
                .title("Knowledge Graph")
                .description("The full knowledge graph with all entities and relations")
                .mimeType("application/json")
                .build();
        return List.of(new SyncResourceSpecification(
                resource,
                (context, request) -> new McpSchema.ReadResourceResult(List.of(new McpSchema.TextResourceContents(
                        request.uri(),
                        "application/json",
                        JsText.stringify(
                                Json.mapper().valueToTree(graphMap(graph.readGraph(owner.apply(context))))))))));
    }

    private List<SyncToolSpecification> referenceToolSpecs() {
        return List.of(
                reference("create_entities", Map.of(), (who, args) -> {
                    var created = graph.createEntities(who, GraphArguments.entities(args.path("entities")));
                    return new Reply(created, Map.of("entities", created));
                }),
                reference("create_relations", Map.of(IN_PROPS + "/relations/items/properties", """
                                {"supersede":{"type":"boolean","description":"Orchestra: this relation ends the current relations from the same entity with the same relationType to another entity (one value at a time, e.g. works_at); they stay in entity_history"}}"""), (who, args) -> {
                    var created = graph.createRelations(
                            who,
                            GraphArguments.relations(args.path("relations")),
                            GraphArguments.superseding(args.path("relations")));
                    return new Reply(created, Map.of("relations", created));
                }),
                reference(
                        "add_observations",
                        Map.of(
                                IN_PROPS + "/observations/items/properties",
                                """
                                {"supersedes":{"type":"array","items":{"type":"string"},"description":"Orchestra: current observations of the entity that these contents replace: their validity ends (they stay in entity_history)"},
                                 "supersedeSameKey":{"type":"boolean","description":"Orchestra: a content of the form 'key: value' ends the entity's current observations with the same key and another value"}}""",
                                OUT_PROPS + "/results/items/properties",
                                """
                                {"supersededObservations":{"type":"array","items":{"type":"string"},"description":"Orchestra: the observations these ended (only when some did)"}}"""),
                        (who, args) -> {
                            List<Map<String, Object>> results = new ArrayList<>();
                            for (ObservationBatch batch :
                                    graph.addObservations(who, GraphArguments.additions(args.path("observations")))) {
                                Map<String, Object> result = new LinkedHashMap<>();
                                result.put("entityName", batch.entityName());
                                result.put("addedObservations", batch.contents());
                                if (!batch.supersedes().isEmpty()) {
                                    result.put("supersededObservations", batch.supersedes());
                                }
                                results.add(result);
                            }
                            return new Reply(results, Map.of("results", results));
                        }),
                reference("delete_entities", Map.of(), (who, args) -> {
                    graph.deleteEntities(who, GraphArguments.strings(args.path("entityNames")));
                    return Reply.sentence("Entities deleted successfully");
                }),
                reference("delete_observations", Map.of(), (who, args) -> {
                    graph.deleteObservations(who, GraphArguments.batches(args.path("deletions"), "observations"));
                    return Reply.sentence("Observations deleted successfully");
                }),
                reference("delete_relations", Map.of(), (who, args) -> {
                    graph.deleteRelations(who, GraphArguments.relations(args.path("relations")));
                    return Reply.sentence("Relations deleted successfully");
                }),
                reference("read_graph", Map.of(IN_PROPS, join(PAGING, AS_OF), OUT_PROPS, NEXT_OFFSET), (who, args) -> {
                    AsOf asOf = GraphArguments.asOf(args);
                    if (!paged(args)) {
                        return Reply.json(graphMap(graph.readGraph(who, asOf)));
                    }
                    return Reply.json(
                            pageMap(graph.readPage(who, limit(args, Integer.MAX_VALUE - 1), offset(args), asOf)));
                }),
                reference(
                        "search_nodes",
                        Map.of(IN_PROPS, join(PAGING, AS_OF, """
                                        {"semantic":{"type":"boolean","description":"Orchestra: after the substring matches, also entities similar in meaning, best first (default false: the reference's matches; with it, limit defaults to 100)"}}"""), OUT_PROPS, NEXT_OFFSET),
                        (who, args) -> {
                            String query = GraphArguments.text(args, "query");
                            boolean semantic = flag(args, "semantic");
                            AsOf asOf = GraphArguments.asOf(args);
                            if (!paged(args) && !semantic) {
                                return Reply.json(graphMap(graph.searchNodes(who, query, asOf)));
                            }
                            int limit = limit(args, semantic ? 100 : Integer.MAX_VALUE - 1);
                            return Reply.json(
                                    pageMap(search.searchPage(who, query, limit, offset(args), semantic, asOf)));
                        }),
                reference(
                        "open_nodes",
                        Map.of(IN_PROPS, AS_OF),
                        (who, args) -> Reply.json(graphMap(graph.openNodes(
                                who, GraphArguments.strings(args.path("names")), GraphArguments.asOf(args))))));
    }

    /** Orchestra's tools for facts in time. */
    private List<SyncToolSpecification> timeTools() {
        return List.of(
                own(
                        "entity_history",
                        "Entity History",
                        "An entity's observations and the relations that touch it, each with when it held (validFrom, validTo: null while it still holds) and what superseded it, oldest first",
                        Hints.READ,
                        """
                        {"type":"object","properties":{"entityName":{"type":"string","description":"The name of the entity"}},"required":["entityName"]}""",
                        """
                        {"type":"object","properties":{"name":{"type":"string"},"entityType":{"type":"string"},"createdAt":{"type":"string"},
                         "observations":{"type":"array","items":{"type":"object"}},"relations":{"type":"array","items":{"type":"object"}}},
                         "required":["name","entityType","createdAt","observations","relations"]}""",
                        (who, args) -> Reply.json(Json.mapper()
                                .convertValue(
                                        graph.history().history(who, GraphArguments.text(args, "entityName")),
                                        LinkedHashMap.class))),
                own(
                        "supersede",
                        "Supersede Observation",
                        "Replace an entity's observation with a new one: the old one's validity ends (it stays in entity_history), the new one holds from now",
                        Hints.UPDATE,
                        """
                        {"type":"object","properties":{"entityName":{"type":"string","description":"The name of the entity"},
                         "observation":{"type":"string","description":"The current observation that no longer holds"},
                         "with":{"type":"string","description":"The observation that holds from now on"}},
                         "required":["entityName","observation","with"]}""",
                        """
                        {"type":"object","properties":{"entityName":{"type":"string"},"addedObservations":{"type":"array","items":{"type":"string"}},
                         "supersededObservations":{"type":"array","items":{"type":"string"}}},"required":["entityName","addedObservations","supersededObservations"]}""",
                        (who, args) -> {
                            ObservationBatch done = graph.supersede(
                                    who,
                                    GraphArguments.text(args, "entityName"),
                                    GraphArguments.text(args, "observation"),
                                    GraphArguments.text(args, "with"));
                            Map<String, Object> out = new LinkedHashMap<>();
                            out.put("entityName", done.entityName());
                            out.put("addedObservations", done.contents());
                            out.put("supersededObservations", done.supersedes());
                            return Reply.json(out);
                        }));
    }

    /** JSON objects merged into one. */
    private static String join(String... objects) {
        ObjectNode out = Json.object();
        for (String object : objects) {
            out.setAll((ObjectNode) Json.tree(object));
        }
        return out.toString();
    }

    private List<SyncToolSpecification> memoryTools() {
        return List.of(
                own(
                        "remember",
                        "Remember",
                        "Remember a free-text fact; a near-duplicate of an existing memory is merged into it",
                        Hints.WRITE,
                        """
                        {"type":"object","properties":{"text":{"type":"string"},"tags":{"type":"array","items":{"type":"string"}},
                         "importance":{"type":"number","minimum":0,"maximum":1},"ttl_seconds":{"type":"integer","minimum":1},
                         "supersedes":{"type":"string","description":"The id of a memory this one replaces: its validity ends (recall with an earlier as_of still finds it)"}},"required":["text"]}""",
                        "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"},\"merged\":{\"type\":\"boolean\"}},\"required\":[\"id\",\"merged\"]}",
                        (who, args) -> {
                            String text = GraphArguments.text(args, "text");
                            List<String> tags =
                                    args.has("tags") ? GraphArguments.strings(args.path("tags")) : List.of();
                            double importance = args.path("importance").asDouble(0.5);
                            Long ttl = args.has("ttl_seconds")
                                    ? args.path("ttl_seconds").asLong()
                                    : null;
                            MemoryStore.Remembered r = args.hasNonNull("supersedes")
                                    ? memories.supersede(
                                            who, GraphArguments.text(args, "supersedes"), text, tags, importance, ttl)
                                    : memories.remember(who, null, null, text, tags, importance, ttl);
                            return Reply.json(Map.of("id", r.memory().id(), "merged", r.merged()));
                        }),
                own(
                        "recall",
                        "Recall",
                        "Recall the memories most relevant to a query (semantic and keyword), best first",
                        Hints.READ,
                        """
                        {"type":"object","properties":{"query":{"type":"string"},"limit":{"type":"integer","minimum":1,"maximum":50},
                         "tags":{"type":"array","items":{"type":"string"}},
                         "as_of":{"type":"string","format":"date-time","description":"The memories that held at this instant (ISO-8601); without it, those that hold now"}},"required":["query"]}""",
                        "{\"type\":\"object\",\"properties\":{\"memories\":{\"type\":\"array\"}},\"required\":[\"memories\"]}",
                        (who, args) -> Reply.json(Map.of(
                                "memories",
                                memories
                                        .recall(
                                                who,
                                                GraphArguments.text(args, "query"),
                                                args.path("limit").asInt(10),
                                                List.of(),
                                                args.has("tags")
                                                        ? GraphArguments.strings(args.path("tags"))
                                                        : List.of(),
                                                null,
                                                null,
                                                GraphArguments.asOf(args))
                                        .stream()
                                        .map(r -> Map.of(
                                                "id",
                                                r.memory().id(),
                                                "text",
                                                r.memory().text(),
                                                "tags",
                                                r.memory().tags(),
                                                "score",
                                                r.score()))
                                        .toList()))),
                own(
                        "forget",
                        "Forget",
                        "Forget a memory by id: it no longer holds (recall with an earlier as_of still finds it), or with purge it is erased",
                        Hints.DELETE,
                        """
                        {"type":"object","properties":{"id":{"type":"string"},
                         "purge":{"type":"boolean","description":"Erase it instead of ending its validity (nothing of it stays, for privacy)"}},"required":["id"]}""",
                        "{\"type\":\"object\",\"properties\":{\"success\":{\"type\":\"boolean\"},\"message\":{\"type\":\"string\"}},\"required\":[\"success\",\"message\"]}",
                        (who, args) -> {
                            if (flag(args, "purge")) {
                                memories.purge(who, GraphArguments.text(args, "id"));
                            } else {
                                memories.forget(who, GraphArguments.text(args, "id"));
                            }
                            return Reply.sentence("Memory forgotten");
                        }),
                own(
                        "update_memory",
                        "Update Memory",
                        "Change a memory's text, tags or importance",
                        Hints.UPDATE,
                        """
                        {"type":"object","properties":{"id":{"type":"string"},"text":{"type":"string"},"tags":{"type":"array","items":{"type":"string"}},
                         "importance":{"type":"number","minimum":0,"maximum":1}},"required":["id"]}""",
                        "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"},\"text\":{\"type\":\"string\"}},\"required\":[\"id\",\"text\"]}",
                        (who, args) -> {
                            var m = memories.update(
                                    who,
                                    GraphArguments.text(args, "id"),
                                    args.has("text") ? GraphArguments.text(args, "text") : null,
                                    args.has("tags") ? GraphArguments.strings(args.path("tags")) : null,
                                    args.has("importance")
                                            ? args.path("importance").asDouble()
                                            : null);
                            return Reply.json(Map.of("id", m.id(), "text", m.text()));
                        }));
    }

    /** The hints the reference gives its tools, for ours. */
    private enum Hints {
        READ(true, false, true),
        WRITE(false, false, false),
        UPDATE(false, true, false),
        DELETE(false, true, true);

        final McpSchema.ToolAnnotations annotations;

        Hints(boolean readOnly, boolean destructive, boolean idempotent) {
            this.annotations = new McpSchema.ToolAnnotations(null, readOnly, destructive, idempotent, false, null);
        }
    }

    /**
     * A reference tool as declared, with our optional properties merged in: {@code additions} maps
     * a JSON pointer to a "properties" object of the declaration to the JSON object of ours.
     */
    private SyncToolSpecification reference(
            String name, Map<String, String> additions, BiFunction<String, JsonNode, Reply> handler) {
        ObjectNode declared = (ObjectNode) REFERENCE.get(name).deepCopy();
        additions.forEach((pointer, properties) ->
                ((ObjectNode) declared.at(pointer)).setAll((ObjectNode) Json.tree(properties)));
        McpSchema.Tool tool = McpSchema.Tool.builder()
                .name(name)
                .title(declared.path("title").asString())
                .description(declared.path("description").asString())
                .inputSchema(schema(declared.path("inputSchema")))
                .outputSchema(schema(declared.path("outputSchema")))
                .annotations(Json.mapper().treeToValue(declared.path("annotations"), McpSchema.ToolAnnotations.class))
                .build();
        return spec(tool, handler);
    }

    private SyncToolSpecification own(
            String name,
            String title,
            String description,
            Hints hints,
            String input,
            String output,
            BiFunction<String, JsonNode, Reply> handler) {
        ObjectNode in = (ObjectNode) Json.tree(input);
        ObjectNode out = (ObjectNode) Json.tree(output);
        McpSchema.Tool tool = McpSchema.Tool.builder()
                .name(name)
                .title(title)
                .description(description)
                .inputSchema(schema(withSchema(in)))
                .outputSchema(schema(withSchema(out)))
                .annotations(hints.annotations)
                .build();
        return spec(tool, handler);
    }

    private SyncToolSpecification spec(McpSchema.Tool tool, BiFunction<String, JsonNode, Reply> handler) {
        return SyncToolSpecification.builder()
                .tool(tool)
                .callHandler((context, request) -> {
                    try {
                        JsonNode args =
                                Json.mapper().valueToTree(request.arguments() == null ? Map.of() : request.arguments());
                        Reply reply = handler.apply(owner.apply(context), args);
                        String text = reply.text() instanceof String sentence
                                ? sentence
                                : JsText.stringify(Json.mapper().valueToTree(reply.text()));
                        return McpSchema.CallToolResult.builder()
                                .addTextContent(text)
                                .structuredContent(Json.mapper().convertValue(reply.structured(), Map.class))
                                .build();
                    } catch (ProblemException | GraphException | IllegalArgumentException e) {
                        // The reference answers a failed tool with its message as text and isError.
                        return McpSchema.CallToolResult.builder()
                                .addTextContent(e.getMessage())
                                .isError(true)
                                .build();
                    }
                })
                .build();
    }

    private static ObjectNode withSchema(ObjectNode schema) {
        ObjectNode out = Json.mapper().createObjectNode();
        out.put("$schema", SCHEMA);
        out.setAll(schema);
        return out;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> schema(JsonNode node) {
        return Json.mapper().convertValue(node, LinkedHashMap.class);
    }

    private static boolean paged(JsonNode args) {
        return args.has("limit") || args.has("offset");
    }

    private static int limit(JsonNode args, int otherwise) {
        return whole(args, "limit", otherwise, 1);
    }

    private static int offset(JsonNode args) {
        return whole(args, "offset", 0, 0);
    }

    private static int whole(JsonNode args, String field, int otherwise, int minimum) {
        JsonNode value = args.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return otherwise;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < minimum) {
            throw new IllegalArgumentException("'" + field + "' must be an integer of at least " + minimum);
        }
        return value.asInt();
    }

    private static boolean flag(JsonNode args, String field) {
        JsonNode value = args.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new IllegalArgumentException("'" + field + "' must be true or false");
        }
        return value.asBoolean();
    }

    /** entities then relations, the reference's key order. */
    private static Map<String, Object> graphMap(Graph graph) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("entities", graph.entities());
        out.put("relations", graph.relations());
        return out;
    }

    private static Map<String, Object> pageMap(Page page) {
        Map<String, Object> out = graphMap(page.graph());
        if (page.nextOffset() != null) {
            out.put("nextOffset", page.nextOffset());
        }
        return out;
    }

    private static Map<String, JsonNode> referenceTools() {
        try (InputStream in = MemoryTools.class.getResourceAsStream("reference-tools.json")) {
            Map<String, JsonNode> tools = new LinkedHashMap<>();
            for (JsonNode tool : Json.mapper().readTree(in).path("tools")) {
                tools.put(tool.path("name").asString(), tool);
            }
            return tools;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
