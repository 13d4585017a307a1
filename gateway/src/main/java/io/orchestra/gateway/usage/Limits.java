package io.orchestra.gateway.usage;

import io.orchestra.core.error.ProblemException;
import io.orchestra.core.storage.Database;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Enforces per-key rate limits and budgets before the upstream call. Requests and estimated tokens
 * are reserved atomically at admission and the tokens settled to the real usage after the call;
 * spend is counted from actual cost after each call. Near the end of a budget, a key's calls on this replica go one at a time,
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

    /**
     * Checks every limit of the key and reserves what the call may use; throws 429 (with {@code
     * Retry-After} and the {@code x-ratelimit-*} headers) or returns a permit for the call. The
     * request and its estimated tokens are added to the minute's windows atomically with the
     * check, so concurrent calls (on any replica, with Redis) cannot together pass a limit;
     * closing the permit gives the token estimate back, after {@link #record} counted the real
     * usage.
     */
    public Permit admit(String keyId, int estimatedTokens) {
        KeyLimits limits = limits(keyId);
        LimitCounters.Reservation requests = null;
        if (limits.requestsPerMinute() != null) {
            requests = counters.reserve(rpm(keyId), 1, limits.requestsPerMinute(), MINUTE);
            if (!requests.admitted()) {
                throw rateLimited(
                        "rate limit of " + limits.requestsPerMinute() + " requests per minute reached for this key",
                        windowHeaders(keyId, limits));
            }
        }
        LimitCounters.Reservation tokens = null;
        if (limits.tokensPerMinute() != null) {
            tokens = counters.reserve(tpm(keyId), estimatedTokens, limits.tokensPerMinute(), MINUTE);
            if (!tokens.admitted()) {
                giveBack(keyId, requests, null, 0);
                throw rateLimited(
                        estimatedTokens > limits.tokensPerMinute()
                                ? "this request may use about " + estimatedTokens
                                        + " tokens (prompt plus max_tokens), more than this key's limit of "
                                        + limits.tokensPerMinute() + " tokens per minute; lower max_tokens"
                                : "token limit of " + limits.tokensPerMinute() + " tokens per minute reached for"
                                        + " this key (this request may use about " + estimatedTokens + ")",
                        windowHeaders(keyId, limits));
            }
        }
        LimitCounters.Reservation reservedTokens = tokens;
        Runnable settle = () -> giveBack(keyId, null, reservedTokens, estimatedTokens);
        if (!limits.hasBudget()) {
            return settle::run;
        }
        try {
            checkBudget(keyId, limits);
        } catch (RuntimeException e) {
            giveBack(keyId, requests, tokens, estimatedTokens);
            throw e;
        }
        double remaining = remaining(keyId, limits);
        Double typical = typicalCost.get(keyId);
        if (typical != null && remaining > 10 * typical) {
            return settle::run;
        }
        // Close to the budget (or no cost seen yet): one call at a time for this key on this replica.
        Semaphore gate = nearBudget.computeIfAbsent(keyId, k -> new Semaphore(1));
        boolean acquired;
        try {
            acquired = gate.tryAcquire(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            giveBack(keyId, requests, tokens, estimatedTokens);
            throw rateLimited(
                    "budget nearly spent: calls for this key are serialised; try again shortly",
                    RateLimitHeaders.of(1_000, windows(keyId, limits)));
        }
        try {
            checkBudget(keyId, limits);
        } catch (RuntimeException e) {
            gate.release();
            giveBack(keyId, requests, tokens, estimatedTokens);
            throw e;
        }
        return () -> {
            settle.run();
            gate.release();
        };
    }

    /** Undoes reservations: both when the call is refused, the token estimate alone when it ends. */
    private void giveBack(
            String keyId, LimitCounters.Reservation requests, LimitCounters.Reservation tokens, int estimatedTokens) {
        if (requests != null) {
            counters.adjust(rpm(keyId), requests.window(), -1, MINUTE);
        }
        if (tokens != null) {
            counters.adjust(tpm(keyId), tokens.window(), -estimatedTokens, MINUTE);
        }
    }

    private void checkBudget(String keyId, KeyLimits limits) {
        ZonedDateTime now = clock.instant().atZone(ZoneOffset.UTC);
        if (limits.dailyBudgetUsd() != null && counters.spend(dayKey(keyId, now)) >= micro(limits.dailyBudgetUsd())) {
            long untilMidnight = Duration.between(
                            now, now.toLocalDate().plusDays(1).atStartOfDay(ZoneOffset.UTC))
                    .toMillis();
            throw rateLimited(
                    "daily budget of " + usd(limits.dailyBudgetUsd())
                            + " is spent for this key; it resets at 00:00 UTC",
                    RateLimitHeaders.of(untilMidnight, windows(keyId, limits)));
        }
        if (limits.monthlyBudgetUsd() != null
                && counters.spend(monthKey(keyId, now)) >= micro(limits.monthlyBudgetUsd())) {
            long untilNextMonth = Duration.between(
                            now,
                            now.toLocalDate().withDayOfMonth(1).plusMonths(1).atStartOfDay(ZoneOffset.UTC))
                    .toMillis();
            throw rateLimited(
                    "monthly budget of " + usd(limits.monthlyBudgetUsd())
                            + " is spent for this key; it resets on the 1st at 00:00 UTC",
                    RateLimitHeaders.of(untilNextMonth, windows(keyId, limits)));
        }
    }

    /** A 429 for a per-minute limit: come back when the minute's window ends. */
    private Map<String, String> windowHeaders(String keyId, KeyLimits limits) {
        return RateLimitHeaders.of(MINUTE - clock.millis() % MINUTE, windows(keyId, limits));
    }

    /** The key's per-minute limits as they stand now. */
    private RateLimitHeaders.Window[] windows(String keyId, KeyLimits limits) {
        long reset = MINUTE - clock.millis() % MINUTE;
        return new RateLimitHeaders.Window[] {
            limits.requestsPerMinute() == null
                    ? null
                    : new RateLimitHeaders.Window(
                            "requests", limits.requestsPerMinute(), counters.window(rpm(keyId), MINUTE), reset),
            limits.tokensPerMinute() == null
                    ? null
                    : new RateLimitHeaders.Window(
                            "tokens", limits.tokensPerMinute(), counters.window(tpm(keyId), MINUTE), reset)
        };
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
            counters.addToWindow(tpm(keyId), tokens, MINUTE);
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

    private static String rpm(String keyId) {
        return "rpm:" + keyId;
    }

    private static String tpm(String keyId) {
        return "tpm:" + keyId;
    }

    /** Dollars as written by people: {@code $0.0005}, {@code $5}, never {@code $5.0E-4}. */
    static String usd(double amount) {
        return "$" + BigDecimal.valueOf(amount).stripTrailingZeros().toPlainString();
    }

    private static ProblemException rateLimited(String detail, Map<String, String> headers) {
        return ProblemException.tooManyRequests(detail, headers);
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
