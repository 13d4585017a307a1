import io.orchestra.core.config.OrchestraConfig.DatabaseSettings;
import io.orchestra.core.storage.Database;
import io.orchestra.core.util.Vectors;
import io.orchestra.memory.embeddings.Embedder;
import io.orchestra.memory.embeddings.LocalEmbedder;
import io.orchestra.memory.index.InProcessIndex;
import io.orchestra.memory.index.Neighbour;
import io.orchestra.memory.index.PgVectorIndex;
import io.orchestra.memory.index.Tuning;
import io.orchestra.memory.index.VectorCollection;
import io.orchestra.memory.index.VectorIndex;
import io.orchestra.memory.index.VectorSearch;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.DriverManager;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.ToLongFunction;

/**
 * Recall@10 of the vector index engines against exact search, on N vectors of one owner, and the
 * query latency of each beside the exact scan (the peer, measured in the same run, query by query
 * in turn so that load from other processes falls on both).
 * ENGINE=in-process (default): the in-process jvector index over a real SQLite file, built from
 * the table as at a server start. ENGINE=pgvector: the pgvector engine (HNSW in PostgreSQL, the
 * project's PgVectorIndex) in a fresh database on PG_URL, built by its start-up backfill; its
 * second peer is the same SQL with PostgreSQL's index scans off (pgvector's exact scan).
 * ENGINE=both: one after the other on the same vectors and queries.
 * The vectors are embeddings of real sentences when CORPUS names a file of one sentence per line
 * (recall.sh makes one from WordNet's glosses): shuffled with a fixed seed, embedded once with the
 * in-process MiniLM model and cached beside the file (appended as it goes, so an interrupted run
 * resumes); the first N are indexed, the next Q are the queries.
 * Without CORPUS, random unit vectors (the hardest case for a graph index, and unlike real data).
 * EMBED_ONLY=1 embeds and caches N + Q sentences, then stops.
 * Usage: [CORPUS=sentences.txt] [ENGINE=…] [PG_URL=postgresql://user@host:port/db] java -cp CLASSPATH RecallBench.java [n] [queries] [dimensions] [degree build-beam search-beam]
 */
