package io.orchestra.memory.mcp;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.orchestra.core.json.Json;
import io.orchestra.memory.graph.Graph;
import io.orchestra.memory.graph.GraphArguments;
import io.orchestra.memory.graph.GraphException;
import io.orchestra.memory.graph.GraphSearch;
import io.orchestra.memory.graph.KnowledgeGraph;
import io.orchestra.memory.graph.ObservationBatch;
import io.orchestra.memory.memories.MemoryStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * The reference MCP memory server's tools (same names, arguments and result shapes), as thin
 * adapters over {@link KnowledgeGraph}. Results carry structuredContent and the same JSON as text.
 */
public final class MemoryTools {
    private static final String ENTITY = """
            {"type":"object","properties":{"name":{"type":"string","description":"The name of the entity"},
             "entityType":{"type":"string","description":"The type of the entity"},
             "observations":{"type":"array","items":{"type":"string"},"description":"An array of observation contents associated with the entity"}},
             "required":["name","entityType","observations"],"additionalProperties":false}""";
    private static final String RELATION = """
            {"type":"object","properties":{"from":{"type":"string","description":"The name of the entity where the relation starts"},
             "to":{"type":"string","description":"The name of the entity where the relation ends"},
             "relationType":{"type":"string","description":"The type of the relation"}},
             "required":["from","to","relationType"],"additionalProperties":false}""";
    private static final String GRAPH_OUTPUT = """
            {"type":"object","properties":{"entities":{"type":"array","items":%s},"relations":{"type":"array","items":%s}},
             "required":["entities","relations"]}""".formatted(ENTITY, RELATION);
    private static final String SUCCESS_OUTPUT = """
            {"type":"object","properties":{"success":{"type":"boolean"},"message":{"type":"string"}},"required":["success","message"]}""";

    private final KnowledgeGraph graph;
    private final GraphSearch search;
    private final MemoryStore memories;
    private final Function<McpTransportContext, String> owner;
    private final McpJsonMapper mapper;

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

