package io.orchestra.memory.embeddings;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
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
    private volatile AllMiniLmL6V2QuantizedEmbeddingModel model;

    public LocalEmbedder(Path dataDir) {
        this.cacheDir = dataDir.resolve("djl").toAbsolutePath();
    }

    private AllMiniLmL6V2QuantizedEmbeddingModel model() {
        AllMiniLmL6V2QuantizedEmbeddingModel loaded = model;
        if (loaded == null) {
            synchronized (this) {
                if (model == null) {
                    if (System.getProperty("DJL_CACHE_DIR") == null) {
                        System.setProperty("DJL_CACHE_DIR", cacheDir.toString());
                    }
                    model = new AllMiniLmL6V2QuantizedEmbeddingModel();
                }
                loaded = model;
            }
        }
        return loaded;
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
