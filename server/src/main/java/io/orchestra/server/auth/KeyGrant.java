package io.orchestra.server.auth;

import java.time.Instant;
import java.util.List;

/**
 * What a key may use and until when, as LiteLLM's keys carry it: the models it may name on /v1
 * (empty: any; an entry ending in {@code *} matches by prefix, like {@code gpt-4o*} or
 * {@code persona:*}) and the instant it stops working (null: never).
 */
public record KeyGrant(List<String> models, Instant expiresAt) {
    public static final KeyGrant UNLIMITED = new KeyGrant(List.of(), null);

    public KeyGrant {
        models = List.copyOf(models);
    }

    public boolean allows(String model) {
        if (models.isEmpty()) {
            return true;
        }
        for (String allowed : models) {
            if (allowed.equals(model)
                    || (allowed.endsWith("*") && model.startsWith(allowed.substring(0, allowed.length() - 1)))) {
                return true;
            }
        }
        return false;
    }

    public boolean expired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
