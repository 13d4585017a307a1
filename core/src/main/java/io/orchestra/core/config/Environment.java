package io.orchestra.core.config;

import java.util.Locale;
import java.util.Optional;

/** Deployment profile, chosen by ORCHESTRA_ENV. */
public enum Environment {
    DEV,
    STAGING,
    PROD;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Staging and prod run shared, multi-replica deployments and get the strict rules. */
    public boolean strict() {
        return this != DEV;
    }

    public static Optional<Environment> parse(String value) {
        for (Environment env : values()) {
            if (env.wire().equalsIgnoreCase(value == null ? "" : value.trim())) {
                return Optional.of(env);
            }
        }
        return Optional.empty();
    }
}
