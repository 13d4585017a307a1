package io.orchestra.server.memory;

import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.orchestra.core.error.ProblemException;
import io.orchestra.memory.graph.AsOf;
import io.orchestra.memory.graph.GraphArguments;
import io.orchestra.memory.graph.GraphException;
import io.orchestra.memory.graph.GraphFiles;
import io.orchestra.memory.graph.GraphSearch;
import io.orchestra.memory.graph.KnowledgeGraph;
import io.orchestra.memory.graph.ObservationBatch;
import io.orchestra.memory.graph.Page;
import io.orchestra.memory.memories.MemoryStore;
import io.orchestra.server.http.Bodies;
import io.orchestra.server.http.Requests;
import io.orchestra.server.http.RouteGroup;
import java.util.Map;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/** /api/memory/graph: the MCP memory tools over REST, same argument shapes, scoped to the key's owner. */
public final class MemoryRoutes implements RouteGroup {
    private final KnowledgeGraph graph;
    private final GraphSearch graphSearch;
    private final MemoryStore memories;

    private final java.util.function.Consumer<String> alsoErase;

    public MemoryRoutes(KnowledgeGraph graph, GraphSearch graphSearch, MemoryStore memories) {
        this(graph, graphSearch, memories, owner -> {});
    }

    /** @param alsoErase what else the owner's delete-all erases, by owner (the gateway's stored request bodies) */
    public MemoryRoutes(
            KnowledgeGraph graph,
            GraphSearch graphSearch,
            MemoryStore memories,
            java.util.function.Consumer<String> alsoErase) {
        this.graph = graph;
        this.graphSearch = graphSearch;
        this.memories = memories;
        this.alsoErase = alsoErase;
    }

