package io.orchestra.agents.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkerTest {
    @Test
    void cutsAtSentencesWithOverlapAndCoversAllText() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            text.append("Sentence number ").append(i).append(" talks about interchange fees and card schemes. ");
        }
        List<Chunker.Chunk> chunks = new Chunker(400, 80).split(text.toString());
        assertThat(chunks.size()).isBetween(10, 16);
        for (Chunker.Chunk chunk : chunks) {
            assertThat(chunk.text().length()).isLessThanOrEqualTo(400);
            assertThat(chunk.text()).startsWith("Sentence").endsWith(".");
            assertThat(text.substring(chunk.start())).startsWith(chunk.text().substring(0, 20));
        }
        assertThat(chunks.getLast().text()).contains("Sentence number 59");
        assertThat(chunks.get(1).start())
                .isLessThan(chunks.get(0).start() + chunks.get(0).text().length());
    }

    @Test
    void prefersParagraphBreaks() {
        String text = "A".repeat(300) + ".\n\n" + "B".repeat(300) + ".";
        List<Chunker.Chunk> chunks = new Chunker(400, 50).split(text);
        assertThat(chunks.get(0).text()).endsWith("A.");
    }

    @Test
    void shortTextIsOneChunk() {
        assertThat(new Chunker(400, 50).split("Just one line."))
                .containsExactly(new Chunker.Chunk(0, 0, "Just one line."));
    }
}
