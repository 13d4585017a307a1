package io.orchestra.memory.embeddings;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.sun.jna.Function;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import io.orchestra.core.util.Closer;
import io.orchestra.core.util.UnpackedResources;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * all-MiniLM-L6-v2 (quantized, 384 dimensions) in process: no network, the model ships in the
 * jar. Loaded on first use or by {@link #warmUp()} after the server listens (about half a second; a call
 * that comes first waits for it), and unloaded again once unused for the keep-alive, so an idle server does not hold
 * ONNX Runtime's session and the tokenizer (about 60 MiB); the next call loads it again. The native libraries (ONNX
 * Runtime, the tokenizer) and the model file are unpacked under the data directory once and reused by later starts,
 * so a read-only home works and a start does not inflate 40 MB from the jars (ONNX Runtime alone would unpack into a
 * new temporary directory every time).
 */
public final class LocalEmbedder implements Embedder {
    private static final Logger LOG = LoggerFactory.getLogger(LocalEmbedder.class);
    private static final String MODEL = "all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER = "all-minilm-l6-v2-q-tokenizer.json";
    private static final String ORT_NATIVE_PATH = "onnxruntime.native.path";

    private final Path dataDir;
    private final Duration keepAlive;
    /** Embeds share the encoder under the read lock; loading and unloading take the write lock. */
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /** Spreads a batch over the cores; its threads end when idle. */
    private final ThreadPoolExecutor batches;

    private SentenceEncoder encoder;
    private int loads;
    private volatile long lastUseNanos;
    private boolean closed;

    /** A model that stays loaded once loaded. */
    public LocalEmbedder(Path dataDir) {
        this(dataDir, Duration.ZERO);
    }

