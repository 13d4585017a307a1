import io.orchestra.agents.knowledge.Chunker;
import io.orchestra.agents.knowledge.Document;
import io.orchestra.agents.knowledge.DocumentSearch;
import io.orchestra.agents.knowledge.DocumentStore;
import io.orchestra.agents.knowledge.Reranker;
import io.orchestra.agents.knowledge.HttpReranker;
import io.orchestra.core.config.AgentsSettings;
import io.orchestra.core.config.MemorySettings;
import io.orchestra.core.config.OrchestraConfig.DatabaseSettings;
import io.orchestra.core.json.Json;
import io.orchestra.core.storage.Database;
import io.orchestra.core.util.Vectors;
import io.orchestra.memory.embeddings.LocalEmbedder;
import io.orchestra.memory.index.VectorSearch;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * Document retrieval quality on a real document set: the installed man pages (section 1 and 8;
 * not the Google Cloud CLI's generated gcloud_* pages).
 * Each page's DESCRIPTION is a document; its NAME line's description ("print lines that match
 * patterns") is a question whose answer is that page. For Q questions: hit rate @5 and MRR@10
 * (by document) of keyword-only (the FTS5 index), vector-only (the vector index), fused (RRF,
 * what /api/documents/search does) and fused+reranker (when RERANKER_URL names a rerank endpoint).
 * Corpus cached as JSONL under bench/memory/cache/. Usage: java -cp CLASSPATH DocumentsBench.java [documents=2000] [questions=200]
 */
public class DocumentsBench {
    record Page(String name, String question, String text) {}

    public static void main(String[] args) throws Exception {
        int documents = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int questions = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        List<Page> pages = corpus(documents);
        System.out.printf("corpus: %d man pages (DESCRIPTION sections), %d questions (their NAME lines)%n", pages.size(), questions);
        LocalEmbedder model = new LocalEmbedder(Path.of("memory/target"));
        Path dir = Files.createTempDirectory("documents-bench");
        try (Database db = Database.open(new DatabaseSettings("jdbc:sqlite:" + dir.resolve("bench.db"), Optional.empty(), Optional.empty(), 4), "bench");
                VectorSearch vectors = VectorSearch.open(db, MemorySettings.VectorEngine.IN_PROCESS, model.dimensions(), Clock.systemUTC())) {
            db.migrate();
            DocumentStore store = new DocumentStore(db, Clock.systemUTC(), vectors.index(DocumentStore.CHUNKS));
            Chunker chunker = new Chunker(1200, 200);
            long started = System.nanoTime();
            int chunks = 0;
            for (int i = 0; i < pages.size(); i++) {
                Page page = pages.get(i);
                Document doc = store.insert("doc" + i, "bench", null, page.name(), page.text().length(), "sha" + i, "-", "job" + i);
                List<Chunker.Chunk> split = chunker.split(page.text());
                List<String> embeddings = model.embed(split.stream().map(Chunker.Chunk::text).toList()).stream().map(Vectors::encode).toList();
                store.replaceChunks(doc, split, embeddings);
                chunks += split.size();
            }
            System.out.printf("stored and embedded %d chunks in %.0f s%n", chunks, (System.nanoTime() - started) / 1e9);
            vectors.maintain();

            Random random = new Random(7);
            List<Page> asked = new ArrayList<>(pages);
            java.util.Collections.shuffle(asked, random);
            asked = asked.subList(0, Math.min(questions, asked.size()));

            Reranker reranker = Reranker.OFF;
            String rerankerUrl = System.getenv("RERANKER_URL");
            org.eclipse.jetty.client.HttpClient http = null;
            if (rerankerUrl != null && !rerankerUrl.isBlank()) {
                http = new org.eclipse.jetty.client.HttpClient();
                http.start();
                reranker = new HttpReranker(http, new AgentsSettings.Knowledge(0, Optional.of(URI.create(rerankerUrl)),
                        Optional.ofNullable(System.getenv("RERANKER_MODEL")), Optional.empty(), -1e9, 60_000));
            }
            DocumentSearch fused = new DocumentSearch(store, model, Reranker.OFF, 0.25);
            DocumentSearch fusedAll = new DocumentSearch(store, model, Reranker.OFF, 0);
            DocumentSearch reranked = new DocumentSearch(store, model, reranker, 0);

            String[] modes = {"keyword only", "vector only", "fused (RRF, min similarity 0.25)", "fused (RRF, no minimum)", "fused + reranker"};
            double[] hits = new double[modes.length];
            double[] rr = new double[modes.length];
            for (Page page : asked) {
                float[] q = model.embed(page.question());
                List<List<String>> ranked = new ArrayList<>();
                ranked.add(names(store, store.keyword("bench", DocumentSearch.words(page.question()), null, 50)));
                ranked.add(names(store, store.nearest("bench", q, 50)));
                ranked.add(fused.search("bench", page.question(), 10, null).stream().map(DocumentSearch.Citation::filename).toList());
                ranked.add(fusedAll.search("bench", page.question(), 10, null).stream().map(DocumentSearch.Citation::filename).toList());
                ranked.add(reranker.enabled()
                        ? reranked.search("bench", page.question(), 10, null).stream().map(DocumentSearch.Citation::filename).toList()
                        : List.of());
                for (int m = 0; m < modes.length; m++) {
                    List<String> docs = List.copyOf(new LinkedHashSet<>(ranked.get(m)));
                    int at = docs.indexOf(page.name());
                    if (at >= 0 && at < 5) {
                        hits[m]++;
                    }
                    if (at >= 0 && at < 10) {
                        rr[m] += 1.0 / (at + 1);
                    }
                }
            }
            for (int m = 0; m < modes.length; m++) {
                if (m == 4 && !reranker.enabled()) {
                    System.out.printf("%-34s (no RERANKER_URL: not measured)%n", modes[m]);
                    continue;
                }
                System.out.printf("%-34s hit@5 %.3f  MRR@10 %.3f%n", modes[m], hits[m] / asked.size(), rr[m] / asked.size());
            }
            if (http != null) {
                http.stop();
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Chunk ids to their documents' file names, in rank order. */
    static List<String> names(DocumentStore store, List<String> chunkIds) {
        var byId = new java.util.HashMap<String, String>();
        store.candidates("bench", chunkIds, null).forEach(c -> byId.put(c.chunkId(), c.filename()));
        return chunkIds.stream().filter(byId::containsKey).map(byId::get).toList();
    }

    /** The first {@code count} usable man pages of sections 1 and 8, by name; cached. */
    static List<Page> corpus(int count) throws Exception {
        Path cache = Path.of("bench/memory/cache/manpages-" + count + ".jsonl");
        if (Files.exists(cache)) {
            return Files.readAllLines(cache).stream().map(Json::tree)
                    .map(n -> new Page(n.path("name").asString(), n.path("question").asString(), n.path("text").asString())).toList();
        }
        List<Path> files = new ArrayList<>();
        for (String section : List.of("man1", "man8")) {
            try (var list = Files.list(Path.of("/usr/share/man", section))) {
                // Not the Google Cloud CLI's 16,000 generated gcloud_* pages where it is installed: near-identical
                // pages with near-identical NAME lines ("list operations") would crowd out everything else.
                list.filter(p -> p.toString().endsWith(".gz") && !p.getFileName().toString().startsWith("gcloud"))
                        .forEach(files::add);
            }
        }
        files.sort(null);
        List<Page> out = new ArrayList<>();
        Set<String> questions = new java.util.HashSet<>();
        for (Path file : files) {
            if (out.size() >= count) {
                break;
            }
            String whatis = run("lexgrog", file.toString());
            int quote = whatis.indexOf('"');
            int dash = whatis.indexOf(" - ", quote);
            if (quote < 0 || dash < 0) {
                continue;
            }
            String name = whatis.substring(quote + 1, dash).split(",")[0].strip();
            String question = whatis.substring(dash + 3, whatis.indexOf('"', dash) < 0 ? whatis.length() : whatis.indexOf('"', dash)).strip();
            String text = description(run("sh", "-c", "MANWIDTH=100 man -l '" + file + "' 2>/dev/null | col -bx"));
            // Generic one-liners ("a tool") and stubs answer nothing; a question asked twice has two answers.
            if (question.split("\\s+").length < 3 || text.length() < 300 || !questions.add(question.toLowerCase())) {
                continue;
            }
            out.add(new Page(name, question, text));
        }
        Files.createDirectories(cache.getParent());
        List<String> lines = new ArrayList<>();
        for (Page page : out) {
            var node = Json.object();
            node.put("name", page.name());
            node.put("question", page.question());
            node.put("text", page.text());
            lines.add(node.toString());
        }
        Files.write(cache, lines, StandardCharsets.UTF_8);
        return out;
    }

    /** The DESCRIPTION section of a formatted man page, at most 4000 characters. */
    static String description(String page) {
        StringBuilder out = new StringBuilder();
        boolean in = false;
        for (String line : page.split("\n")) {
            if (!line.isEmpty() && !Character.isWhitespace(line.charAt(0))) {
                if (in) {
                    break;
                }
                in = line.strip().equals("DESCRIPTION");
                continue;
            }
            if (in) {
                out.append(line.strip()).append(line.isBlank() ? "\n" : " ");
            }
        }
        String text = out.toString().replaceAll("[ \\t]+", " ").strip();
        return text.length() > 4000 ? text.substring(0, 4000) : text;
    }

    static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }
}
