package io.orchestra.memory.embeddings;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A BERT sentence encoder: WordPiece tokens through an ONNX session, the outputs averaged over the sequence. A text
 * longer than the model's 512 positions is encoded in windows that end between words, and the windows' vectors are
 * averaged by their token counts. It owns its native parts, the session and the tokenizer, and frees both in
 * {@link #close()}, so the model can be unloaded and loaded again without leaking (langchain4j's encoder, whose
 * vectors this reproduces, keeps its tokenizer out of reach).
 */
final class SentenceEncoder implements AutoCloseable {
    /** 512 positions less {@code [CLS]} and {@code [SEP]}. */
    private static final int WINDOW = 510;

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final boolean takesTokenTypes;

    SentenceEncoder(OrtEnvironment environment, OrtSession session, HuggingFaceTokenizer tokenizer)
            throws OrtException {
        this.environment = environment;
        this.session = session;
        this.tokenizer = tokenizer;
        this.takesTokenTypes = session.getInputNames().contains("token_type_ids");
    }

    /** The text's vector, not yet scaled to unit length. */
    float[] encode(String text) throws OrtException {
        List<String> tokens = tokenizer.tokenize(text);
        List<String> words = tokens.size() > 2 ? tokens.subList(1, tokens.size() - 1) : List.of();
        List<List<String>> windows = windows(words);
        if (windows.size() <= 1) {
            return pooled(windows.isEmpty() ? "" : text(windows.getFirst()));
        }
        float[] sum = null;
        int weight = 0;
        for (List<String> window : windows) {
            float[] vector = pooled(text(window));
            if (sum == null) {
                sum = new float[vector.length];
            }
            for (int i = 0; i < vector.length; i++) {
                sum[i] += vector[i] * window.size();
            }
            weight += window.size();
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] /= weight;
        }
        return sum;
    }

    /** Consecutive runs of at most {@link #WINDOW} tokens, each ending before a word's first piece where it can. */
    private static List<List<String>> windows(List<String> tokens) {
        List<List<String>> windows = new ArrayList<>();
        int from = 0;
        while (from < tokens.size()) {
            int to = Math.min(from + WINDOW, tokens.size());
            if (to < tokens.size()) {
                int wordStart = to;
                while (wordStart > from && tokens.get(wordStart).startsWith("##")) {
                    wordStart--;
                }
                // A single "word" longer than a window is cut where the window ends.
                to = wordStart > from ? wordStart : to;
            }
            windows.add(tokens.subList(from, to));
            from = to;
        }
        return windows;
    }

    /** The window as text that tokenizes back to it, else its pieces joined as they are. */
    private String text(List<String> window) {
        String sentence = tokenizer.buildSentence(window);
        List<String> again = tokenizer.tokenize(sentence);
        boolean same = again.size() == window.size() + 2
                && again.subList(1, again.size() - 1).equals(window);
        return same ? sentence : String.join("", window);
    }

    /** The mean of the model's output vectors over every position of the encoded text. */
    private float[] pooled(String text) throws OrtException {
        Encoding encoding = tokenizer.encode(text, true, false);
        long[] shape = {1, encoding.getIds().length};
        try (OnnxTensor ids = tensor(encoding.getIds(), shape);
                OnnxTensor mask = tensor(encoding.getAttentionMask(), shape);
                OnnxTensor types = tensor(encoding.getTypeIds(), shape)) {
            Map<String, OnnxTensor> inputs = new HashMap<>();
            inputs.put("input_ids", ids);
            inputs.put("attention_mask", mask);
            if (takesTokenTypes) {
                inputs.put("token_type_ids", types);
            }
            try (OrtSession.Result result = session.run(inputs)) {
                float[][] positions = ((float[][][]) result.get(0).getValue())[0];
                float[] mean = new float[positions[0].length];
                for (float[] position : positions) {
                    for (int i = 0; i < mean.length; i++) {
                        mean[i] += position[i];
                    }
                }
                for (int i = 0; i < mean.length; i++) {
                    mean[i] /= positions.length;
                }
                return mean;
            }
        }
    }

    private OnnxTensor tensor(long[] values, long[] shape) throws OrtException {
        return OnnxTensor.createTensor(environment, LongBuffer.wrap(values), shape);
    }

    @Override
    public void close() throws OrtException {
        try {
            session.close();
        } finally {
            tokenizer.close();
        }
    }
}
