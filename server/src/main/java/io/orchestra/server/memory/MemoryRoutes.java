package io.orchestra.server.memory;

import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.orchestra.core.error.ProblemException;
import io.orchestra.memory.graph.GraphArguments;
import io.orchestra.memory.graph.GraphException;
import io.orchestra.memory.graph.KnowledgeGraph;
import io.orchestra.server.http.Bodies;
import io.orchestra.server.http.Requests;
import io.orchestra.server.http.RouteGroup;
import java.util.Map;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/** /api/memory/graph: the MCP memory tools over REST, same argument shapes, scoped to the key's owner. */
public final class MemoryRoutes implements RouteGroup {
    private final KnowledgeGraph graph;

    public MemoryRoutes(KnowledgeGraph graph) {
        this.graph = graph;
    }

    @Override
    public void addRoutes(JavalinDefaultRoutingApi routes) {
        routes.get("/api/memory/graph", ctx -> ctx.json(graph.readGraph(owner(ctx), Requests.queryInt(ctx, "limit", 1000, 1, 100_000),
                Requests.queryInt(ctx, "offset", 0, 0, Integer.MAX_VALUE))));
        routes.get("/api/memory/graph/search", this::search);
        routes.post("/api/memory/graph/entities", ctx -> ctx.status(201).json(Map.of("entities",
                run(() -> graph.createEntities(owner(ctx), GraphArguments.entities(body(ctx).path("entities")))))));
        routes.post("/api/memory/graph/relations", ctx -> ctx.status(201).json(Map.of("relations",
                run(() -> graph.createRelations(owner(ctx), GraphArguments.relations(body(ctx).path("relations")))))));
        routes.post("/api/memory/graph/observations", ctx -> ctx.json(Map.of("results",
                run(() -> graph.addObservations(owner(ctx), GraphArguments.batches(body(ctx).path("observations"), "contents")).stream()
                        .map(b -> Map.of("entityName", b.entityName(), "addedObservations", b.contents())).toList()))));
        routes.post("/api/memory/graph/nodes", ctx -> ctx.json(run(() -> graph.openNodes(owner(ctx), GraphArguments.strings(body(ctx).path("names"))))));
        routes.post("/api/memory/graph/entities/delete", ctx -> {
            run(() -> {
                graph.deleteEntities(owner(ctx), GraphArguments.strings(body(ctx).path("entityNames")));
                return null;
            });
            ctx.status(204);
        });
        routes.post("/api/memory/graph/observations/delete", ctx -> {
            run(() -> {
                graph.deleteObservations(owner(ctx), GraphArguments.batches(body(ctx).path("deletions"), "observations"));
                return null;
            });
            ctx.status(204);
        });
        routes.post("/api/memory/graph/relations/delete", ctx -> {
            run(() -> {
                graph.deleteRelations(owner(ctx), GraphArguments.relations(body(ctx).path("relations")));
                return null;
            });
            ctx.status(204);
        });
    }

    private void search(Context ctx) {
        String query = ctx.queryParam("q");
        if (query == null || query.isBlank() || query.length() > 1000) {
            throw ProblemException.badRequest("query parameter 'q' must be 1 to 1000 characters");
        }
        ctx.json(graph.searchNodes(owner(ctx), query, Requests.queryInt(ctx, "limit", 20, 1, 1000),
                Requests.queryInt(ctx, "offset", 0, 0, Integer.MAX_VALUE)));
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
            throw e.getMessage().endsWith("not found") ? ProblemException.notFound(e.getMessage())
                    : ProblemException.invalid(java.util.List.of(e.getMessage()));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(e.getMessage());
        }
    }
}
