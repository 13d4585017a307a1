package io.orchestra.gateway.usage;

import java.time.Clock;
import java.util.List;
import redis.clients.jedis.JedisPooled;

/** Counters in Redis, so every replica enforces the same limits. Each update is one atomic script. */
public final class RedisLimitCounters implements LimitCounters {
    private static final String ADD = """
            local v = redis.call('INCRBY', KEYS[1], ARGV[1])
            if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            return v""";

    private final JedisPooled redis;
    private final Clock clock;
    private final String prefix;

    public RedisLimitCounters(JedisPooled redis, Clock clock, String prefix) {
        this.redis = redis;
        this.clock = clock;
        this.prefix = prefix;
    }

    private String windowKey(String name, long windowMillis) {
        return prefix + "win:" + name + ":" + clock.millis() / windowMillis;
    }

    @Override
    public long addToWindow(String name, long amount, long windowMillis) {
        return (Long) redis.eval(
                ADD,
                List.of(windowKey(name, windowMillis)),
                List.of(Long.toString(amount), Long.toString(windowMillis * 2)));
    }

    @Override
    public long window(String name, long windowMillis) {
        String value = redis.get(windowKey(name, windowMillis));
        return value == null ? 0 : Long.parseLong(value);
    }

    @Override
    public long addSpend(String name, long microUsd, long ttlMillis) {
        return (Long) redis.eval(
                ADD, List.of(prefix + "spend:" + name), List.of(Long.toString(microUsd), Long.toString(ttlMillis)));
    }

    @Override
    public long spend(String name) {
        String value = redis.get(prefix + "spend:" + name);
        return value == null ? 0 : Long.parseLong(value);
    }

    @Override
    public String kind() {
        return "redis";
    }
}
