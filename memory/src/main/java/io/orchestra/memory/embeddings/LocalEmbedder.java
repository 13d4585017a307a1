package io.orchestra.memory.embeddings;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import io.orchestra.core.util.UnpackedResources;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * all-MiniLM-L6-v2 (quantized, 384 dimensions) in process: no network, the model ships in the
 * jar. Loaded on first use or by {@link #warmUp()} after the server listens (about half a second; a call
 * that comes first waits for it). The native libraries (ONNX Runtime, the tokenizer) and the model file are
 * unpacked under the data directory once and reused by later starts, so a read-only home works and a start does
 * not inflate 40 MB from the jars (ONNX Runtime alone would unpack into a new temporary directory every time).
 */
public final class LocalEmbedder implements Embedder {
    private static final String MODEL = "all-minilm-l6-v2-q.onnx";
    private static final String ORT_NATIVE_PATH = "onnxruntime.native.path";

    private final Path dataDir;
    private volatile AbstractInProcessEmbeddingModel model;

    public LocalEmbedder(Path dataDir) {
        this.dataDir = dataDir.toAbsolutePath();
    }

    private AbstractInProcessEmbeddingModel model() {
        AbstractInProcessEmbeddingModel loaded = model;
        if (loaded == null) {
            synchronized (this) {
                if (model == null) {
                    System.getProperties()
                            .putIfAbsent("DJL_CACHE_DIR", dataDir.resolve("djl").toString());
                    if (System.getProperty(ORT_NATIVE_PATH) == null) {
                        unpackOnnxRuntime().ifPresent(dir -> System.setProperty(ORT_NATIVE_PATH, dir.toString()));
                    }
                    model = load(UnpackedResources.unpack(
                                    AllMiniLmL6V2QuantizedEmbeddingModel.class,
                                    List.of("/" + MODEL),
                                    dataDir.resolve("models"))
                            .map(dir -> dir.resolve(MODEL)));
                }
                loaded = model;
            }
        }
        return loaded;
    }

    /**
     * The model packaged with langchain4j, in a session without ONNX Runtime's memory arena and
     * memory patterns: both keep the largest buffers inference ever needed for the life of the
     * process (about 40 MiB of an idle server's RSS) to save a few allocations per call.
     */
    private static AbstractInProcessEmbeddingModel load(Optional<Path> modelFile) {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                InputStream tokenizer = resource("all-minilm-l6-v2-q-tokenizer.json")) {
            options.setCPUArenaAllocator(false);
            options.setMemoryPatternOptimization(false);
            OrtSession session;
            if (modelFile.isPresent()) {
                session = environment.createSession(modelFile.get().toString(), options);
            } else {
                try (InputStream onnx = resource(MODEL)) {
                    session = environment.createSession(onnx.readAllBytes(), options);
                }
            }
            OnnxBertBiEncoder encoder = new OnnxBertBiEncoder(environment, session, tokenizer, PoolingMode.MEAN);
            return new AbstractInProcessEmbeddingModel(null) {
                @Override
                protected OnnxBertBiEncoder model() {
                    return encoder;
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException("the embedding model could not be read from the jar", e);
        } catch (OrtException e) {
            throw new IllegalStateException("the embedding model could not be loaded: " + e.getMessage(), e);
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
        model();
    }

    @Override
    public int dimensions() {
        return 384;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
        List<float[]> out = new ArrayList<>();
        for (Embedding embedding : model().embedAll(segments).content()) {
            out.add(normalize(embedding.vector()));
        }
        return out;
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
