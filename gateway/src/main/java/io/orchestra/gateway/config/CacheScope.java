package io.orchestra.gateway.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Who shares a route's cached answers. {@code OWNER} (the default) keeps each owner's entries
 * apart, so one member never receives another's answer nor learns what they asked; {@code GLOBAL}
 * shares them across owners and must be chosen on purpose.
 */
public enum CacheScope {
    OWNER,
    GLOBAL;

    /** The name in orchestra.yaml and /api/routes. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<CacheScope> parse(String value) {
        return Arrays.stream(values()).filter(s -> s.yamlName().equals(value)).findFirst();
    }
}
