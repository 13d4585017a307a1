package io.orchestra.server.auth;

import io.orchestra.core.auth.Principal;
import io.orchestra.core.auth.Role;
import io.orchestra.core.error.ProblemException;
import io.orchestra.core.json.Json;
import io.orchestra.core.storage.Database;
import io.orchestra.core.util.Ids;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.statement.StatementContext;
import tools.jackson.core.type.TypeReference;

/**
 * Creates, lists, revokes and checks API keys. Keys are 32 random bytes, stored as SHA-256 (a fast
 * hash is right for high-entropy secrets). Successful lookups are cached for {@link #CACHE_MILLIS}
 * so the gateway's hot path does not hit the database; a revoke on another replica takes effect
 * within that window, a revoke here at once.
 */
public final class ApiKeyStore {
    public static final String KEY_PREFIX = "orc_";
    static final long CACHE_MILLIS = 2_000;

    private final Database database;
    private final Clock clock;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();
    /** The grants of keys that authenticated lately, by key id, for the /v1 model check without a query. */
    private final ConcurrentHashMap<String, KeyGrant> grants = new ConcurrentHashMap<>();

    private record Cached(Principal principal, long expiresAt) {}

    public ApiKeyStore(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    public CreatedKey create(String name, Role role, String owner, List<String> tags) {
        return create(name, role, owner, tags, KeyGrant.UNLIMITED);
    }

    /** A key that may use only {@code grant}'s models (any when empty) until its expiry (never when null). */
    public CreatedKey create(String name, Role role, String owner, List<String> tags, KeyGrant grant) {
        String secret = KEY_PREFIX + Ids.randomToken(32);
        return insert(name, role, owner, tags, secret, grant);
    }

    /** Registers a key whose secret was chosen outside (the configured admin key); idempotent. */
    public ApiKey ensure(String name, Role role, String owner, String secret) {
        String hash = hash(secret);
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT * FROM api_keys WHERE key_hash = :hash")
                        .bind("hash", hash)
                        .map(ApiKeyStore::map)
                        .findOne())
                .orElseGet(() -> insert(name, role, owner, List.of(), secret, KeyGrant.UNLIMITED)
                        .key());
    }

    private CreatedKey insert(String name, Role role, String owner, List<String> tags, String secret, KeyGrant grant) {
        String id = Ids.newId("key");
        Instant now = clock.instant();
        String prefix = secret.substring(0, Math.min(secret.length(), KEY_PREFIX.length() + 6));
        String effectiveOwner = owner == null || owner.isBlank() ? id : owner;
        database.jdbi()
                .useHandle(h -> h.createUpdate("""
                        INSERT INTO api_keys (id, name, role, owner, key_hash, key_prefix, tags, created_at,
                                              models, expires_at)
                        VALUES (:id, :name, :role, :owner, :hash, :prefix, :tags, :created, :models, :expires)""")
                        .bind("id", id)
                        .bind("name", name)
                        .bind("role", role.wire())
                        .bind("owner", effectiveOwner)
                        .bind("hash", hash(secret))
                        .bind("prefix", prefix)
                        .bind("tags", Json.write(tags))
                        .bind("created", now.toEpochMilli())
                        .bind("models", Json.write(grant.models()))
                        .bind(
                                "expires",
                                grant.expiresAt() == null
                                        ? null
                                        : grant.expiresAt().toEpochMilli())
                        .execute());
        return new CreatedKey(
                new ApiKey(
                        id,
                        name,
                        role,
                        effectiveOwner,
                        prefix,
                        List.copyOf(tags),
                        now,
                        null,
                        null,
                        grant.models(),
                        grant.expiresAt()),
                secret);
    }

