package io.orchestra.server.auth;

import io.orchestra.core.auth.Principal;
import io.orchestra.core.auth.Role;
import java.time.Instant;
import java.util.List;

/** An API key as stored: never the key itself, only its hash (kept out of this record) and prefix. */
public record ApiKey(
        String id,
        String name,
        Role role,
        String owner,
        String prefix,
        List<String> tags,
        Instant createdAt,
        Instant revokedAt,
        Instant lastUsedAt,
        List<String> models,
        Instant expiresAt) {

    public boolean revoked() {
        return revokedAt != null;
    }

    /** The models it may use and its expiry. */
    public KeyGrant grant() {
        return new KeyGrant(models, expiresAt);
    }

    /** Neither revoked nor expired: it authenticates. */
    public boolean active(Instant now) {
        return !revoked() && !grant().expired(now);
    }

    public Principal principal() {
        return new Principal(id, name, role, owner, tags);
    }
}
