package io.orchestra.server.ui;

import io.javalin.router.JavalinDefaultRoutingApi;
import io.orchestra.agents.knowledge.DocumentSearch;
import io.orchestra.agents.knowledge.DocumentService;
import io.orchestra.agents.knowledge.DocumentStore;
import io.orchestra.core.error.ProblemException;
import io.orchestra.core.jobs.JobQueue;
import io.orchestra.server.agents.DocumentRoutes;
import io.orchestra.server.auth.ApiKeyStore;
import io.orchestra.server.http.Access;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * /ui/documents: upload (XMLHttpRequest, so the browser can show upload progress), the ingestion
 * status of each document (polled by htmx while any is still queued or processing), search with
 * citations, retry and delete. Everything goes through the same services as /api/documents.
 */
public final class DocumentsPage implements UiPage {
    static final int SHOWN = 100;

    private final DocumentService documents;
    private final DocumentStore store;
    private final JobQueue jobs;
    private final DocumentSearch search;
    private final ApiKeyStore keys;

    public DocumentsPage(
            DocumentService documents, DocumentStore store, JobQueue jobs, DocumentSearch search, ApiKeyStore keys) {
        this.documents = documents;
        this.store = store;
        this.jobs = jobs;
        this.search = search;
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
        view.put("citations", q == null ? List.of() : search.search(scope.owner(), q, 5, null));
        view.put("rows", rows(scope.owner()));
        view.put("maxBytes", documents.maxBytes());
        view.put("errors", input.errors());
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
        routes.post("/ui/documents/upload", guard.signedIn(false, this::upload), Access.PUBLIC);
        routes.post("/ui/documents/{id}/retry", guard.signedIn(false, r -> act(r, true)), Access.PUBLIC);
        routes.post("/ui/documents/{id}/delete", guard.signedIn(false, r -> act(r, false)), Access.PUBLIC);
    }

    /** Answers JSON for the upload script: the document, or a problem whose detail the page shows inline. */
    private void upload(UiRequest request) {
        OwnerScope scope = OwnerScope.of(request, keys, UiInput.query(request.ctx()));
        DocumentService.Upload upload = DocumentRoutes.receive(request.ctx(), documents, scope.owner());
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
