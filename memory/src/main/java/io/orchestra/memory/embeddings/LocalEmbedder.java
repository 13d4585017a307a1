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
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * all-MiniLM-L6-v2 (quantized, 384 dimensions) in process: no network, the model ships in the
 * jar. Loaded on first use or by {@link #warmUp()} after the server listens (about half a second; a call
 * that comes first waits for it); the tokenizer's native library is unpacked under
 * the data directory so a read-only home works.
 */
public final class LocalEmbedder implements Embedder {
    private final Path cacheDir;
    private volatile AbstractInProcessEmbeddingModel model;

    public LocalEmbedder(Path dataDir) {
        this.cacheDir = dataDir.resolve("djl").toAbsolutePath();
    }

    private AbstractInProcessEmbeddingModel model() {
        AbstractInProcessEmbeddingModel loaded = model;
        if (loaded == null) {
            synchronized (this) {
                if (model == null) {
                    if (System.getProperty("DJL_CACHE_DIR") == null) {
                        System.setProperty("DJL_CACHE_DIR", cacheDir.toString());
                    }
                    model = load();
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
    private static AbstractInProcessEmbeddingModel load() {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                InputStream onnx = resource("all-minilm-l6-v2-q.onnx");
                InputStream tokenizer = resource("all-minilm-l6-v2-q-tokenizer.json")) {
            options.setCPUArenaAllocator(false);
            options.setMemoryPatternOptimization(false);
            OrtSession session = environment.createSession(onnx.readAllBytes(), options);
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
