package io.orchestra.agents.knowledge;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits text into overlapping chunks of about {@code size} characters, preferring to cut at a
 * paragraph, then a sentence, then a word boundary, so a chunk reads as whole thoughts.
 */
public final class Chunker {
    /** One chunk and where it starts in the document text (for citations). */
    public record Chunk(int ordinal, int start, String text) {}

    private final int size;
    private final int overlap;

    public Chunker(int size, int overlap) {
        if (size < 100 || overlap < 0 || overlap >= size / 2) {
            throw new IllegalArgumentException("chunk size must be at least 100 and overlap under half of it");
        }
        this.size = size;
        this.overlap = overlap;
    }

    public List<Chunk> split(String text) {
        List<Chunk> chunks = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int end = Math.min(text.length(), start + size);
            if (end < text.length()) {
                end = boundary(text, start + size / 2, end);
            }
            String piece = text.substring(start, end).strip();
            if (!piece.isEmpty()) {
                chunks.add(new Chunk(chunks.size(), start, piece));
            }
            if (end >= text.length()) {
                break;
            }
            start = overlapStart(text, Math.max(start + 1, end - overlap), end);
        }
        return chunks;
    }

    /** Where the next chunk starts: a sentence start inside the overlap if there is one, else a word start. */
    private static int overlapStart(String text, int from, int end) {
        for (int i = Math.max(from, 2); i < end; i++) {
            char before = text.charAt(i - 2);
            if (Character.isWhitespace(text.charAt(i - 1))
                    && !Character.isWhitespace(text.charAt(i))
                    && (before == '.' || before == '!' || before == '?' || before == '\n')) {
                return i;
            }
        }
        int space = text.indexOf(' ', from);
        return space >= from && space < end ? space + 1 : end;
    }

    private static int boundary(String text, int from, int to) {
        int paragraph = text.lastIndexOf("\n\n", to);
        if (paragraph >= from) {
            return paragraph + 2;
        }
        for (int i = to - 1; i >= from; i--) {
            char c = text.charAt(i);
            if ((c == '.' || c == '!' || c == '?' || c == '\n')
                    && i + 1 < text.length()
                    && Character.isWhitespace(text.charAt(i + 1))) {
                return i + 1;
            }
        }
        int space = text.lastIndexOf(' ', to);
        return space >= from ? space + 1 : to;
    }
}
