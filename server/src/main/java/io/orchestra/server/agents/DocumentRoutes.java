package io.orchestra.server.agents;

import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.orchestra.agents.knowledge.Document;
import io.orchestra.agents.knowledge.DocumentSearch;
import io.orchestra.agents.knowledge.DocumentService;
import io.orchestra.agents.knowledge.DocumentStore;
import io.orchestra.agents.persona.PersonaParser;
import io.orchestra.core.error.ProblemException;
import io.orchestra.core.jobs.Job;
import io.orchestra.core.jobs.JobQueue;
import io.orchestra.server.http.Requests;
import io.orchestra.server.http.RouteGroup;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** /api/documents: upload (multipart), ingestion status, chunks, retry, delete. */
public final class DocumentRoutes implements RouteGroup {
    private final DocumentService documents;
    private final DocumentStore store;
    private final JobQueue jobs;
    private final DocumentSearch search;

    public DocumentRoutes(DocumentService documents, DocumentStore store, JobQueue jobs, DocumentSearch search) {
        this.documents = documents;
        this.store = store;
        this.jobs = jobs;
        this.search = search;
    }

    @Override
    public void addRoutes(JavalinDefaultRoutingApi routes) {
        routes.post("/api/documents", this::upload);
        routes.get(
                "/api/documents",
                ctx -> ctx.json(Map.of(
                        "data",
                        store.list(
                                Requests.principal(ctx).owner(),
                                Requests.queryInt(ctx, "limit", 50, 1, 500),
                                Requests.queryInt(ctx, "offset", 0, 0, Integer.MAX_VALUE)))));
        routes.get("/api/documents/search", ctx -> {
            String query = ctx.queryParam("q");
            if (query == null || query.isBlank() || query.length() > 2000) {
                throw ProblemException.badRequest("query parameter 'q' must be 1 to 2000 characters");
            }
            String persona = ctx.queryParam("persona_id");
            ctx.json(Map.of(
                    "query",
                    query,
                    "citations",
                    search.search(
                            Requests.principal(ctx).owner(),
                            query,
                            Requests.queryInt(ctx, "k", 5, 1, 50),
                            persona == null || persona.isBlank() ? null : persona)));
        });
        routes.get(
                "/api/documents/{id}",
                ctx -> ctx.json(view(store.get(
                        Requests.pathId(ctx, "id"), Requests.principal(ctx).owner()))));
        routes.get("/api/documents/{id}/chunks", ctx -> {
            Document document = store.get(
                    Requests.pathId(ctx, "id"), Requests.principal(ctx).owner());
            ctx.json(Map.of("data", store.chunks(document.id(), document.owner())));
        });
        routes.post(
                "/api/documents/{id}/retry",
                ctx -> ctx.status(202)
                        .json(view(documents.retry(
                                Requests.pathId(ctx, "id"),
                                Requests.principal(ctx).owner()))));
        routes.delete("/api/documents/{id}", ctx -> {
            documents.delete(Requests.pathId(ctx, "id"), Requests.principal(ctx).owner());
            ctx.status(204);
        });
    }

    private void upload(Context ctx) {
        DocumentService.Upload upload =
                receive(ctx, documents, Requests.principal(ctx).owner());
        Map<String, Object> body = view(upload.document());
        body.put("duplicate", upload.duplicate());
        ctx.status(upload.duplicate() ? 200 : 201).json(body);
    }

    /**
     * Reads a multipart upload (part {@code file}, optional {@code persona_id}) into the document
     * service for {@code owner}; bad or oversized bodies become 4xx problems. Shared with the UI's upload.
     */
    public static DocumentService.Upload receive(Context ctx, DocumentService documents, String owner) {
        return receive(ctx, documents, owner, persona -> true);
    }

    /**
     * As {@link #receive(Context, DocumentService, String)}, refusing a {@code persona_id} that
     * {@code knownPersona} does not accept with a 422 whose {@code errors} name the field (the UI's picker).
     */
    public static DocumentService.Upload receive(
            Context ctx, DocumentService documents, String owner, Predicate<String> knownPersona) {
        if (!ctx.isMultipartFormData()) {
            throw new ProblemException(
                    415,
                    "unsupported-media-type",
                    "Unsupported media type",
                    "upload the file as multipart/form-data with a part named 'file'");
        }
        UploadedFile file;
        try {
            file = ctx.uploadedFile("file");
        } catch (Exception e) {
            // Jetty parses the parts on first access and rejects oversized or malformed ones there.
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            if (String.valueOf(root.getMessage()).contains("max file size")
                    || String.valueOf(root.getMessage()).contains("max length")) {
                throw ProblemException.tooLarge("the file is larger than the limit of " + documents.maxBytes()
                        + " bytes (orchestra.http.max-upload-bytes)");
            }
            throw ProblemException.badRequest("malformed multipart body");
        }
        if (file == null) {
            throw ProblemException.badRequest("missing the multipart part 'file'");
        }
        String persona = ctx.formParam("persona_id");
        if (persona != null
                && !persona.isBlank()
                && !PersonaParser.ID.matcher(persona).matches()) {
            throw ProblemException.badRequest("persona_id: not a valid persona id");
        }
        if (persona != null && !persona.isBlank() && !knownPersona.test(persona)) {
            throw ProblemException.invalid(
                    List.of("persona_id: there is no persona '" + persona + "' to limit the document to"));
        }
        try (InputStream content = file.content()) {
            return documents.upload(
                    owner, persona == null || persona.isBlank() ? null : persona, file.filename(), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, Object> view(Document document) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", document.id());
        body.put("filename", document.filename());
        body.put("media_type", document.mediaType());
        body.put("size_bytes", document.sizeBytes());
        body.put("sha256", document.sha256());
        body.put("persona_id", document.personaId());
        body.put("status", document.status());
        body.put("error", document.error());
        body.put("chunks", document.chunkCount());
        jobs.find(document.jobId()).ifPresent((Job job) -> {
            body.put("progress", document.status().equals("ready") ? 1.0 : job.progress());
            body.put("progress_message", job.message());
            body.put("attempts", job.attempts());
        });
        body.put("created_at", document.createdAt().toString());
        body.put("updated_at", document.updatedAt().toString());
        return body;
    }
}