    @Override
    public void addRoutes(JavalinDefaultRoutingApi routes) {
        routes.get("/api/memory/graph", ctx -> {
            AsOf asOf = run(() -> GraphArguments.asOf(ctx.queryParam("as_of")));
            ctx.json(page(graph.readPage(
                    owner(ctx),
                    Requests.queryInt(ctx, "limit", 1000, 1, 100_000),
                    Requests.queryInt(ctx, "offset", 0, 0, Integer.MAX_VALUE),
                    asOf)));
        });
        routes.get("/api/memory/graph/search", this::search);
        routes.get("/api/memory/graph/export", ctx -> {
            String validity = ctx.queryParamAsClass("validity", String.class).getOrDefault("false");
            if (!validity.equals("true") && !validity.equals("false")) {
                throw ProblemException.badRequest("query parameter 'validity' must be true or false");
            }
            java.io.StringWriter out = new java.io.StringWriter();
            GraphFiles files = new GraphFiles(graph);
            if (validity.equals("true")) {
                files.exportHistoryJsonl(owner(ctx), out);
            } else {
                files.exportJsonl(owner(ctx), out);
            }
            ctx.contentType("application/x-ndjson").result(out.toString());
        });
        routes.delete("/api/memory", ctx -> {
            if (!"true".equals(ctx.queryParam("confirm"))) {
                throw ProblemException.badRequest(
                        "deleting all of your memory (graph, history and memories) needs ?confirm=true");
            }
            graph.purge(owner(ctx));
            memories.purgeAll(owner(ctx));
            alsoErase.accept(owner(ctx));
            ctx.status(204);
        });

        routes.get("/api/memory/graph/history", ctx -> {
            String name = ctx.queryParam("name");
            if (name == null || name.isBlank()) {
                throw ProblemException.badRequest("query parameter 'name' (the entity's name) is required");
            }
            ctx.json(run(() -> graph.history().history(owner(ctx), name)));
        });
        routes.post("/api/memory/graph/supersede", ctx -> {
            JsonNode body = body(ctx);
            ObservationBatch done = run(() -> graph.supersede(
                    owner(ctx),
                    GraphArguments.text(body, "entityName"),
                    GraphArguments.text(body, "observation"),
                    GraphArguments.text(body, "with")));
            ctx.json(Map.of(
                    "entityName", done.entityName(),
                    "addedObservations", done.contents(),
                    "supersededObservations", done.supersedes()));
        });
        addMemoryRoutes(routes);
        routes.post(
                "/api/memory/graph/entities",
                ctx -> ctx.status(201)
                        .json(Map.of(
                                "entities",
                                run(() -> graph.createEntities(
                                        owner(ctx),
                                        GraphArguments.entities(body(ctx).path("entities")))))));
        routes.post(
                "/api/memory/graph/relations",
                ctx -> ctx.status(201).json(Map.of("relations", run(() -> {
                    JsonNode relations = body(ctx).path("relations");
                    return graph.createRelations(
                            owner(ctx), GraphArguments.relations(relations), GraphArguments.superseding(relations));
                }))));
        routes.post(
                "/api/memory/graph/observations",
                ctx ->
                        ctx.json(Map.of(
                                "results",
                                run(() -> graph
                                        .addObservations(
                                                owner(ctx),
                                                GraphArguments.additions(
                                                        body(ctx).path("observations")))
                                        .stream()
                                        .map(b -> b.supersedes().isEmpty()
                                                ? Map.of(
                                                        "entityName", b.entityName(), "addedObservations", b.contents())
                                                : Map.of(
                                                        "entityName",
                                                        b.entityName(),
                                                        "addedObservations",
                                                        b.contents(),
                                                        "supersededObservations",
                                                        b.supersedes()))
                                        .toList()))));
        routes.post(
                "/api/memory/graph/nodes",
                ctx -> ctx.json(run(() -> {
                    JsonNode body = body(ctx);
                    return graph.openNodes(
                            owner(ctx), GraphArguments.strings(body.path("names")), GraphArguments.asOf(body));
                })));
        routes.post("/api/memory/graph/entities/delete", ctx -> {
            run(() -> {
                graph.deleteEntities(
                        owner(ctx), GraphArguments.strings(body(ctx).path("entityNames")));
                return null;
            });
            ctx.status(204);
        });
        routes.post("/api/memory/graph/observations/delete", ctx -> {
            run(() -> {
                graph.deleteObservations(
                        owner(ctx), GraphArguments.batches(body(ctx).path("deletions"), "observations"));
                return null;
            });
            ctx.status(204);
        });
        routes.post("/api/memory/graph/relations/delete", ctx -> {
            run(() -> {
                graph.deleteRelations(
                        owner(ctx), GraphArguments.relations(body(ctx).path("relations")));
                return null;
            });
            ctx.status(204);
        });
    }