public class RecallBench {
    static final int K = 10;

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int queries = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int dim = args.length > 2 ? Integer.parseInt(args[2]) : 384;
        String engine = System.getenv().getOrDefault("ENGINE", "in-process");
        if (!List.of("in-process", "pgvector", "both").contains(engine)) {
            throw new IllegalArgumentException("ENGINE is in-process, pgvector or both, not " + engine);
        }
        Random random = new Random(42);
        String corpus = System.getenv("CORPUS");
        float[][] embedded = corpus == null || corpus.isBlank() ? null : embedded(Path.of(corpus), n + queries);
        if ("1".equals(System.getenv("EMBED_ONLY"))) {
            return;
        }
        if (embedded != null) {
            dim = embedded[0].length;
            System.out.printf("corpus: %d sentences of %s (shuffled, seed 42), embedded with the in-process model (%d dimensions)%n",
                    embedded.length, corpus, dim);
        } else {
            System.out.printf("corpus: random unit vectors (seed 42), %d dimensions%n", dim);
        }
        float[][] vectors = new float[n][];
        for (int i = 0; i < n; i++) {
            vectors[i] = embedded != null ? embedded[i] : unit(random, dim);
        }
        float[][] qs = new float[queries][];
        for (int q = 0; q < queries; q++) {
            qs[q] = embedded != null ? embedded[n + q] : unit(random, dim);
        }
        List<List<Integer>> truth = new ArrayList<>();
        for (float[] q : qs) {
            truth.add(exact(vectors, q, K));
        }
        System.out.printf("n %d, queries %d, k %d%n", n, queries, K);
        if (!engine.equals("pgvector")) {
            inProcess(vectors, qs, truth, args);
        }
        if (!engine.equals("in-process")) {
            pgvector(vectors, qs, truth);
        }
    }

    static void inProcess(float[][] vectors, float[][] qs, List<List<Integer>> truth, String[] args) throws Exception {
        Path dir = Files.createTempDirectory("recall-bench");
        try (Database db = Database.open(new DatabaseSettings("jdbc:sqlite:" + dir.resolve("bench.db"), Optional.empty(), Optional.empty(), 4), "bench")) {
            db.migrate();
            store(db, vectors, "SQLite");
            Tuning d = VectorSearch.TUNING;
            Tuning tuning = new Tuning(d.exactLimit(), args.length > 3 ? Integer.parseInt(args[3]) : d.degree(),
                    args.length > 4 ? Integer.parseInt(args[4]) : d.buildBeam(), args.length > 5 ? Integer.parseInt(args[5]) : d.searchBeam());
            System.out.println("== in-process (jvector), tuning: " + tuning);
            InProcessIndex index = new InProcessIndex(db, VectorCollection.MEMORIES, Clock.systemUTC(), tuning, VectorSearch.RETENTION);
            long buildStart = System.nanoTime();
            index.catchUp();
            System.out.printf("index built from the table (load + jvector graph) in %.1f s: %s%n", (System.nanoTime() - buildStart) / 1e9, index.describe());
            measure(db, index, vectors, qs, truth, null, "index search", "(includes the change-log catch-up query)");
            index.close();
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static void pgvector(float[][] vectors, float[][] qs, List<List<Integer>> truth) throws Exception {
        // PG_URL: postgresql://user[:password]@host:port/db, the server the bench's own database goes on.
        URI uri = URI.create(System.getenv().getOrDefault("PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"));
        String[] user = (uri.getUserInfo() == null ? "postgres" : uri.getUserInfo()).split(":", 2);
        String server = "jdbc:postgresql://" + uri.getHost() + ":" + (uri.getPort() < 0 ? 5432 : uri.getPort()) + "/";
        String auth = "?user=" + user[0] + (user.length > 1 ? "&password=" + user[1] : "");
        String name = "orchestra_recall_bench";
        admin(server + uri.getPath().replaceFirst("^/", "") + auth, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)", "CREATE DATABASE " + name);
        try (Database db = Database.open(new DatabaseSettings(server + name + auth, Optional.empty(), Optional.empty(), 4), "bench")) {
            db.migrate();
            if (!PgVectorIndex.available(db)) {
                throw new IllegalStateException("the PostgreSQL server at " + uri.getHost() + " has no vector extension (pgvector >= 0.5)");
            }
            store(db, vectors, "PostgreSQL");
            long buildStart = System.nanoTime();
            PgVectorIndex index = new PgVectorIndex(db, VectorCollection.MEMORIES, vectors[0].length);
            System.out.printf("== pgvector: index built by the engine's start-up backfill (rows into an HNSW index) in %.1f s: %s%n",
                    (System.nanoTime() - buildStart) / 1e9, index.describe());
            // Steady state, as autovacuum leaves it a minute after a bulk load: without statistics the
            // planner takes the owner's B-tree and sorts every row (exact, and no HNSW at all).
            db.jdbi().useHandle(h -> h.execute("ANALYZE memories_pgvector"));
            String plan = db.jdbi().inTransaction(h -> {
                h.execute("SET LOCAL hnsw.iterative_scan = strict_order");
                return String.join(" / ", h.createQuery("EXPLAIN SELECT item_id FROM memories_pgvector WHERE owner = 'bench'"
                                + " ORDER BY embedding <=> CAST(:q AS vector) LIMIT " + K)
                        .bind("q", literal(qs[0])).mapTo(String.class).list().stream().map(String::strip)
                        .filter(l -> l.contains("Scan")).toList());
            });
            System.out.println("plan after ANALYZE: " + plan);
            // The same query as PgVectorIndex.nearest, with the index scan off: pgvector's exact scan.
            String sql = "SELECT item_id FROM memories_pgvector WHERE owner = 'bench' ORDER BY embedding <=> CAST(:q AS vector) LIMIT " + K;
            ToLongFunction<float[]> pgExact = q -> db.jdbi().inTransaction(h -> {
                h.execute("SET LOCAL enable_indexscan = off");
                long t0 = System.nanoTime();
                h.createQuery(sql).bind("q", literal(q)).mapTo(String.class).list();
                return System.nanoTime() - t0;
            });
            measure(db, index, vectors, qs, truth, pgExact, "pgvector search", "(HNSW, the engine's ef_search)");
        } finally {
            admin(server + uri.getPath().replaceFirst("^/", "") + auth, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    /** The vectors as one owner's memories, in one transaction. */
    static void store(Database db, float[][] vectors, String where) {
        long insertStart = System.nanoTime();
        db.jdbi().useTransaction(h -> {
            var batch = h.prepareBatch("INSERT INTO memories (id, owner, text, tags, importance, embedding, created_at, updated_at)"
                    + " VALUES (:id, 'bench', 'x', '[]', 0.5, :e, 0, 0)");
            for (int i = 0; i < vectors.length; i++) {
                batch.bind("id", "m" + i).bind("e", Vectors.encode(vectors[i])).add();
            }
            batch.execute();
        });
        System.out.printf("stored %d vectors of %d dimensions in %s in %.1f s%n", vectors.length, vectors[0].length, where, (System.nanoTime() - insertStart) / 1e9);
    }

    /**
     * Warm-up, then per query in turn: the exact scan (recall's truth and the first peer), the
     * engine, and the second peer when given (it times itself). Prints recall and percentiles.
     */
    static void measure(Database db, VectorIndex index, float[][] vectors, float[][] qs, List<List<Integer>> truth,
            ToLongFunction<float[]> second, String label, String note) {
        int queries = qs.length;
        for (int q = 0; q < Math.min(20, queries); q++) {
            exact(vectors, qs[q], K);
            float[] query = qs[q];
            db.jdbi().withHandle(h -> index.nearest(h, "bench", query, K));
            if (second != null) {
                second.applyAsLong(query);
            }
        }
        long[] exactNanos = new long[queries];
        long[] indexNanos = new long[queries];
        long[] secondNanos = new long[queries];
        int hits = 0;
        for (int q = 0; q < queries; q++) {
            float[] query = qs[q];
            long t0 = System.nanoTime();
            exact(vectors, query, K);
            exactNanos[q] = System.nanoTime() - t0;
            long t1 = System.nanoTime();
            List<Neighbour> found = db.jdbi().withHandle(h -> index.nearest(h, "bench", query, K));
            indexNanos[q] = System.nanoTime() - t1;
            if (second != null) {
                secondNanos[q] = second.applyAsLong(query);
            }
            List<String> ids = found.stream().map(Neighbour::id).toList();
            for (int t : truth.get(q)) {
                if (ids.contains("m" + t)) {
                    hits++;
                }
            }
        }
        System.out.printf("recall@%d: %.4f over %d queries%n", K, hits / (double) (queries * K), queries);
        System.out.printf("exact scan (Java)    p50 %.2f ms  p95 %.2f ms%n", pct(exactNanos, 50), pct(exactNanos, 95));
        if (second != null) {
            System.out.printf("exact scan (pgvector, index off) p50 %.2f ms  p95 %.2f ms%n", pct(secondNanos, 50), pct(secondNanos, 95));
        }
        System.out.printf("%-20s p50 %.2f ms  p95 %.2f ms  %s%n", label, pct(indexNanos, 50), pct(indexNanos, 95), note);
        System.out.printf("p50 ratio exact (Java) / %s: %.1fx%s%n", label, pct(exactNanos, 50) / pct(indexNanos, 50),
                second == null ? "" : String.format("; exact (pgvector) / %s: %.1fx", label, pct(secondNanos, 50) / pct(indexNanos, 50)));
    }

    static void admin(String jdbcUrl, String... statements) throws Exception {
        try (var connection = DriverManager.getConnection(jdbcUrl);
                var statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    static String literal(float[] vector) {
        StringBuilder out = new StringBuilder(vector.length * 10).append('[');
        for (int i = 0; i < vector.length; i++) {
            out.append(i > 0 ? "," : "").append(vector[i]);
        }
        return out.append(']').toString();
    }

    /** The peer: compare the query with every vector (what MemoryStore.recall did before the index). */
    static List<Integer> exact(float[][] vectors, float[] query, int k) {
        PriorityQueue<double[]> best = new PriorityQueue<>((a, b) -> Double.compare(a[0], b[0]));
        for (int i = 0; i < vectors.length; i++) {
            best.add(new double[] {Embedder.cosine(query, vectors[i]), i});
            if (best.size() > k) {
                best.poll();
            }
        }
        List<Integer> out = new ArrayList<>();
        best.forEach(e -> out.add((int) e[1]));
        return out;
    }

    static double pct(long[] nanos, int p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
    }

    /**
     * The first {@code count} sentences of the file after a seeded shuffle (so data and queries
     * come from the same mix of topics, not from neighbouring blocks of the file), embedded.
     * Cached as little-endian float32 rows next to it ({@code <file>.shuffled42.f32}), appended
     * batch by batch: a later run reuses the prefix it needs and embeds only what is missing.
     */
    static float[][] embedded(Path file, int count) throws Exception {
        List<String> sentences = new ArrayList<>(Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList());
        Collections.shuffle(sentences, new Random(42));
        if (sentences.size() < count) {
            throw new IllegalArgumentException(file + " has " + sentences.size() + " sentences; " + count + " needed");
        }
        LocalEmbedder model = new LocalEmbedder(Path.of("memory/target"));
        int dim = model.dimensions();
        int row = dim * Float.BYTES;
        Path cache = file.resolveSibling(file.getFileName() + ".shuffled42.f32");
        try (FileChannel channel = FileChannel.open(cache, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() / row * row); // a row cut short by an interrupted run
            int cached = (int) (channel.size() / row);
            float[][] out = new float[count][dim];
            int have = Math.min(cached, count);
            ByteBuffer buffer = ByteBuffer.allocate(have * row).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, buffer, 0);
            buffer.flip();
            for (int i = 0; i < have; i++) {
                buffer.asFloatBuffer().get(i * dim, out[i]);
            }
            if (have == count) {
                return out;
            }
            System.out.printf("embedding sentences %d to %d (cached: %d) into %s%n", have, count, cached, cache);
            long started = System.nanoTime();
            int reported = have;
            channel.position(channel.size());
            for (int from = have; from < count; from += 256) {
                List<float[]> batch = model.embed(sentences.subList(from, Math.min(count, from + 256)));
                ByteBuffer rows = ByteBuffer.allocate(batch.size() * row).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < batch.size(); i++) {
                    out[from + i] = batch.get(i);
                    rows.asFloatBuffer().put(i * dim, batch.get(i));
                }
                while (rows.hasRemaining()) {
                    channel.write(rows);
                }
                int done = from + batch.size();
                if (done - reported >= 5120 || done == count) {
                    double seconds = (System.nanoTime() - started) / 1e9;
                    double rate = (done - have) / seconds;
                    System.out.printf("embedded %d of %d (%.0f s, %.0f sentences/s, about %.0f s to go; load %s)%n",
                            done, count, seconds, rate, (count - done) / rate, load());
                    reported = done;
                }
            }
            return out;
        }
    }

    static void readFully(FileChannel channel, ByteBuffer buffer, long at) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, at + buffer.position()) < 0) {
                throw new IOException("cache ended early");
            }
        }
    }

    static String load() {
        try {
            return String.join(" ", Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).split(" "), 3));
        } catch (IOException e) {
            return "?";
        }
    }

    static float[] unit(Random random, int dim) {
        float[] v = new float[dim];
        double norm = 0;
        for (int i = 0; i < dim; i++) {
            v[i] = (float) random.nextGaussian();
            norm += v[i] * v[i];
        }
        for (int i = 0; i < dim; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        return v;
    }
}
