package io.orchestra.server.ui;

import io.javalin.router.JavalinDefaultRoutingApi;
import io.orchestra.agents.knowledge.Document;
import io.orchestra.agents.knowledge.DocumentSearch;
import io.orchestra.agents.knowledge.DocumentService;
import io.orchestra.agents.knowledge.DocumentStore;
import io.orchestra.agents.persona.PersonaStore;
import io.orchestra.core.auth.Principal;
import io.orchestra.core.auth.Role;
import io.orchestra.core.error.ProblemException;
import io.orchestra.core.jobs.JobQueue;
import io.orchestra.server.agents.DocumentRoutes;
import io.orchestra.server.auth.ApiKeyStore;
import io.orchestra.server.http.Access;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * /ui/documents: upload (XMLHttpRequest, so the browser can show upload progress) with a picker of
 * the owner's personas, the ingestion status of each document (polled by htmx while any is still
 * queued or processing), search with citations, a document's chunks, retry and delete. Everything
 * goes through the same services as /api/documents.
 */
public final class DocumentsPage implements UiPage {
    static final int SHOWN = 100;
    /** Chunks per page of a document's chunk view. */
    static final int CHUNKS_PER_PAGE = 50;

    /** A persona a document can be limited to: its id (the value stored) and how the picker names it. */
    public record PersonaChoice(String id, String label) {}

    private final DocumentService documents;
    private final DocumentStore store;
    private final JobQueue jobs;
    private final DocumentSearch search;
    private final PersonaStore personas;
    private final ApiKeyStore keys;

    public DocumentsPage(
            DocumentService documents,
            DocumentStore store,
            JobQueue jobs,
            DocumentSearch search,
            PersonaStore personas,
            ApiKeyStore keys) {
        this.documents = documents;
        this.store = store;
        this.jobs = jobs;
        this.search = search;
        this.personas = personas;
        this.keys = keys;
    }

    @Override
    public String path() {
        return "/ui/documents";
    }

    @Override
    public String title() {
        return "Documents";
    }

    @Override
    public boolean adminOnly() {
        return false;
    }

    @Override
    public void show(UiRequest request) {
        UiInput input = UiInput.query(request.ctx());
        OwnerScope scope = OwnerScope.of(request, keys, input);
        String q = input.text("q", "Search", 2000);
        Map<String, Object> view = new HashMap<>();
        view.put("scope", scope);
        view.put("q", q);
        // The same fused search as GET /api/documents/search, with its minimum similarity.
        view.put("citations", q == null ? List.of() : search.search(scope.owner(), q, 5, null));
        view.put("rows", rows(scope.owner()));
        view.put("personas", personaChoices(request, scope));
        view.put("maxBytes", documents.maxBytes());
        view.put("errors", input.errors());
        view.put("chunksPerPage", CHUNKS_PER_PAGE);
        request.page("documents.jte", title(), view);
    }

    @Override
    public void addActions(JavalinDefaultRoutingApi routes, UiGuard guard) {
        routes.get(
                "/ui/documents/list",
                guard.signedIn(false, r -> {
                    OwnerScope scope = OwnerScope.of(r, keys, UiInput.query(r.ctx()));
                    r.fragment(
                            "documents-list.jte",
                            Map.of(
                                    "scope",
                                    scope,
                                    "rows",
                                    rows(scope.owner()),
                                    "csrf",
                                    r.session().csrf()));
                }),
                Access.PUBLIC);
        routes.get("/ui/documents/{id}/chunks", guard.signedIn(false, this::chunks), Access.PUBLIC);
        routes.post("/ui/documents/upload", guard.signedIn(false, this::upload), Access.PUBLIC);
        routes.post("/ui/documents/{id}/retry", guard.signedIn(false, r -> act(r, true)), Access.PUBLIC);
        routes.post("/ui/documents/{id}/delete", guard.signedIn(false, r -> act(r, false)), Access.PUBLIC);
    }

