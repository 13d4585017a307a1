package io.orchestra.server.ui;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Reads a page's query or form fields leniently: a bad field gets a message for the page to show
 * inline and falls back to its default, so bad input never turns into an error page.
 */
final class UiInput {
    private final Context ctx;
    private final boolean form;
    private final List<String> errors = new ArrayList<>();

    private UiInput(Context ctx, boolean form) {
        this.ctx = ctx;
        this.form = form;
    }

    static UiInput query(Context ctx) {
        return new UiInput(ctx, false);
    }

    static UiInput form(Context ctx) {
        return new UiInput(ctx, true);
    }

    private String raw(String name) {
        return form ? ctx.formParam(name) : ctx.queryParam(name);
    }

    /** Trimmed text, or null when blank or too long (with a message). */
    String text(String name, String label, int max) {
        String value = raw(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > max) {
            errors.add(label + ": at most " + max + " characters");
            return null;
        }
        return value.trim();
    }

    /** One of {@code allowed}, or {@code fallback} (with a message when something else was given). */
    String choice(String name, String label, Collection<String> allowed, String fallback) {
        String value = raw(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        if (!allowed.contains(value.trim())) {
            errors.add(label + ": '" + shorten(value) + "' is not one of the choices");
            return fallback;
        }
        return value.trim();
    }

    /** A number, or null when blank (no limit) or not a number (with a message). */
    Double decimal(String name, String label) {
        String value = raw(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            errors.add(label + ": a number like 5 or 0.25, or blank for none");
            return null;
        }
    }

    /** A whole number, or null when blank or not one (with a message). */
    Integer whole(String name, String label) {
        String value = raw(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            errors.add(label + ": a whole number, or blank for none");
            return null;
        }
    }

    /** A 1-based page number. */
    int page() {
        String value = raw("page");
        if (value == null || value.isBlank()) {
            return 1;
        }
        try {
            int page = Integer.parseInt(value.trim());
            if (page >= 1 && page <= 100_000) {
                return page;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add("page: a whole number from 1");
        return 1;
    }

    void error(String message) {
        errors.add(message);
    }

    List<String> errors() {
        return List.copyOf(errors);
    }

    private static String shorten(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "…" : value;
    }
}
