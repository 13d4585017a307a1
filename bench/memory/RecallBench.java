import io.orchestra.core.config.OrchestraConfig.DatabaseSettings;
import io.orchestra.core.storage.Database;
import io.orchestra.core.util.Vectors;
import io.orchestra.memory.embeddings.Embedder;
import io.orchestra.memory.index.InProcessIndex;
import io.orchestra.memory.index.Neighbour;
import io.orchestra.memory.index.VectorCollection;
import io.orchestra.memory.index.Tuning;
import io.orchestra.memory.index.VectorSearch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Recall@10 of the in-process index against exact search, on N vectors of one owner stored in a
 * real SQLite file, and query latency of both. The exact scan (what recall did before the index)
 * is the peer. The vectors are embeddings of real sentences when CORPUS names a file of one
 * sentence per line (recall.sh makes one from WordNet's glosses): embedded once with the
 * in-process MiniLM model and cached beside the file; the queries are further sentences of it.
 * Without CORPUS, random unit vectors (the hardest case for a graph index, and unlike real data).
 * Usage: [CORPUS=sentences.txt] java -cp CLASSPATH RecallBench.java [n] [queries] [dimensions] [degree build-beam search-beam]
 */
public class RecallBench {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int queries = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int dim = args.length > 2 ? Integer.parseInt(args[2]) : 384;
        int k = 10;
        Random random = new Random(42);
        String corpus = System.getenv("CORPUS");
        float[][] embedded = corpus == null || corpus.isBlank() ? null : embedded(Path.of(corpus), n + queries);
        if (embedded != null) {
            dim = embedded[0].length;
            System.out.printf("corpus: %d sentences of %s, embedded with the in-process model (%d dimensions)%n", embedded.length, corpus, dim);
        }
        float[][] vectors = new float[n][];
        for (int i = 0; i < n; i++) {
            vectors[i] = embedded != null ? embedded[i] : unit(random, dim);
        }
        Path dir = Files.createTempDirectory("recall-bench");
        try (Database db = Database.open(new DatabaseSettings("jdbc:sqlite:" + dir.resolve("bench.db"), Optional.empty(), Optional.empty(), 4), "bench")) {
            db.migrate();
            long insertStart = System.nanoTime();
            db.jdbi().useTransaction(h -> {
                var batch = h.prepareBatch("INSERT INTO memories (id, owner, text, tags, importance, embedding, created_at, updated_at)"
                        + " VALUES (:id, 'bench', 'x', '[]', 0.5, :e, 0, 0)");
                for (int i = 0; i < n; i++) {
                    batch.bind("id", "m" + i).bind("e", Vectors.encode(vectors[i])).add();
                }
                batch.execute();
            });
            System.out.printf("stored %d vectors of %d dimensions in SQLite in %.1f s%n", n, dim, (System.nanoTime() - insertStart) / 1e9);

            Tuning d = VectorSearch.TUNING;
            Tuning tuning = new Tuning(d.exactLimit(), args.length > 3 ? Integer.parseInt(args[3]) : d.degree(),
                    args.length > 4 ? Integer.parseInt(args[4]) : d.buildBeam(), args.length > 5 ? Integer.parseInt(args[5]) : d.searchBeam());
            System.out.println("tuning: " + tuning);
            InProcessIndex index = new InProcessIndex(db, VectorCollection.MEMORIES, Clock.systemUTC(), tuning, VectorSearch.RETENTION);
            long buildStart = System.nanoTime();
            index.catchUp();
            double buildSeconds = (System.nanoTime() - buildStart) / 1e9;
            System.out.printf("index built from the table (load + jvector graph) in %.1f s: %s%n", buildSeconds, index.describe());

            float[][] qs = new float[queries][];
            for (int q = 0; q < queries; q++) {
                qs[q] = embedded != null ? embedded[n + q] : unit(random, dim);
            }
            // Warm-up, then measure.
            for (int q = 0; q < Math.min(20, queries); q++) {
                exact(vectors, qs[q], k);
                int at = q;
                db.jdbi().withHandle(h -> index.nearest(h, "bench", qs[at], k));
            }
            long[] exactNanos = new long[queries];
            long[] indexNanos = new long[queries];
            int hits = 0;
            for (int q = 0; q < queries; q++) {
                long t0 = System.nanoTime();
                List<Integer> truth = exact(vectors, qs[q], k);
                exactNanos[q] = System.nanoTime() - t0;
                int at = q;
                long t1 = System.nanoTime();
                List<Neighbour> found = db.jdbi().withHandle(h -> index.nearest(h, "bench", qs[at], k));
                indexNanos[q] = System.nanoTime() - t1;
                List<String> ids = found.stream().map(Neighbour::id).toList();
                for (int t : truth) {
                    if (ids.contains("m" + t)) {
                        hits++;
                    }
                }
            }
            System.out.printf("recall@%d: %.4f over %d queries%n", k, hits / (double) (queries * k), queries);
            System.out.printf("exact scan   p50 %.2f ms  p95 %.2f ms%n", pct(exactNanos, 50), pct(exactNanos, 95));
            System.out.printf("index search p50 %.2f ms  p95 %.2f ms  (includes the change-log catch-up query)%n", pct(indexNanos, 50), pct(indexNanos, 95));
            index.close();
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
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
     * The first {@code count} sentences of the file, embedded; cached as float32 next to it
     * ({@code <file>.<count>.f32}) so a rerun does not embed again (400-490 sentences/s on 2 cores).
     */
    static float[][] embedded(Path file, int count) throws Exception {
        List<String> sentences = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).limit(count).toList();
        if (sentences.size() < count) {
            throw new IllegalArgumentException(file + " has " + sentences.size() + " sentences; " + count + " needed");
        }
        Path cache = file.resolveSibling(file.getFileName() + "." + count + ".f32");
        if (Files.exists(cache)) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(Files.readAllBytes(cache)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            int dim = buffer.getInt();
            float[][] out = new float[count][dim];
            for (float[] v : out) {
                for (int j = 0; j < dim; j++) {
                    v[j] = buffer.getFloat();
                }
            }
            return out;
        }
        io.orchestra.memory.embeddings.LocalEmbedder model = new io.orchestra.memory.embeddings.LocalEmbedder(Path.of("memory/target"));
        float[][] out = new float[count][];
        long started = System.nanoTime();
        for (int from = 0; from < count; from += 256) {
            List<float[]> batch = model.embed(sentences.subList(from, Math.min(count, from + 256)));
            for (int i = 0; i < batch.size(); i++) {
                out[from + i] = batch.get(i);
            }
            if (from % 10_240 == 0) {
                System.out.printf("embedded %d of %d (%.0f s)%n", from, count, (System.nanoTime() - started) / 1e9);
            }
        }
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(4 + count * out[0].length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(out[0].length);
        for (float[] v : out) {
            for (float x : v) {
                buffer.putFloat(x);
            }
        }
        Files.write(cache, buffer.array());
        return out;
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
