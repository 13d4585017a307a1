package io.orchestra.memory.embeddings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-process model gives langchain4j's vectors for texts it did not choose (short and long, many scripts), is
 * unloaded once unused for its keep-alive, loads again on the next call, and never unloads under a call in flight.
 */
class LocalEmbedderKeepAliveTest {
    @TempDir
    static Path dataDir;

    static AllMiniLmL6V2QuantizedEmbeddingModel reference;

    @BeforeAll
    static void loadReference() {
        reference = new AllMiniLmL6V2QuantizedEmbeddingModel();
    }

    @AfterAll
    static void dropReference() {
        reference = null;
    }

    @Test
    void vectorsMatchLangchain4jsEncoderForGeneratedTexts() {
        List<String> texts = generatedTexts(new Random(16), 40);
        try (LocalEmbedder embedder = new LocalEmbedder(dataDir)) {
            List<float[]> ours = embedder.embed(texts);
            for (int i = 0; i < texts.size(); i++) {
                float[] theirs = LocalEmbedder.normalize(reference
                        .embed(TextSegment.from(texts.get(i)))
                        .content()
                        .vector());
                assertThat(Embedder.cosine(ours.get(i), theirs))
                        .as("text %d (%d chars)", i, texts.get(i).length())
                        .isGreaterThan(0.99999);
                for (int d = 0; d < theirs.length; d++) {
                    assertThat(ours.get(i)[d]).as("text %d, dimension %d", i, d).isCloseTo(theirs[d], within());
                }
            }
            // langchain4j fails on an empty text; here it is the vector of an empty sequence.
            assertThat(norm(embedder.embed(""))).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    @Test
    void theModelIsUnloadedWhenIdleAndLoadsAgainWithTheSameVectors() throws Exception {
        try (LocalEmbedder embedder = new LocalEmbedder(dataDir, Duration.ofMillis(300))) {
            assertThat(embedder.loaded()).isFalse();
            float[] first = embedder.embed("the quarterly budget review");
            assertThat(embedder.loaded()).isTrue();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (embedder.loaded() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(embedder.loaded()).as("unloaded after the keep-alive").isFalse();
            assertThat(embedder.embed("the quarterly budget review")).containsExactly(first);
            assertThat(embedder.loaded()).isTrue();
        }
    }

    @Test
    void unloadingNeverRacesACallInFlight() throws Exception {
        // Short texts, so that calls are quick and the pauses between them leave the model idle now and then.
        List<String> texts = generatedTexts(new Random(7), 12).stream()
                .filter(text -> text.length() < 200)
                .toList();
        List<float[]> expected;
        try (LocalEmbedder steady = new LocalEmbedder(dataDir)) {
            expected = steady.embed(texts);
        }
        // A keep-alive shorter than the pauses between calls: the model comes and goes while four threads embed.
        try (LocalEmbedder embedder = new LocalEmbedder(dataDir, Duration.ofMillis(15));
                ExecutorService callers = Executors.newFixedThreadPool(4)) {
            List<Future<Integer>> done = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                done.add(callers.submit(() -> {
                    int calls = 0;
                    // Until the model has been loaded six times (or 20 s, a failure): the pauses decide when.
                    long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                    while (embedder.loads() < 6 && System.nanoTime() < until) {
                        int i = ThreadLocalRandom.current().nextInt(texts.size());
                        List<String> batch = i % 2 == 0 ? List.of(texts.get(i)) : texts;
                        List<float[]> got = embedder.embed(batch);
                        for (int k = 0; k < batch.size(); k++) {
                            assertThat(got.get(k)).containsExactly(expected.get(batch == texts ? k : i));
                        }
                        calls++;
                        Thread.sleep(ThreadLocalRandom.current().nextInt(80));
                    }
                    return calls;
                }));
            }
            int calls = 0;
            for (Future<Integer> caller : done) {
                calls += caller.get();
            }
            assertThat(calls).isGreaterThan(8);
            assertThat(embedder.loads()).as("the model came and went").isGreaterThanOrEqualTo(6);
        }
    }

    /** Sentences of random words, scripts and lengths, some far past the model's 512 positions. */
    static List<String> generatedTexts(Random random, int count) {
        String[] words = {
            "budget",
            "review",
            "quarterly",
            "Orchestra",
            "gateway",
            "memory",
            "naïve",
            "café",
            "Zürich",
            "東京",
            "データ",
            "北京",
            "Москва",
            "καλημέρα",
            "مرحبا",
            "🙂",
            "🚀",
            "don't",
            "e-mail",
            "3.14",
            "2026-12-07",
            "antidisestablishmentarianism",
            "pneumonoultramicroscopicsilicovolcanoconiosis",
            "x",
            "—",
            "(",
            ")",
            "supercalifragilisticexpialidocious",
            "hyperparameterisation",
            "C++",
            "#hashtag",
            "@mention"
        };
        List<String> texts = new ArrayList<>();
        for (int t = 0; t < count; t++) {
            int length = t % 5 == 0 ? 300 + random.nextInt(900) : 1 + random.nextInt(40);
            StringBuilder text = new StringBuilder();
            for (int w = 0; w < length; w++) {
                if (w > 0) {
                    text.append(random.nextInt(8) == 0 ? ", " : " ");
                }
                text.append(words[random.nextInt(words.length)]);
            }
            texts.add(text.toString());
        }
        return texts;
    }

    private static double norm(float[] vector) {
        double sum = 0;
        for (float v : vector) {
            sum += v * v;
        }
        return Math.sqrt(sum);
    }

    private static org.assertj.core.data.Offset<Float> within() {
        return org.assertj.core.data.Offset.offset(1e-5f);
    }
}