    /** A model unloaded after {@code keepAlive} without a call; zero keeps it loaded. */
    public LocalEmbedder(Path dataDir, Duration keepAlive) {
        this.dataDir = dataDir.toAbsolutePath();
        this.keepAlive = keepAlive;
        int cores = Runtime.getRuntime().availableProcessors();
        AtomicInteger threads = new AtomicInteger();
        this.batches = new ThreadPoolExecutor(cores, cores, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread thread = new Thread(task, "embeddings-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        batches.allowCoreThreadTimeOut(true);
    }

    /** Whether the model is in memory now. */
    boolean loaded() {
        lock.readLock().lock();
        try {
            return encoder != null;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** How many times the model has been loaded. */
    int loads() {
        lock.readLock().lock();
        try {
            return loads;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The encoder, loaded if need be, with the read lock held; the caller unlocks it. */
    private SentenceEncoder acquire() {
        lock.readLock().lock();
        if (encoder != null) {
            return encoder;
        }
        lock.readLock().unlock();
        lock.writeLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("the embedding model is closed");
            }
            if (encoder == null) {
                long started = System.nanoTime();
                encoder = load();
                loads++;
                lastUseNanos = System.nanoTime();
                if (loads > 1) {
                    LOG.info("embeddings: model loaded again in {} ms", (lastUseNanos - started) / 1_000_000);
                }
                if (!keepAlive.isZero()) {
                    Thread.ofVirtual().name("embeddings-keep-alive").start(this::unloadWhenIdle);
                }
            }
            lock.readLock().lock();
            return encoder;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Sleeps until the model has gone unused for the keep-alive, then unloads it. */
    private void unloadWhenIdle() {
        try {
            while (true) {
                long idle = System.nanoTime() - lastUseNanos;
                long left = keepAlive.toNanos() - idle;
                if (left > 0) {
                    TimeUnit.NANOSECONDS.sleep(left);
                    continue;
                }
                lock.writeLock().lock();
                try {
                    if (encoder == null) {
                        return;
                    }
                    if (System.nanoTime() - lastUseNanos >= keepAlive.toNanos()) {
                        unload();
                        LOG.info(
                                "embeddings: model unloaded after {} s unused; the next call loads it again",
                                keepAlive.toSeconds());
                        return;
                    }
                } finally {
                    lock.writeLock().unlock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Frees the session and the tokenizer; called with the write lock held. */
    private void unload() {
        SentenceEncoder current = encoder;
        encoder = null;
        if (current != null) {
            try {
                current.close();
            } catch (OrtException e) {
                LOG.warn("embeddings: closing the model failed: {}", e.getMessage());
            }
            returnFreedNativeMemory();
        }
    }

    /**
     * glibc keeps what native code frees (the session's weights and buffers, the tokenizer) for its next malloc,
     * so closing them alone gave back about 10 of their 60 MiB; malloc_trim returns the free pages to the OS.
     * Elsewhere (musl, macOS) there is no such call and nothing to do.
     */
    private static void returnFreedNativeMemory() {
        try {
            Function.getFunction("c", "malloc_trim").invokeInt(new Object[] {0});
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            LOG.debug("embeddings: no malloc_trim here ({})", e.getMessage());
        }
    }

    private SentenceEncoder load() {
        System.getProperties()
                .putIfAbsent("DJL_CACHE_DIR", dataDir.resolve("djl").toString());
        // DJL's tokenizer "calls home" when it loads: it asks the cloud metadata address (169.254.169.254) for an
        // EC2 token and, on AWS, sends the instance id to DJL's telemetry bucket. A self-hosted server makes no
        // calls its operator did not configure; OPT_OUT_TRACKING=false in the environment turns it back on.
        System.getProperties().putIfAbsent("OPT_OUT_TRACKING", "true");
        if (System.getProperty(ORT_NATIVE_PATH) == null) {
            unpackOnnxRuntime().ifPresent(dir -> System.setProperty(ORT_NATIVE_PATH, dir.toString()));
        }
        return open(UnpackedResources.unpack(
                        AllMiniLmL6V2QuantizedEmbeddingModel.class, List.of("/" + MODEL), dataDir.resolve("models"))
                .map(dir -> dir.resolve(MODEL)));
    }

    /**
     * The model packaged with langchain4j, in a session without ONNX Runtime's memory arena and
     * memory patterns: both keep the largest buffers inference ever needed for the life of the
     * session (about 40 MiB of RSS) to save a few allocations per call.
     */
    private static SentenceEncoder open(Optional<Path> modelFile) {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        // A load that fails halfway frees what it had made, so a later call tries again from nothing.
        Closer opened = new Closer();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                InputStream tokenizerJson = resource(TOKENIZER)) {
            options.setCPUArenaAllocator(false);
            options.setMemoryPatternOptimization(false);
            OrtSession session;
            if (modelFile.isPresent()) {
                session = opened.register(
                        environment.createSession(modelFile.get().toString(), options));
            } else {
                try (InputStream onnx = resource(MODEL)) {
                    session = opened.register(environment.createSession(onnx.readAllBytes(), options));
                }
            }
            HuggingFaceTokenizer tokenizer =
                    opened.register(HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of("padding", "false")));
            return new SentenceEncoder(environment, session, tokenizer);
        } catch (IOException e) {
            opened.closeAfterFailure(e);
            throw new UncheckedIOException("the embedding model could not be read from the jar", e);
        } catch (OrtException e) {
            opened.closeAfterFailure(e);
            throw new IllegalStateException("the embedding model could not be loaded: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            opened.closeAfterFailure(e);
            throw e;
        }
    }

    /** ONNX Runtime's two native libraries for this platform, in one directory, as its loader looks for them. */
    private Optional<Path> unpackOnnxRuntime() {
        return onnxRuntimeLibraries()
                .flatMap(libraries ->
                        UnpackedResources.unpack(OrtEnvironment.class, libraries, dataDir.resolve("onnxruntime")));
    }

    /** Where ONNX Runtime's jar keeps this platform's libraries; empty on a platform it has none for. */
    static Optional<List<String>> onnxRuntimeLibraries() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String platformOs =
                os.contains("linux") ? "linux" : os.contains("mac") ? "osx" : os.contains("win") ? "win" : null;
        String platformArch =
                arch.equals("amd64") || arch.equals("x86_64") ? "x64" : arch.equals("aarch64") ? "aarch64" : null;
        if (platformOs == null || platformArch == null) {
            return Optional.empty();
        }
        String prefix = "/ai/onnxruntime/native/" + platformOs + "-" + platformArch + "/";
        return Optional.of(List.of(
                prefix + System.mapLibraryName("onnxruntime"), prefix + System.mapLibraryName("onnxruntime4j_jni")));
    }

    private static InputStream resource(String name) {
        InputStream in = AllMiniLmL6V2QuantizedEmbeddingModel.class.getResourceAsStream("/" + name);
        if (in == null) {
            throw new IllegalStateException("the embedding model's " + name + " is missing from the classpath");
        }
        return in;
    }

    @Override
    public void warmUp() {
        acquire();
        lastUseNanos = System.nanoTime();
        lock.readLock().unlock();
    }

    @Override
    public int dimensions() {
        return 384;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        SentenceEncoder current = acquire();
        try {
            if (texts.size() == 1) {
                return List.of(normalize(current.encode(texts.getFirst())));
            }
            List<Future<float[]>> vectors = new ArrayList<>(texts.size());
            for (String text : texts) {
                vectors.add(batches.submit(() -> normalize(current.encode(text))));
            }
            List<float[]> out = new ArrayList<>(texts.size());
            for (Future<float[]> vector : vectors) {
                out.add(vector.get());
            }
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException("the embedding model failed: " + e.getMessage(), e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime
                    ? runtime
                    : new IllegalStateException(
                            "the embedding model failed: " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while embedding", e);
        } finally {
            lastUseNanos = System.nanoTime();
            lock.readLock().unlock();
        }
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            closed = true;
            unload();
        } finally {
            lock.writeLock().unlock();
        }
        batches.shutdownNow();
    }

    static float[] normalize(float[] vector) {
        double norm = 0;
        for (float v : vector) {
            norm += v * v;
        }
        norm = Math.sqrt(norm);
        if (norm == 0) {
            return vector;
        }
        float[] out = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            out[i] = (float) (vector[i] / norm);
        }
        return out;
    }
}
