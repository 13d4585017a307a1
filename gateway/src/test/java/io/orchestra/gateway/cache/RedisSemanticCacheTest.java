package io.orchestra.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.testkit.TestRedis;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/** The Redis semantic cache stays bounded: per scope in Redis, and in total in each replica's mirror. */
class RedisSemanticCacheTest {
    /** Unit vectors on distinct axes, so only the same text is similar. */
    static final Map<String, float[]> AXES = Map.of(
            "a",
            new float[] {1, 0, 0, 0},
            "b",
            new float[] {0, 1, 0, 0},
            "c",
            new float[] {0, 0, 1, 0},
            "d",
            new float[] {0, 0, 0, 1});

    static final Function<String, float[]> EMBED = AXES::get;

    @Test
    void keepsTheNewestEntriesPerScopeAndSharesThemBetweenInstances() {
        try (JedisPooled redis = new JedisPooled(URI.create(TestRedis.url()))) {
            String prefix = "orc:test:semantic:" + UUID.randomUUID() + ":";
            RedisSemanticCache writer = new RedisSemanticCache(redis, prefix, EMBED, Clock.systemUTC(), 3, 100);
            RedisSemanticCache reader = new RedisSemanticCache(redis, prefix, EMBED, Clock.systemUTC(), 3, 100);
            for (String text : new String[] {"a", "b", "c", "d"}) {
                writer.store(new SemanticQuery("scope", text), "answer " + text, 60);
            }
            assertThat(redis.xlen(prefix + "scope")).isEqualTo(3);
            assertThat(reader.lookup(new SemanticQuery("scope", "a"), 0.9)).isEmpty();
            assertThat(reader.lookup(new SemanticQuery("scope", "d"), 0.9)).contains("answer d");
            assertThat(reader.lookup(new SemanticQuery("scope", "b"), 0.9)).contains("answer b");
            assertThat(reader.lookup(new SemanticQuery("other", "b"), 0.9)).isEmpty();
            // Entries stored after the reader's last look arrive with its next lookup.
            writer.store(new SemanticQuery("scope", "a"), "answer a again", 60);
            assertThat(reader.lookup(new SemanticQuery("scope", "a"), 0.9)).contains("answer a again");
            assertThat(redis.ttl(prefix + "scope")).isBetween(1L, 60L);
        }
    }

    @Test
    void theMirrorDropsLeastRecentlyUsedScopesBeyondItsBound() {
        try (JedisPooled redis = new JedisPooled(URI.create(TestRedis.url()))) {
            String prefix = "orc:test:semantic:" + UUID.randomUUID() + ":";
            RedisSemanticCache cache = new RedisSemanticCache(redis, prefix, EMBED, Clock.systemUTC(), 2, 2);
            cache.store(new SemanticQuery("one", "a"), "one a", 60);
            cache.store(new SemanticQuery("one", "b"), "one b", 60);
            cache.store(new SemanticQuery("two", "c"), "two c", 60);
            assertThat(cache.lookup(new SemanticQuery("one", "a"), 0.9)).contains("one a");
            assertThat(cache.mirrored()).isEqualTo(2);
            assertThat(cache.lookup(new SemanticQuery("two", "c"), 0.9)).contains("two c");
            assertThat(cache.mirrored()).as("scope 'one' left the mirror").isEqualTo(1);
            // A scope that left the mirror is fetched again from Redis.
            assertThat(cache.lookup(new SemanticQuery("one", "b"), 0.9)).contains("one b");
        }
    }

    @Test
    void anAnswerExpiredInRedisIsAMiss() throws InterruptedException {
        try (JedisPooled redis = new JedisPooled(URI.create(TestRedis.url()))) {
            String prefix = "orc:test:semantic:" + UUID.randomUUID() + ":";
            RedisSemanticCache cache = new RedisSemanticCache(redis, prefix, EMBED, Clock.systemUTC(), 5, 100);
            cache.store(new SemanticQuery("scope", "a"), "short-lived", 1);
            assertThat(cache.lookup(new SemanticQuery("scope", "a"), 0.9)).contains("short-lived");
            Thread.sleep(1_100);
            assertThat(cache.lookup(new SemanticQuery("scope", "a"), 0.9)).isEmpty();
            assertThat(redis.exists(prefix + "scope")).isFalse();
        }
    }
}
