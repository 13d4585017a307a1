package io.orchestra.gateway.usage;

import io.orchestra.core.error.ProblemException;
import io.orchestra.core.storage.Database;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Enforces per-key rate limits and budgets before the upstream call. Spend is counted from actual
 * cost after each call. Near the end of a budget, a key's calls on this replica go one at a time,
 * so the overspend is at most one in-flight request per replica.
 */
public final class Limits {
    private static final long MINUTE = 60_000;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyyMM");

    private final Database database;
    private final LimitCounters counters;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Map<String, Semaphore> nearBudget = new ConcurrentHashMap<>();
    private final Map<String, Double> typicalCost = new ConcurrentHashMap<>();

    private record Cached(KeyLimits limits, long expiresAt) {}

    /** Held for the duration of one call; release it when the call's cost is known. */
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    public Limits(Database database, LimitCounters counters, Clock clock) {
        this.database = database;
        this.counters = counters;
        this.clock = clock;
    }

    public LimitCounters counters() {
        return counters;
    }

    public KeyLimits limits(String keyId) {
        long now = clock.millis();
        Cached cached = cache.get(keyId);
        if (cached != null && cached.expiresAt > now) {
            return cached.limits;
        }
        KeyLimits limits = database.jdbi()
                .withHandle(h -> h.createQuery("SELECT * FROM gateway_key_limits WHERE key_id = :id")
                        .bind("id", keyId)
                        .map((rs, ctx) -> new KeyLimits(
                                nullableDouble(rs, "daily_budget_usd"),
                                nullableDouble(rs, "monthly_budget_usd"),
                                nullableInt(rs, "requests_per_minute"),
                                nullableInt(rs, "tokens_per_minute")))
                        .findOne())
                .orElse(KeyLimits.NONE);
        cache.put(keyId, new Cached(limits, now + 2_000));
        return limits;
    }

    public void set(String keyId, KeyLimits limits) {
        long now = clock.millis();
        database.jdbi().useTransaction(h -> {
            h.createUpdate("DELETE FROM gateway_key_limits WHERE key_id = :id")
                    .bind("id", keyId)
                    .execute();
            h.createUpdate("""
                            INSERT INTO gateway_key_limits (key_id, daily_budget_usd, monthly_budget_usd, requests_per_minute, tokens_per_minute, updated_at)
                            VALUES (:id, :daily, :monthly, :rpm, :tpm, :now)""")
                    .bind("id", keyId)
                    .bind("daily", limits.dailyBudgetUsd())
                    .bind("monthly", limits.monthlyBudgetUsd())
                    .bind("rpm", limits.requestsPerMinute())
                    .bind("tpm", limits.tokensPerMinute())
                    .bind("now", now)
                    .execute();
        });
        cache.remove(keyId);
    }

    /** Checks every limit of the key; throws 429 with the reason, or returns a permit for the call. */
    public Permit admit(String keyId, int estimatedTokens) {
        KeyLimits limits = limits(keyId);
        if (limits.requestsPerMinute() != null
                && counters.addToWindow("rpm:" + keyId, 1, MINUTE) > limits.requestsPerMinute()) {
            throw rateLimited(
                    "rate limit of " + limits.requestsPerMinute() + " requests per minute reached for this key");
        }
        if (limits.tokensPerMinute() != null
                && counters.window("tpm:" + keyId, MINUTE) + estimatedTokens > limits.tokensPerMinute()) {
            throw rateLimited("token limit of " + limits.tokensPerMinute() + " tokens per minute reached for this key");
        }
        if (!limits.hasBudget()) {
            return () -> {};
        }
        checkBudget(keyId, limits);
        double remaining = remaining(keyId, limits);
        Double typical = typicalCost.get(keyId);
        if (typical != null && remaining > 10 * typical) {
            return () -> {};
        }
        // Close to the budget (or no cost seen yet): one call at a time for this key on this replica.
        Semaphore gate = nearBudget.computeIfAbsent(keyId, k -> new Semaphore(1));
        try {
            if (!gate.tryAcquire(60, TimeUnit.SECONDS)) {
                throw rateLimited("budget nearly spent: calls for this key are serialised; try again shortly");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw rateLimited("interrupted while waiting for the budget gate");
        }
        try {
            checkBudget(keyId, limits);
        } catch (RuntimeException e) {
            gate.release();
            throw e;
        }
        return gate::release;
    }

    private void checkBudget(String keyId, KeyLimits limits) {
        ZonedDateTime now = clock.instant().atZone(ZoneOffset.UTC);
        if (limits.dailyBudgetUsd() != null && counters.spend(dayKey(keyId, now)) >= micro(limits.dailyBudgetUsd())) {
            throw rateLimited(
                    "daily budget of $" + limits.dailyBudgetUsd() + " is spent for this key; it resets at 00:00 UTC");
        }
        if (limits.monthlyBudgetUsd() != null
                && counters.spend(monthKey(keyId, now)) >= micro(limits.monthlyBudgetUsd())) {
            throw rateLimited("monthly budget of $" + limits.monthlyBudgetUsd() + " is spent for this key");
        }
    }

    private double remaining(String keyId, KeyLimits limits) {
        ZonedDateTime now = clock.instant().atZone(ZoneOffset.UTC);
        double remaining = Double.MAX_VALUE;
        if (limits.dailyBudgetUsd() != null) {
            remaining = Math.min(remaining, limits.dailyBudgetUsd() - counters.spend(dayKey(keyId, now)) / 1e6);
        }
        if (limits.monthlyBudgetUsd() != null) {
            remaining = Math.min(remaining, limits.monthlyBudgetUsd() - counters.spend(monthKey(keyId, now)) / 1e6);
        }
        return remaining;
    }

    /** Counts a finished call's tokens and cost. */
    public void record(String keyId, int tokens, double costUsd) {
        KeyLimits limits = limits(keyId);
        if (limits.tokensPerMinute() != null && tokens > 0) {
            counters.addToWindow("tpm:" + keyId, tokens, MINUTE);
        }
        if (costUsd > 0) {
            ZonedDateTime now = clock.instant().atZone(ZoneOffset.UTC);
            counters.addSpend(dayKey(keyId, now), micro(costUsd), 2 * 86_400_000L);
            counters.addSpend(monthKey(keyId, now), micro(costUsd), 32 * 86_400_000L);
            typicalCost.merge(keyId, costUsd, (old, cost) -> old * 0.8 + cost * 0.2);
        }
    }

    /** Spend so far (USD) for /api/usage and the UI. */
    public Map<String, Double> spent(String keyId) {
        ZonedDateTime now = clock.instant().atZone(ZoneOffset.UTC);
        return Map.of(
                "today",
                counters.spend(dayKey(keyId, now)) / 1e6,
                "this_month",
                counters.spend(monthKey(keyId, now)) / 1e6);
    }

    private static String dayKey(String keyId, ZonedDateTime now) {
        return "day:" + keyId + ":" + DAY.format(now);
    }

    private static String monthKey(String keyId, ZonedDateTime now) {
        return "month:" + keyId + ":" + MONTH.format(now);
    }

    private static long micro(double usd) {
        return Math.round(usd * 1e6);
    }

    private static ProblemException rateLimited(String detail) {
        return ProblemException.tooManyRequests(detail);
    }

    private static Double nullableDouble(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }

    private static Integer nullableInt(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }
}
