package io.orchestra.server.ui;

import io.javalin.router.JavalinDefaultRoutingApi;
import io.orchestra.core.error.ProblemException;
import io.orchestra.memory.graph.Graph;
import io.orchestra.memory.graph.KnowledgeGraph;
import io.orchestra.memory.memories.Memory;
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
 * first; adding and editing a memory (text, tags, importance; problems beside their fields); one
 * entity's relations drawn as a graph; deleting a memory or an entity (confirmed, CSRF).
 */
public final class MemoryPage implements UiPage {
    static final int SHOWN = 50;
    /** What the redirect after a save says happened. */
    static final List<String> SAVED = List.of("added", "merged", "updated");

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
        String saved = input.choice("saved", "Saved", SAVED, null);
        render(request, scope, input, q, saved, MemoryForm.EMPTY, FieldErrors.NONE);
    }

    private void render(
            UiRequest request,
            OwnerScope scope,
            UiInput input,
            String q,
            String saved,
            MemoryForm form,
            FieldErrors formErrors) {
        List<Recalled> found;
        Graph entities;
        if (q == null) {
            // No query: newest memories (no score) and the first entities by name.
            found = memories.list(scope.owner(), SHOWN).stream()
                    .map(m -> new Recalled(m, Double.NaN))
                    .toList();
            entities = graph.readGraph(scope.owner(), SHOWN, 0);
        } else {
            // Recall ranks every candidate; one scoring below zero is further from the query than
            // unrelated text, so it is not a match to show.
            found = memories.recall(scope.owner(), q, 20, null, List.of(), null, null).stream()
                    .filter(r -> r.score() > 0)
                    .toList();
            entities = graph.searchNodes(scope.owner(), q, SHOWN, 0);
        }
        Map<String, Object> view = new HashMap<>();
        view.put("scope", scope);
        view.put("q", q);
        view.put("memories", found);
        view.put("entities", entities.entities());
        view.put("entityCount", graph.countEntities(scope.owner()));
        view.put("deleted", input.text("deleted", "Deleted", 500));
        view.put("saved", saved);
        view.put("form", form);
        view.put("formErrors", formErrors);
        view.put("errors", input.errors());
        request.page("memory.jte", title(), view);
    }

    @Override
    public void addActions(JavalinDefaultRoutingApi routes, UiGuard guard) {
        routes.get("/ui/memory/entity", guard.signedIn(false, this::entity), Access.PUBLIC);
        routes.post("/ui/memory/memories", guard.signedIn(false, this::create), Access.PUBLIC);
        routes.get("/ui/memory/memories/{id}/edit", guard.signedIn(false, this::edit), Access.PUBLIC);
        routes.post("/ui/memory/memories/{id}", guard.signedIn(false, this::update), Access.PUBLIC);
        routes.post("/ui/memory/memories/{id}/delete", guard.signedIn(false, this::deleteMemory), Access.PUBLIC);
        routes.post("/ui/memory/entity/delete", guard.signedIn(false, this::deleteEntity), Access.PUBLIC);
    }

    /** Adds a shared memory of the owner (as POST /api/memory/memories: a near-duplicate merges). */
    private void create(UiRequest request) {
        UiInput input = UiInput.form(request.ctx());
        OwnerScope scope = OwnerScope.of(request, keys, input);
        MemoryForm form = MemoryForm.from(request.ctx());
        MemoryForm.Checked checked = form.check();
        // A member naming another owner is told so above the form, and nothing is saved.
        if (checked.ok() && input.errors().isEmpty()) {
            try {
                MemoryStore.Remembered done = memories.remember(
                        scope.owner(), null, null, checked.text(), checked.tags(), checked.importance(), null);
                request.ctx().redirect(back(scope, done.merged() ? "merged" : "added"));
                return;
            } catch (ProblemException e) {
                checked = new MemoryForm.Checked(checked.text(), checked.tags(), checked.importance(), problems(e));
            }
        }
        request.ctx().status(422);
        render(request, scope, input, null, null, form, new FieldErrors(checked.problems()));
    }

    private void edit(UiRequest request) {
        UiInput input = UiInput.query(request.ctx());
        OwnerScope scope = OwnerScope.of(request, keys, input);
        Optional<Memory> memory = memories.find(scope.owner(), request.ctx().pathParam("id"));
        if (memory.isEmpty()) {
            memoryNotFound(request, scope);
            return;
        }
        editor(request, scope, memory.get(), MemoryForm.of(memory.get()), FieldErrors.NONE, input.errors());
    }

    /** Saves the edited fields in place (the memory keeps its id; new text is embedded again). */
    private void update(UiRequest request) {
        UiInput input = UiInput.form(request.ctx());
        OwnerScope scope = OwnerScope.of(request, keys, input);
        Optional<Memory> memory = memories.find(scope.owner(), request.ctx().pathParam("id"));
        if (memory.isEmpty()) {
            memoryNotFound(request, scope);
            return;
        }
        MemoryForm form = MemoryForm.from(request.ctx());
        MemoryForm.Checked checked = form.check();
        if (checked.ok() && input.errors().isEmpty()) {
            try {
                memories.update(
                        scope.owner(),
                        memory.get().id(),
                        checked.text().equals(memory.get().text()) ? null : checked.text(),
                        checked.tags(),
                        checked.importance());
                request.ctx().redirect(back(scope, "updated"));
                return;
            } catch (ProblemException e) {
                if (e.status() == 404) {
                    memoryNotFound(request, scope);
                    return;
                }
                checked = new MemoryForm.Checked(checked.text(), checked.tags(), checked.importance(), problems(e));
            }
        }
        request.ctx().status(422);
        editor(request, scope, memory.get(), form, new FieldErrors(checked.problems()), input.errors());
    }

    private void editor(
            UiRequest request,
            OwnerScope scope,
            Memory memory,
            MemoryForm form,
            FieldErrors formErrors,
            List<String> errors) {
        Map<String, Object> view = new HashMap<>();
        view.put("scope", scope);
        view.put("memory", memory);
        view.put("form", form);
        view.put("formErrors", formErrors);
        view.put("errors", errors);
        request.page("memory-edit.jte", "Edit memory", view);
    }

    private static void memoryNotFound(UiRequest request, OwnerScope scope) {
        // Another owner's memory is as unknown as a deleted one.
        UiNotice.notFound(
                request,
                "Memory not found",
                "There is no memory with this id among " + scope.owner() + "'s memories (it may have been deleted).",
                "/ui/memory?" + scope.param(),
                "memory");
    }

    private static List<String> problems(ProblemException e) {
        return e.errors().isEmpty() ? List.of(e.detail()) : e.errors();
    }

    private static String back(OwnerScope scope, String saved) {
        return "/ui/memory?" + scope.param() + "&saved=" + saved;
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
