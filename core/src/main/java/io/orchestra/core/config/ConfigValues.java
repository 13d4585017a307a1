package io.orchestra.core.config;

import io.smallrye.config.SmallRyeConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads configuration values the one way every module's settings use: a blank value is unset (the
 * default applies), anything else is parsed strictly and checked, and each problem is added to one
 * list so startup reports them all at once. A value that cannot be used returns the default, so
 * reading goes on and finds the next problem.
 */
final class ConfigValues {
    private final SmallRyeConfig config;
    private final List<String> problems;

    ConfigValues(SmallRyeConfig config, List<String> problems) {
        this.config = config;
        this.problems = problems;
    }

    void problem(String key, String value, String expected) {
        problems.add(ConfigLoader.problem(key, value, expected));
    }

    /** The raw value, trimmed; empty when unset or blank (or when a {@code ${VAR}} in it cannot be resolved). */
    Optional<String> optional(String key) {
        try {
            return config.getOptionalValue(key, String.class).map(String::trim).filter(v -> !v.isEmpty());
        } catch (RuntimeException e) {
            problems.add(key + ": " + Secrets.maskUrl(e.getMessage()));
            return Optional.empty();
        }
    }

    String text(String key, String fallback) {
        return optional(key).orElse(fallback);
    }

    /** {@code true} or {@code false} (any case); {@code yes}, {@code 1}, {@code ture}… are problems, not a guess. */
    boolean bool(String key, boolean fallback) {
        Optional<String> value = optional(key);
        if (value.isEmpty()) {
            return fallback;
        }
        String v = value.get().toLowerCase(Locale.ROOT);
        if (v.equals("true") || v.equals("false")) {
            return v.equals("true");
        }
        problem(key, value.get(), "true or false");
        return fallback;
    }

    long whole(String key, long fallback, long min, long max) {
        Optional<String> value = optional(key);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value.get());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problem(key, value.get(), "a whole number from " + min + " to " + max);
        return fallback;
    }

    int integer(String key, int fallback, int min, int max) {
        return (int) whole(key, fallback, min, max);
    }

    double number(String key, double fallback, double min, double max) {
        Optional<String> value = optional(key);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            double parsed = Double.parseDouble(value.get());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problem(key, value.get(), "a number from " + min + " to " + max);
        return fallback;
    }

    /** One of an enum's wire names (any case). */
    <E extends Enum<E>> E choice(String key, E fallback, Function<E, String> wire) {
        Optional<String> value = optional(key);
        if (value.isEmpty()) {
            return fallback;
        }
        E[] values = fallback.getDeclaringClass().getEnumConstants();
        for (E candidate : values) {
            if (wire.apply(candidate).equalsIgnoreCase(value.get())) {
                return candidate;
            }
        }
        problem(
                key,
                value.get(),
                "one of " + String.join(", ", Arrays.stream(values).map(wire).toList()));
        return fallback;
    }

    /** An absolute http(s) URL with a host. */
    Optional<URI> httpUrl(String key) {
        Optional<String> value = optional(key);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(value.get());
            if (uri.getScheme() != null && uri.getScheme().matches("(?i)https?") && uri.getHost() != null) {
                return Optional.of(uri);
            }
        } catch (java.net.URISyntaxException e) {
            // reported below
        }
        problem(key, value.get(), "an http:// or https:// URL");
        return Optional.empty();
    }

    Optional<Path> path(String key) {
        Optional<String> value = optional(key);
        try {
            return value.map(Path::of);
        } catch (java.nio.file.InvalidPathException e) {
            problem(key, value.get(), "a file system path");
            return Optional.empty();
        }
    }

    /** A comma-separated list, each item trimmed, empty items dropped. */
    List<String> list(String key, String fallback) {
        return Arrays.stream(text(key, fallback).split(","))
                .map(String::trim)
                .filter(item -> !item.isEmpty())
                .toList();
    }
}