    private void addMemoryRoutes(JavalinDefaultRoutingApi routes) {
        routes.post("/api/memory/memories", ctx -> {
            JsonNode body = body(ctx);
            java.util.List<String> tags =
                    run(() -> body.has("tags") ? GraphArguments.strings(body.path("tags")) : java.util.List.of());
            Long ttl = body.has("ttl_seconds") ? body.path("ttl_seconds").asLong() : null;
            String supersedes = optionalText(body, "supersedes");
            MemoryStore.Remembered r = run(() -> supersedes != null
                    ? memories.supersede(
                            owner(ctx),
                            supersedes,
                            GraphArguments.text(body, "text"),
                            tags,
                            body.path("importance").asDouble(0.5),
                            ttl)
                    : memories.remember(
                            owner(ctx),
                            optionalText(body, "agent"),
                            optionalText(body, "session_id"),
                            GraphArguments.text(body, "text"),
                            tags,
                            body.path("importance").asDouble(0.5),
                            ttl));
            ctx.status(r.merged() ? 200 : 201).json(Map.of("memory", r.memory(), "merged", r.merged()));
        });
        routes.get("/api/memory/memories", ctx -> {
            String query = ctx.queryParam("q");
            if (query == null || query.isBlank()) {
                ctx.json(Map.of("data", memories.list(owner(ctx), Requests.queryInt(ctx, "limit", 100, 1, 1000))));
                return;
            }
            java.util.List<String> tags = ctx.queryParams("tag");
            AsOf asOf = run(() -> GraphArguments.asOf(ctx.queryParam("as_of")));
            ctx.json(Map.of(
                    "data",
                    memories.recall(
                            owner(ctx),
                            query,
                            Requests.queryInt(ctx, "k", 10, 1, 100),
                            ctx.queryParams("agent"),
                            tags,
                            instant(ctx, "since"),
                            instant(ctx, "until"),
                            asOf)));
        });
        routes.delete("/api/memory/memories/{id}", ctx -> {
            String purge = ctx.queryParamAsClass("purge", String.class).getOrDefault("false");
            if (!purge.equals("true") && !purge.equals("false")) {
                throw ProblemException.badRequest("query parameter 'purge' must be true or false");
            }
            if (purge.equals("true")) {
                memories.purge(owner(ctx), Requests.pathId(ctx, "id"));
            } else {
                memories.forget(owner(ctx), Requests.pathId(ctx, "id"));
            }
            ctx.status(204);
        });
        routes.patch("/api/memory/memories/{id}", ctx -> {
            JsonNode body = body(ctx);
            ctx.json(run(() -> memories.update(
                    owner(ctx),
                    Requests.pathId(ctx, "id"),
                    optionalText(body, "text"),
                    body.has("tags") ? GraphArguments.strings(body.path("tags")) : null,
                    optionalNumber(body, "importance"))));
        });
    }

    private static String optionalText(JsonNode body, String field) {
        return body.path(field).isString() ? body.path(field).asString() : null;
    }

    private static Double optionalNumber(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw ProblemException.badRequest("'" + field + "' must be a number");
        }
        return value.asDouble();
    }

    private static java.time.Instant instant(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return java.time.Instant.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw ProblemException.badRequest("'" + name + "' must be an ISO-8601 instant");
        }
    }

    private void search(Context ctx) {
        String query = ctx.queryParam("q");
        if (query == null || query.isBlank() || query.length() > 1000) {
            throw ProblemException.badRequest("query parameter 'q' must be 1 to 1000 characters");
        }
        String semantic = ctx.queryParamAsClass("semantic", String.class).getOrDefault("false");
        if (!semantic.equals("true") && !semantic.equals("false")) {
            throw ProblemException.badRequest("query parameter 'semantic' must be true or false");
        }
        int limit = Requests.queryInt(ctx, "limit", 20, 1, 1000);
        int offset = Requests.queryInt(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        ctx.json(page(run(() -> graphSearch.searchPage(
                owner(ctx),
                query,
                limit,
                offset,
                semantic.equals("true"),
                GraphArguments.asOf(ctx.queryParam("as_of"))))));
    }

    /** {entities, relations}, and nextOffset when there is a next page. */
    private static Map<String, Object> page(Page page) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("entities", page.graph().entities());
        out.put("relations", page.graph().relations());
        if (page.nextOffset() != null) {
            out.put("nextOffset", page.nextOffset());
        }
        return out;
    }

    private static String owner(Context ctx) {
        return Requests.principal(ctx).owner();
    }

    private static JsonNode body(Context ctx) {
        JsonNode body = Bodies.tree(ctx);
        if (!body.isObject()) {
            throw ProblemException.badRequest("the request body must be a JSON object");
        }
        return body;
    }

    private static <T> T run(Supplier<T> action) {
        try {
            return action.get();
        } catch (GraphException e) {
            throw e.getMessage().endsWith("not found")
                    ? ProblemException.notFound(e.getMessage())
                    : ProblemException.invalid(java.util.List.of(e.getMessage()));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(e.getMessage());
        }
    }
}
