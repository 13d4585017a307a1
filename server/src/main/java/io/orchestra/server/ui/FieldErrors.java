package io.orchestra.server.ui;

import java.util.List;

/**
 * Validation problems ("field: what is wrong", as the parsers word them) split by field, so a form
 * shows each message beside its input and the rest above the form.
 */
public record FieldErrors(List<String> all) {
    public static final FieldErrors NONE = new FieldErrors(List.of());

    /** The messages about {@code field} (for "memory.scope", also "memory.scope = …"), without the field prefix. */
    public List<String> of(String field) {
        return all.stream()
                .filter(e -> e.startsWith(field + ":") || e.startsWith(field + " ="))
                .map(e -> e.startsWith(field + ":")
                        ? e.substring(field.length() + 1).trim()
                        : e)
                .toList();
    }

    /** Every message about {@code prefix} or something inside it (like "route.targets[0]" for its provider and model). */
    public List<String> under(String prefix) {
        return all.stream()
                .filter(e -> e.startsWith(prefix + ".") || e.startsWith(prefix + ":") || e.startsWith(prefix + " ="))
                .toList();
    }

    public boolean any() {
        return !all.isEmpty();
    }
}