    public List<ApiKey> list() {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT * FROM api_keys ORDER BY created_at, id")
                        .map(ApiKeyStore::map)
                        .list());
    }

    public Optional<ApiKey> find(String id) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT * FROM api_keys WHERE id = :id")
                        .bind("id", id)
                        .map(ApiKeyStore::map)
                        .findOne());
    }

    private static final String ACTIVE_ADMINS = "SELECT COUNT(*) FROM api_keys WHERE role = 'admin'"
            + " AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > :now)";

    public boolean hasActiveAdmin() {
        return database.jdbi()
                        .withHandle(h -> h.createQuery(ACTIVE_ADMINS)
                                .bind("now", clock.millis())
                                .mapTo(Long.class)
                                .one())
                > 0;
    }

    /**
     * Revokes a key; returns it as it now is. Revoking twice is not an error. The last active admin
     * key is not revoked (409): nobody could manage the server any more.
     */
    public ApiKey revoke(String id) {
        ApiKey key = find(id).orElseThrow(() -> ProblemException.notFound("no API key with id '" + id + "'"));
        if (!key.revoked()) {
            long now = clock.millis();
            database.jdbi().useTransaction(h -> {
                if (key.role() == Role.ADMIN && key.active(Instant.ofEpochMilli(now))) {
                    // Locks the active admin rows first, so two revokes of the last two admin keys run one after
                    // the other and the second sees the first (PostgreSQL; SQLite writes one at a time anyway).
                    h.createUpdate("UPDATE api_keys SET revoked_at = revoked_at WHERE role = 'admin'"
                                    + " AND revoked_at IS NULL")
                            .execute();
                    long admins = h.createQuery(ACTIVE_ADMINS)
                            .bind("now", now)
                            .mapTo(Long.class)
                            .one();
                    if (admins <= 1) {
                        throw ProblemException.conflict("key '" + key.name()
                                + "' is the last active admin key; create another admin key before revoking it");
                    }
                }
                h.createUpdate("UPDATE api_keys SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL")
                        .bind("now", now)
                        .bind("id", id)
                        .execute();
            });
        }
        cache.clear();
        grants.remove(id);
        return find(id).orElseThrow();
    }

    /** The models a key may use and its expiry; a key seen lately is answered from memory. */
    public KeyGrant grant(String keyId) {
        KeyGrant known = grants.get(keyId);
        if (known != null) {
            return known;
        }
        return find(keyId)
                .map(ApiKey::grant)
                .orElseThrow(() -> ProblemException.unauthorized("the API key '" + keyId + "' no longer exists"));
    }

    /** The principal for an {@code Authorization: Bearer <key>} header (Javalin routes and the MCP servlet alike). */
    public Optional<Principal> authenticateHeader(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return authenticate(authorization.substring(7).trim());
    }

    /** The principal for a presented secret, if the key exists and is neither revoked nor expired. */
    public Optional<Principal> authenticate(String secret) {
        if (secret == null || !secret.startsWith(KEY_PREFIX) || secret.length() > 200) {
            return Optional.empty();
        }
        String hash = hash(secret);
        long now = clock.millis();
        Cached cached = cache.get(hash);
        if (cached != null && cached.expiresAt > now) {
            return Optional.of(cached.principal);
        }
        Optional<ApiKey> key = database.jdbi()
                .withHandle(h -> h.createQuery("SELECT * FROM api_keys WHERE key_hash = :hash AND revoked_at IS NULL")
                        .bind("hash", hash)
                        .map(ApiKeyStore::map)
                        .findOne());
        if (key.isEmpty() || key.get().grant().expired(Instant.ofEpochMilli(now))) {
            cache.remove(hash);
            return Optional.empty();
        }
        if (cache.size() > 10_000) {
            cache.clear();
            grants.clear();
        }
        KeyGrant grant = key.get().grant();
        // A cached key still stops working at its expiry, not up to CACHE_MILLIS later.
        long until = grant.expiresAt() == null
                ? now + CACHE_MILLIS
                : Math.min(now + CACHE_MILLIS, grant.expiresAt().toEpochMilli());
        cache.put(hash, new Cached(key.get().principal(), until));
        grants.put(key.get().id(), grant);
        database.jdbi()
                .useHandle(h -> h.createUpdate("UPDATE api_keys SET last_used_at = :now WHERE id = :id")
                        .bind("now", now)
                        .bind("id", key.get().id())
                        .execute());
        return Optional.of(key.get().principal());
    }

    static String hash(String secret) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ApiKey map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new ApiKey(
                rs.getString("id"),
                rs.getString("name"),
                Role.parse(rs.getString("role")).orElse(Role.MEMBER),
                rs.getString("owner"),
                rs.getString("key_prefix"),
                Json.mapper().readValue(rs.getString("tags"), new TypeReference<List<String>>() {}),
                Instant.ofEpochMilli(rs.getLong("created_at")),
                instant(rs, "revoked_at"),
                instant(rs, "last_used_at"),
                Json.mapper().readValue(rs.getString("models"), new TypeReference<List<String>>() {}),
                instant(rs, "expires_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(value);
    }
}