    public List<SyncToolSpecification> tools() {
        return List.of(
                tool(
                        "create_entities",
                        "Create multiple new entities in the knowledge graph",
                        "{\"type\":\"object\",\"properties\":{\"entities\":{\"type\":\"array\",\"items\":" + ENTITY
                                + "}},\"required\":[\"entities\"]}",
                        "{\"type\":\"object\",\"properties\":{\"entities\":{\"type\":\"array\",\"items\":" + ENTITY
                                + "}},\"required\":[\"entities\"]}",
                        (who, args) -> Map.of(
                                "entities", graph.createEntities(who, GraphArguments.entities(args.path("entities"))))),
                tool(
                        "create_relations",
                        "Create multiple new relations between entities in the knowledge graph. Relations should be in active voice",
                        "{\"type\":\"object\",\"properties\":{\"relations\":{\"type\":\"array\",\"items\":" + RELATION
                                + "}},\"required\":[\"relations\"]}",
                        "{\"type\":\"object\",\"properties\":{\"relations\":{\"type\":\"array\",\"items\":" + RELATION
                                + "}},\"required\":[\"relations\"]}",
                        (who, args) -> Map.of(
                                "relations",
                                graph.createRelations(who, GraphArguments.relations(args.path("relations"))))),
                tool(
                        "add_observations",
                        "Add new observations to existing entities in the knowledge graph",
                        """
                        {"type":"object","properties":{"observations":{"type":"array","items":{"type":"object","properties":{
                         "entityName":{"type":"string","description":"The name of the entity to add the observations to"},
                         "contents":{"type":"array","items":{"type":"string"},"description":"An array of observation contents to add"}},
                         "required":["entityName","contents"],"additionalProperties":false}}},"required":["observations"]}""",
                        """
                        {"type":"object","properties":{"results":{"type":"array","items":{"type":"object","properties":{
                         "entityName":{"type":"string"},"addedObservations":{"type":"array","items":{"type":"string"}}},
                         "required":["entityName","addedObservations"]}}},"required":["results"]}""",
                        (who, args) -> {
                            List<Map<String, Object>> results = new ArrayList<>();
                            for (ObservationBatch batch : graph.addObservations(
                                    who, GraphArguments.batches(args.path("observations"), "contents"))) {
                                results.add(Map.of(
                                        "entityName", batch.entityName(), "addedObservations", batch.contents()));
                            }
                            return Map.of("results", results);
                        }),
                tool(
                        "delete_entities",
                        "Delete multiple entities and their associated relations from the knowledge graph",
                        "{\"type\":\"object\",\"properties\":{\"entityNames\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"description\":\"An array of entity names to delete\"}},\"required\":[\"entityNames\"]}",
                        SUCCESS_OUTPUT,
                        (who, args) -> {
                            graph.deleteEntities(who, GraphArguments.strings(args.path("entityNames")));
                            return Map.of("success", true, "message", "Entities deleted successfully");
                        }),
                tool(
                        "delete_observations",
                        "Delete specific observations from entities in the knowledge graph",
                        """
                        {"type":"object","properties":{"deletions":{"type":"array","items":{"type":"object","properties":{
                         "entityName":{"type":"string","description":"The name of the entity containing the observations"},
                         "observations":{"type":"array","items":{"type":"string"},"description":"An array of observations to delete"}},
                         "required":["entityName","observations"],"additionalProperties":false}}},"required":["deletions"]}""",
                        SUCCESS_OUTPUT,
                        (who, args) -> {
                            graph.deleteObservations(
                                    who, GraphArguments.batches(args.path("deletions"), "observations"));
                            return Map.of("success", true, "message", "Observations deleted successfully");
                        }),
                tool(
                        "delete_relations",
                        "Delete multiple relations from the knowledge graph",
                        "{\"type\":\"object\",\"properties\":{\"relations\":{\"type\":\"array\",\"items\":" + RELATION
                                + ",\"description\":\"An array of relations to delete\"}},\"required\":[\"relations\"]}",
                        SUCCESS_OUTPUT,
                        (who, args) -> {
                            graph.deleteRelations(who, GraphArguments.relations(args.path("relations")));
                            return Map.of("success", true, "message", "Relations deleted successfully");
                        }),
                tool(
                        "read_graph",
                        "Read the entire knowledge graph (limit and offset page through large graphs)",
                        "{\"type\":\"object\",\"properties\":{\"limit\":{\"type\":\"integer\",\"minimum\":1},\"offset\":{\"type\":\"integer\",\"minimum\":0}}}",
                        GRAPH_OUTPUT,
                        (who, args) -> graphMap(graph.readGraph(
                                who,
                                args.path("limit").asInt(100_000),
                                args.path("offset").asInt(0)))),
                tool(
                        "search_nodes",
                        "Search for nodes in the knowledge graph based on a query (ranked substring matches; with semantic=true, then entities similar in meaning)",
                        "{\"type\":\"object\",\"properties\":{\"query\":{\"type\":\"string\",\"description\":\"The search query to match against entity names, types, and observation content\"},"
                                + "\"limit\":{\"type\":\"integer\",\"minimum\":1},\"offset\":{\"type\":\"integer\",\"minimum\":0},"
                                + "\"semantic\":{\"type\":\"boolean\",\"description\":\"After the substring matches, also return entities similar in meaning (default false: the reference server's matches)\"}},\"required\":[\"query\"]}",
                        GRAPH_OUTPUT,
                        (who, args) -> graphMap(search.search(
                                who,
                                GraphArguments.text(args, "query"),
                                args.path("limit").asInt(100),
                                args.path("offset").asInt(0),
                                args.path("semantic").asBoolean(false)))),
                tool(
                        "open_nodes",
                        "Open specific nodes in the knowledge graph by their names",
                        "{\"type\":\"object\",\"properties\":{\"names\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"description\":\"An array of entity names to retrieve\"}},\"required\":[\"names\"]}",
                        GRAPH_OUTPUT,
                        (who, args) -> graphMap(graph.openNodes(who, GraphArguments.strings(args.path("names"))))),
                tool(
                        "remember",
                        "Remember a free-text fact; a near-duplicate of an existing memory is merged into it",
                        """
                        {"type":"object","properties":{"text":{"type":"string"},"tags":{"type":"array","items":{"type":"string"}},
                         "importance":{"type":"number","minimum":0,"maximum":1},"ttl_seconds":{"type":"integer","minimum":1}},"required":["text"]}""",
                        "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"},\"merged\":{\"type\":\"boolean\"}},\"required\":[\"id\",\"merged\"]}",
                        (who, args) -> {
                            MemoryStore.Remembered r = memories.remember(
                                    who,
                                    null,
                                    null,
                                    GraphArguments.text(args, "text"),
                                    args.has("tags") ? GraphArguments.strings(args.path("tags")) : List.of(),
                                    args.path("importance").asDouble(0.5),
                                    args.has("ttl_seconds")
                                            ? args.path("ttl_seconds").asLong()
                                            : null);
                            return Map.of("id", r.memory().id(), "merged", r.merged());
                        }),
                tool(
                        "recall",
                        "Recall the memories most relevant to a query (semantic and keyword), best first",
                        """
                        {"type":"object","properties":{"query":{"type":"string"},"limit":{"type":"integer","minimum":1,"maximum":50},
                         "tags":{"type":"array","items":{"type":"string"}}},"required":["query"]}""",
                        "{\"type\":\"object\",\"properties\":{\"memories\":{\"type\":\"array\"}},\"required\":[\"memories\"]}",
                        (who, args) -> Map.of(
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
                                                null)
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
                                        .toList())),
                tool(
                        "forget",
                        "Forget a memory by id",
                        "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"}},\"required\":[\"id\"]}",
                        SUCCESS_OUTPUT,
                        (who, args) -> {
                            memories.forget(who, GraphArguments.text(args, "id"));
                            return Map.of("success", true, "message", "Memory forgotten");
                        }),
                tool(
                        "update_memory",
                        "Change a memory's text, tags or importance",
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
                            return Map.of("id", m.id(), "text", m.text());
                        }));
    }

    private SyncToolSpecification tool(
            String name,
            String description,
            String input,
            String output,
            BiFunction<String, JsonNode, Object> handler) {
        McpSchema.Tool tool = McpSchema.Tool.builder()
                .name(name)
                .description(description)
                .inputSchema(mapper, input)
                .outputSchema(mapper, output)
                .build();
        return SyncToolSpecification.builder()
                .tool(tool)
                .callHandler((context, request) -> {
                    try {
                        JsonNode args =
                                Json.mapper().valueToTree(request.arguments() == null ? Map.of() : request.arguments());
                        Object result = handler.apply(owner.apply(context), args);
                        String json =
                                Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(result);
                        return McpSchema.CallToolResult.builder()
                                .addTextContent(json)
                                .structuredContent(Json.mapper().convertValue(result, Map.class))
                                .isError(false)
                                .build();
                    } catch (io.orchestra.core.error.ProblemException e) {
                        return McpSchema.CallToolResult.builder()
                                .addTextContent(e.getMessage())
                                .isError(true)
                                .build();
                    } catch (GraphException | IllegalArgumentException e) {
                        return McpSchema.CallToolResult.builder()
                                .addTextContent(e.getMessage())
                                .isError(true)
                                .build();
                    }
                })
                .build();
    }

    private static Map<String, Object> graphMap(Graph graph) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("entities", graph.entities());
        out.put("relations", graph.relations());
        return out;
    }
}