    /** One document's chunks in order, each with its index, size and text, a page at a time. */
    private void chunks(UiRequest request) {
        UiInput input = UiInput.query(request.ctx());
        OwnerScope scope = OwnerScope.of(request, keys, input);
        String id = request.ctx().pathParam("id");
        Optional<Document> document = store.find(id, scope.owner());
        if (document.isEmpty()) {
            // Another owner's document is as unknown as one that never existed.
            UiNotice.notFound(
                    request,
                    "Document not found",
                    "There is no document with this id among " + scope.owner() + "'s documents.",
                    "/ui/documents?" + scope.param(),
                    "documents");
            return;
        }
        List<DocumentStore.ChunkText> all =
                store.chunks(document.get().id(), document.get().owner());
        int pages = Math.max(1, (all.size() + CHUNKS_PER_PAGE - 1) / CHUNKS_PER_PAGE);
        int page = input.page();
        if (page > pages) {
            input.error("page: this document has " + pages + (pages == 1 ? " page" : " pages") + " of chunks");
            page = 1;
        }
        int from = (page - 1) * CHUNKS_PER_PAGE;
        Map<String, Object> view = new HashMap<>();
        view.put("scope", scope);
        view.put("row", DocumentRow.of(document.get(), jobs.find(document.get().jobId())));
        view.put("chunks", all.subList(from, Math.min(all.size(), from + CHUNKS_PER_PAGE)));
        view.put("total", all.size());
        view.put("page", page);
        view.put("pages", pages);
        view.put("errors", input.errors());
        request.page("document-chunks.jte", document.get().filename(), view);
    }

    /**
     * Answers JSON for the upload script: the document, or a problem whose detail (or per-field
     * {@code errors}) the page shows inline. The persona must be one the picker offers.
     */
    private void upload(UiRequest request) {
        OwnerScope scope = OwnerScope.of(request, keys, UiInput.query(request.ctx()));
        List<String> known =
                personaChoices(request, scope).stream().map(PersonaChoice::id).toList();
        DocumentService.Upload upload =
                DocumentRoutes.receive(request.ctx(), documents, scope.owner(), known::contains);
        request.ctx()
                .status(upload.duplicate() ? 200 : 201)
                .json(Map.of(
                        "id",
                        upload.document().id(),
                        "filename",
                        upload.document().filename(),
                        "status",
                        upload.document().status(),
                        "duplicate",
                        upload.duplicate()));
    }

    /**
     * The personas whose answers can use the owner's documents: the owner's own and the deployment's
     * (as personas are scoped), never another member's. An admin looking at a member's documents gets
     * that member's choices.
     */
    private List<PersonaChoice> personaChoices(UiRequest request, OwnerScope scope) {
        Principal user = request.user();
        Principal owner = user.owner().equals(scope.owner())
                ? user
                : new Principal(user.keyId(), user.keyName(), Role.MEMBER, scope.owner(), List.of());
        return personas.available(owner).stream()
                .map(p -> new PersonaChoice(
                        p.persona().id(),
                        p.persona().name() == null
                                        || p.persona().name().equals(p.persona().id())
                                ? p.persona().id()
                                : p.persona().name() + " (" + p.persona().id() + ")"))
                .toList();
    }

    /** Retry or delete, then the list again (htmx swaps it in; a plain form post goes back to the page). */
    private void act(UiRequest request, boolean retry) {
        OwnerScope scope = OwnerScope.of(request, keys, UiInput.query(request.ctx()));
        String id = request.ctx().pathParam("id");
        String problem = null;
        try {
            if (retry) {
                documents.retry(id, scope.owner());
            } else {
                documents.delete(id, scope.owner());
            }
        } catch (ProblemException e) {
            problem = e.getMessage();
        }
        if (request.ctx().header("HX-Request") == null) {
            request.ctx().redirect("/ui/documents?" + scope.param());
            return;
        }
        Map<String, Object> view = new HashMap<>();
        view.put("scope", scope);
        view.put("rows", rows(scope.owner()));
        view.put("csrf", request.session().csrf());
        view.put("problem", problem);
        request.fragment("documents-list.jte", view);
    }

    private List<DocumentRow> rows(String owner) {
        return store.list(owner, SHOWN, 0).stream()
                .map(d -> DocumentRow.of(d, jobs.find(d.jobId())))
                .toList();
    }
}
