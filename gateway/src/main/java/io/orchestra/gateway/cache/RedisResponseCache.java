package io.orchestra.gateway.cache;

import java.util.Optional;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.SetParams;

/** Responses shared by every replica through Redis, expiring by TTL. */
public final class RedisResponseCache implements ResponseCache {
    private final JedisPooled redis;
    private final String prefix;

    public RedisResponseCache(JedisPooled redis, String prefix) {
        this.redis = redis;
        this.prefix = prefix;
    }

    @Override
    public Optional<String> get(String key) {
        return Optional.ofNullable(redis.get(prefix + key));
    }

    @Override
    public void put(String key, String value, int ttlSeconds) {
        redis.set(prefix + key, value, SetParams.setParams().ex(ttlSeconds));
    }

    @Override
    public String kind() {
        return "redis";
    }
}
