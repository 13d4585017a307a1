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
    // Check and add in one script: Redis runs it alone, so replicas cannot interleave between the two.
    private static final String RESERVE = """
            local v = tonumber(redis.call('GET', KEYS[1]) or '0')
            if v + tonumber(ARGV[1]) > tonumber(ARGV[2]) then return {0, v} end
            v = redis.call('INCRBY', KEYS[1], ARGV[1])
            if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
            return {1, v}""";

    private final JedisPooled redis;
    private final Clock clock;
    private final String prefix;

    public RedisLimitCounters(JedisPooled redis, Clock clock, String prefix) {
        this.redis = redis;
        this.clock = clock;
        this.prefix = prefix;
    }

    private String windowKey(String name, long window) {
        return prefix + "win:" + name + ":" + window;
    }

    @Override
    public Reservation reserve(String name, long amount, long limit, long windowMillis) {
        long window = clock.millis() / windowMillis;
        List<?> result = (List<?>) redis.eval(
                RESERVE,
                List.of(windowKey(name, window)),
                List.of(Long.toString(amount), Long.toString(limit), Long.toString(windowMillis * 2)));
        return new Reservation(((Long) result.get(0)) == 1, (Long) result.get(1), window);
    }

    @Override
    public void adjust(String name, long window, long amount, long windowMillis) {
        // A window that has expired (or is about to) needs no correction.
        if (window >= clock.millis() / windowMillis - 1) {
            redis.eval(
                    ADD,
                    List.of(windowKey(name, window)),
                    List.of(Long.toString(amount), Long.toString(windowMillis * 2)));
        }
    }

    @Override
    public long addToWindow(String name, long amount, long windowMillis) {
        return (Long) redis.eval(
                ADD,
                List.of(windowKey(name, clock.millis() / windowMillis)),
                List.of(Long.toString(amount), Long.toString(windowMillis * 2)));
    }

    @Override
    public long window(String name, long windowMillis) {
        String value = redis.get(windowKey(name, clock.millis() / windowMillis));
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
