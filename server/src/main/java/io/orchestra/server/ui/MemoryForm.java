package io.orchestra.server.ui;

import io.javalin.http.Context;
import io.orchestra.memory.memories.Memory;
import io.orchestra.memory.memories.MemoryStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The memory form's fields as the user typed them (text, comma-separated tags, importance). Judged
 * by {@link MemoryStore#problems}, the same rules as {@code POST /api/memory/memories}, so each
 * message ("field: rule") is shown beside its field.
 */
public record MemoryForm(String text, String tags, String importance) {
    public static final MemoryForm EMPTY = new MemoryForm("", "", "0.5");

    /** The checked values, or the problems that keep the form from being saved. */
    public record Checked(String text, List<String> tags, double importance, List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    static MemoryForm from(Context ctx) {
        return new MemoryForm(field(ctx, "text"), field(ctx, "tags"), field(ctx, "importance"));
    }

    static MemoryForm of(Memory memory) {
        return new MemoryForm(memory.text(), String.join(", ", memory.tags()), UiFormat.plain(memory.importance()));
    }

    Checked check() {
        List<String> problems = new ArrayList<>();
        double value = 0.5;
        boolean numeric = true;
        try {
            value = Double.parseDouble(importance.trim());
        } catch (NumberFormatException e) {
            numeric = false;
            problems.add("importance: a number from 0 to 1, like 0.5");
        }
        List<String> tagList = Arrays.stream(tags.split(","))
                .map(String::strip)
                .filter(t -> !t.isEmpty())
                .distinct()
                .toList();
        String stripped = text.strip();
        // An importance that is not a number is reported once; the other fields are still judged.
        MemoryStore.problems(stripped, tagList, numeric ? value : 0.5).forEach(problems::add);
        return new Checked(stripped, tagList, value, List.copyOf(problems));
    }

    private static String field(Context ctx, String name) {
        return Objects.requireNonNullElse(ctx.formParam(name), "");
    }
}
