package io.orchestra.server.ui;

import io.javalin.router.JavalinDefaultRoutingApi;
import io.orchestra.core.error.ProblemException;
import io.orchestra.memory.graph.Graph;
import io.orchestra.memory.graph.KnowledgeGraph;
import io.orchestra.memory.memories.MemoryStore;
import io.orchestra.memory.memories.Recalled;
import io.orchestra.server.auth.ApiKeyStore;
import io.orchestra.server.http.Access;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * /ui/memory: semantic memories and knowledge-graph entities of one owner, searched or newest
 * first; one entity's relations drawn as a graph; deleting a memory or an entity (confirmed, CSRF).
 */
public final class MemoryPage implements UiPage {
    static final int SHOWN = 50;

    private final MemoryStore memories;
    private final KnowledgeGraph graph;
    private final ApiKeyStore keys;

    public MemoryPage(MemoryStore memories, KnowledgeGraph graph, ApiKeyStore keys) {
        this.memories = memories;
        this.graph = graph;
        this.keys = keys;
    }

    @Override
    public String path() {
        return "/ui/memory";
    }

    @Override
    public String title() {
        return "Memory";
    }

    @Override
    public boolean adminOnly() {
        return false;
    }

    @Override
    public void show(UiRequest request) {
        UiInput input = UiInput.query(request.ctx());
        OwnerScope scope = OwnerScope.of(request, keys, input);
        String q = input.text("q", "Search", 1000);
        List<Recalled> found;
        Graph entities;
        if (q == null) {
            // No query: newest memories (no score) and the first entities by name.
            found = memories.list(scope.owner(), SHOWN).stream()
                    .map(m -> new Recalled(m, Double.NaN))
                    .toList();
            entities = graph.readGraph(scope.owner(), SHOWN, 0);
        } else {
            found = memories.recall(scope.owner(), q, 20, null, List.of(), null, null);
            entities = graph.searchNodes(scope.owner(), q, SHOWN, 0);
        }
        Map<String, Object> view = new HashMap<>();
        view.put("scope", scope);
        view.put("q", q);
        view.put("memories", found);
        view.put("entities", entities.entities());
        view.put("entityCount", graph.countEntities(scope.owner()));
        view.put("deleted", input.text("deleted", "Deleted", 500));
        view.put("errors", input.errors());
        request.page("memory.jte", title(), view);
    }

    @Override
    public void addActions(JavalinDefaultRoutingApi routes, UiGuard guard) {
        routes.get("/ui/memory/entity", guard.signedIn(false, this::entity), Access.PUBLIC);
        routes.post("/ui/memory/memories/{id}/delete", guard.signedIn(false, this::deleteMemory), Access.PUBLIC);
        routes.post("/ui/memory/entity/delete", guard.signedIn(false, this::deleteEntity), Access.PUBLIC);
    }

    private void entity(UiRequest request) {
        UiInput input = UiInput.query(request.ctx());
        OwnerScope scope = OwnerScope.of(request, keys, input);
        String name = input.text("name", "Entity", 500);
        Optional<EntityGraph> view = name == null ? Optional.empty() : EntityGraph.of(graph, scope.owner(), name);
        if (view.isEmpty()) {
            UiNotice.notFound(
                    request,
                    "Entity not found",
                    "There is no entity with this name in " + scope.owner() + "'s knowledge graph.",
                    "/ui/memory?" + scope.param(),
                    "memory");
            return;
        }
        request.page("memory-entity.jte", "Entity: " + name, Map.of("scope", scope, "g", view.get()));
    }

    /** htmx removes the row (empty answer); a plain form post goes back to the list. */
    private void deleteMemory(UiRequest request) {
        OwnerScope scope = OwnerScope.of(request, keys, UiInput.form(request.ctx()));
        String id = request.ctx().pathParam("id");
        try {
            memories.forget(scope.owner(), id);
        } catch (ProblemException e) {
            // Already gone (another tab, or not this owner's): say so instead of failing.
            if (request.ctx().header("HX-Request") != null) {
                request.ctx()
                        .html(
                                "<li class=\"error\" role=\"alert\">That memory was already deleted or is not yours.</li>");
                return;
            }
        }
        if (request.ctx().header("HX-Request") != null) {
            request.ctx().html("");
        } else {
            request.ctx().redirect("/ui/memory?" + scope.param());
        }
    }

    private void deleteEntity(UiRequest request) {
        UiInput input = UiInput.form(request.ctx());
        OwnerScope scope = OwnerScope.of(request, keys, input);
        String name = input.text("name", "Entity", 500);
        if (name != null) {
            graph.deleteEntities(scope.owner(), List.of(name));
        }
        String back = "/ui/memory?" + scope.param()
                + (name == null ? "" : "&deleted=" + URLEncoder.encode(name, StandardCharsets.UTF_8));
        if (request.ctx().header("HX-Request") != null) {
            request.ctx().header("HX-Redirect", back).status(204);
        } else {
            request.ctx().redirect(back);
        }
    }
}
