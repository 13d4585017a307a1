package io.orchestra.agents.knowledge;

import io.orchestra.core.error.ProblemException;
import io.orchestra.core.jobs.Job;
import io.orchestra.core.jobs.JobHandler;
import io.orchestra.core.jobs.JobQueue;
import io.orchestra.core.json.Json;
import io.orchestra.core.util.Ids;
import io.orchestra.core.util.Vectors;
import io.orchestra.memory.embeddings.Embedder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Upload and ingestion: the upload streams to disk while hashing (so memory use does not grow with
 * the file), a second upload of the same bytes by the same owner returns the first document, and
 * the text extraction and chunking run as a background job whose progress users can follow.
 */
public final class DocumentService {
    public static final String INGEST_JOB = "document.ingest";

    private final DocumentStore store;
    private final JobQueue jobs;
    private final Path storageDir;
    private final long maxBytes;
    private final TextExtractor extractor = new TextExtractor();
    private final Chunker chunker;
    private final Runnable wakeWorkers;
    private final Embedder embedder;

    /** The result of an upload: the document and whether it was already there. */
    public record Upload(Document document, boolean duplicate) {}

    public DocumentService(
            DocumentStore store,
            JobQueue jobs,
            Path storageDir,
            long maxBytes,
            Chunker chunker,
            Embedder embedder,
            Runnable wakeWorkers) {
        this.embedder = embedder;
        this.store = store;
        this.jobs = jobs;
        this.storageDir = storageDir;
        this.maxBytes = maxBytes;
        this.chunker = chunker;
        this.wakeWorkers = wakeWorkers;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /**
     * The last segment of a client's file name, without control characters. Done on the string, not
     * with Path: {@code Path.of("/").getFileName()} is null and a NUL byte throws.
     */
    static String safeName(String filename) {
        String name = filename == null ? "" : filename.replaceAll("\\p{Cntrl}", "");
        name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1)
                .strip();
        return name.isEmpty() || name.equals(".") || name.equals("..") ? "document" : name;
    }

    public Upload upload(String owner, String personaId, String filename, InputStream content) {
        String safeName = safeName(filename);
        if (safeName.length() > 500) {
            throw ProblemException.badRequest("file name is longer than 500 characters");
        }
        try {
            Files.createDirectories(storageDir);
            Path temp = Files.createTempFile(storageDir, "upload", ".part");
            String sha;
            long size;
            try {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                try (OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), digest)) {
                    size = copyWithLimit(content, out);
                }
                sha = HexFormat.of().formatHex(digest.digest());
            } catch (RuntimeException | IOException e) {
                Files.deleteIfExists(temp);
                throw e;
            }
            if (size == 0) {
                Files.deleteIfExists(temp);
                throw ProblemException.badRequest("the uploaded file is empty");
            }
            var existing = store.findBySha(owner, sha);
            if (existing.isPresent()) {
                Files.deleteIfExists(temp);
                return new Upload(existing.get(), true);
            }
            String id = Ids.newId("doc");
            Path file = storageDir.resolve(id);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            String jobId = jobs.enqueue(INGEST_JOB, owner, Json.write(java.util.Map.of("document_id", id)), 3);
            Document document = store.insert(id, owner, personaId, safeName, size, sha, file.toString(), jobId);
            wakeWorkers.run();
            return new Upload(document, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the upload", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private long copyWithLimit(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        while ((read = in.read(buffer)) >= 0) {
            total += read;
            if (total > maxBytes) {
                throw ProblemException.tooLarge(
                        "the file is larger than the limit of " + maxBytes + " bytes (orchestra.documents.max-bytes)");
            }
            out.write(buffer, 0, read);
        }
        return total;
    }

    /** Queues a failed document's ingestion again. */
    public Document retry(String id, String owner) {
        Document document = store.get(id, owner);
        if (!document.status().equals("failed")) {
            throw ProblemException.conflict(
                    "document '" + id + "' is " + document.status() + "; only failed documents can be retried");
        }
        jobs.retry(document.jobId());
        store.setStatus(id, "queued", null, null);
        wakeWorkers.run();
        return store.get(id, owner);
    }

    public void delete(String id, String owner) {
        String path = store.delete(id, owner)
                .orElseThrow(() -> ProblemException.notFound("no document with id '" + id + "'"));
        try {
            Files.deleteIfExists(Path.of(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The background step: extract, chunk, store; failures are recorded on the document. */
    public JobHandler ingestHandler() {
        return (Job job, JobHandler.Progress progress) -> {
            String id = Json.tree(job.payload()).get("document_id").asString();
            Document document = store.get(id, job.owner());
            store.setStatus(id, "processing", null, null);
            try {
                progress.report(0.1, "extracting text");
                TextExtractor.Extracted extracted =
                        extractor.extract(Path.of(store.storagePath(id)), document.filename());
                store.setStatus(id, "processing", null, extracted.mediaType());
                progress.report(0.3, "chunking");
                List<Chunker.Chunk> chunks = chunker.split(extracted.text());
                List<String> embeddings = new java.util.ArrayList<>();
                for (int from = 0; from < chunks.size(); from += 32) {
                    List<Chunker.Chunk> batch = chunks.subList(from, Math.min(chunks.size(), from + 32));
                    embedder.embed(batch.stream().map(Chunker.Chunk::text).toList())
                            .forEach(v -> embeddings.add(Vectors.encode(v)));
                    progress.report(
                            0.3 + 0.65 * embeddings.size() / chunks.size(),
                            "embedding " + embeddings.size() + "/" + chunks.size());
                }
                store.replaceChunks(document, chunks, embeddings);
                progress.report(1.0, chunks.size() + " chunks" + (extracted.truncated() ? " (text truncated)" : ""));
            } catch (Exception e) {
                boolean lastAttempt =
                        e instanceof io.orchestra.core.jobs.PermanentJobFailure || job.attempts() >= job.maxAttempts();
                store.setStatus(id, lastAttempt ? "failed" : "queued", e.getMessage(), null);
                throw e;
            }
        };
    }
}
