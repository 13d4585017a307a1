package io.orchestra.gateway.cache;

import io.orchestra.core.auth.Principal;
import io.orchestra.core.json.Json;
import io.orchestra.gateway.config.CacheScope;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The exact-cache key: SHA-256 of the partition (whose entries these are), the alias and the
 * request with sorted keys, minus the fields that do not change the answer (streaming and
 * bookkeeping), so a streamed and a plain request for the same thing share one entry. The
 * semantic cache's scope is built the same way, so both caches are partitioned alike.
 */
public final class CacheKeys {
    private static final Set<String> IGNORED = Set.of("stream", "stream_options", "user", "metadata", "store");

    private CacheKeys() {}

    /**
     * Whose cache entries a call reads and writes: its owner's (the key's own when it has no
     * owner), or everyone's when the route shares its cache on purpose.
     */
    public static String partition(CacheScope scope, Principal caller) {
        if (scope == CacheScope.GLOBAL) {
            return "global";
        }
        return caller.owner() != null && !caller.owner().isBlank()
                ? "owner:" + caller.owner()
                : "key:" + caller.keyId();
    }

    public static String of(String partition, String alias, ObjectNode request) {
        StringBuilder canonical =
                new StringBuilder(partition).append('\n').append(alias).append('\n');
        TreeMap<String, JsonNode> sorted = new TreeMap<>();
        request.properties().forEach(e -> {
            if (!IGNORED.contains(e.getKey())) {
                sorted.put(e.getKey(), e.getValue());
            }
        });
        sorted.forEach(
                (k, v) -> canonical.append(k).append('=').append(canonical(v)).append('\n'));
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String canonical(JsonNode node) {
        if (node.isObject()) {
            TreeMap<String, String> fields = new TreeMap<>();
            node.properties().forEach(e -> fields.put(e.getKey(), canonical(e.getValue())));
            StringBuilder out = new StringBuilder("{");
            fields.forEach(
                    (k, v) -> out.append(Json.write(k)).append(':').append(v).append(','));
            return out.append('}').toString();
        }
        if (node.isArray()) {
            StringBuilder out = new StringBuilder("[");
            node.forEach(item -> out.append(canonical(item)).append(','));
            return out.append(']').toString();
        }
        return Json.write(node);
    }
}
