package io.orchestra.gateway.cache;

import io.orchestra.core.util.Ids;
import io.orchestra.core.util.Vectors;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.PipelineBase;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The semantic cache shared by every replica, on plain Redis (no modules). Each scope is a Redis
 * stream of (vector, expiry, response key) capped at {@code maxPerScope} entries; each response is
 * its own key with the route's TTL, so Redis expires answers on its own. A replica mirrors the
 * vectors of the scopes it has seen and fetches only the entries added since its last look (one
 * XRANGE), then compares in process: a lookup costs one round trip, plus one GET on a hit. The
 * mirror is bounded by {@code maxEntries} vectors in total (least recently used scopes go first).
 */
public final class RedisSemanticCache implements SemanticCache {
    private static final Logger LOG = LoggerFactory.getLogger(RedisSemanticCache.class);

    private record Entry(float[] vector, long expiresAt, String responseKey) {}

    /** What this replica knows of one scope's stream. */
    private static final class Mirror {
        StreamEntryID lastId;
        final ArrayDeque<Entry> entries = new ArrayDeque<>();
    }

    private final JedisPooled redis;
    private final String prefix;
    private final Function<String, float[]> embed;
    private final Clock clock;
    private final int maxPerScope;
    private final int maxEntries;
    private final LinkedHashMap<String, Mirror> mirrors = new LinkedHashMap<>(64, 0.75f, true); // guarded by this
    private int mirrored; // vectors held in all mirrors, guarded by this

    public RedisSemanticCache(
            JedisPooled redis,
            String prefix,
            Function<String, float[]> embed,
            Clock clock,
            int maxPerScope,
            int maxEntries) {
        this.redis = redis;
        this.prefix = prefix;
        this.embed = embed;
        this.clock = clock;
        this.maxPerScope = maxPerScope;
        this.maxEntries = Math.max(maxEntries, maxPerScope);
    }

    @Override
    public Optional<String> lookup(SemanticQuery query, double threshold) {
        try {
            String scope = query.scope();
            StreamEntryID seen;
            synchronized (this) {
                seen = mirrors.computeIfAbsent(scope, s -> new Mirror()).lastId;
            }
            // The round trip happens outside the lock; concurrent refreshes skip what another applied.
            List<StreamEntry> fresh = redis.xrange(prefix + scope, seen == null ? "-" : "(" + seen, "+", maxPerScope);
            synchronized (this) {
                if (apply(scope, fresh).isEmpty()) {
                    return Optional.empty();
                }
            }
            float[] vector = query.vector(embed);
            Entry best = null;
            double bestScore = threshold;
            synchronized (this) {
                for (Entry entry : mirrors.getOrDefault(scope, new Mirror()).entries) {
                    double score = SemanticQuery.similarity(vector, entry.vector());
                    if (score >= bestScore) {
                        bestScore = score;
                        best = entry;
                    }
                }
            }
            if (best == null) {
                return Optional.empty();
            }
            String response = redis.get(best.responseKey());
            if (response == null) {
                // Expired (or evicted) in Redis before its recorded expiry: forget it here too.
                forget(scope, best);
            }
            return Optional.ofNullable(response);
        } catch (JedisException e) {
            LOG.warn("semantic cache lookup failed, treating it as a miss: {}", e.toString());
            return Optional.empty();
        }
    }

    @Override
    public void store(SemanticQuery query, String response, int ttlSeconds) {
        String stream = prefix + query.scope();
        String responseKey = stream + ":" + Ids.randomToken(12);
        long ttlMillis = ttlSeconds * 1000L;
        Map<String, String> fields = Map.of(
                "v",
                Vectors.encode(query.vector(embed)),
                "x",
                Long.toString(clock.millis() + ttlMillis),
                "r",
                responseKey);
        try (PipelineBase pipeline = redis.pipelined()) {
            // The response first: a replica that sees the stream entry finds its answer.
            pipeline.set(responseKey, response, SetParams.setParams().px(ttlMillis));
            pipeline.xadd(stream, XAddParams.xAddParams().maxLen(maxPerScope).exactTrimming(), fields);
            pipeline.pexpire(stream, ttlMillis);
            pipeline.sync();
        } catch (JedisException e) {
            LOG.warn("semantic cache store failed: {}", e.toString());
        }
    }

    /** Vectors held in this replica's mirror. */
    synchronized int mirrored() {
        return mirrored;
    }

    @Override
    public String kind() {
        return "redis";
    }

    /** Adds the stream entries this replica has not seen, drops expired ones; returns the scope's live entries. */
    private ArrayDeque<Entry> apply(String scope, List<StreamEntry> fresh) {
        Mirror mirror = mirrors.computeIfAbsent(scope, s -> new Mirror());
        int before = mirror.entries.size();
        for (StreamEntry added : fresh) {
            if (mirror.lastId != null && added.getID().compareTo(mirror.lastId) <= 0) {
                continue;
            }
            mirror.lastId = added.getID();
            Map<String, String> fields = added.getFields();
            try {
                mirror.entries.addLast(
                        new Entry(Vectors.decode(fields.get("v")), Long.parseLong(fields.get("x")), fields.get("r")));
            } catch (RuntimeException malformed) {
                // not written by this code (or by a future version of it): skip it
            }
        }
        while (mirror.entries.size() > maxPerScope) {
            mirror.entries.removeFirst();
        }
        long now = clock.millis();
        mirror.entries.removeIf(e -> e.expiresAt() <= now);
        mirrored += mirror.entries.size() - before;
        // Keep the mirror within maxEntries vectors: the least recently used scopes go first.
        Iterator<Map.Entry<String, Mirror>> eldest = mirrors.entrySet().iterator();
        while (mirrored > maxEntries && eldest.hasNext()) {
            Map.Entry<String, Mirror> next = eldest.next();
            if (!next.getKey().equals(scope)) {
                mirrored -= next.getValue().entries.size();
                eldest.remove();
            }
        }
        return mirror.entries;
    }

    private synchronized void forget(String scope, Entry entry) {
        Mirror mirror = mirrors.get(scope);
        if (mirror != null && mirror.entries.remove(entry)) {
            mirrored--;
        }
    }
}
