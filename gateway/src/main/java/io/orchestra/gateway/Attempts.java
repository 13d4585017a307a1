package io.orchestra.gateway;

import io.orchestra.core.error.ProblemException;
import io.orchestra.gateway.config.GatewayConfig;
import io.orchestra.gateway.config.Target;
import io.orchestra.gateway.providers.Provider;
import io.orchestra.gateway.providers.ProviderSettings;
import io.orchestra.gateway.providers.Providers;
import io.orchestra.gateway.routing.CircuitBreakers;
import io.orchestra.gateway.routing.RateLimitedTargets;
import io.orchestra.gateway.routing.RetryPolicy;
import io.orchestra.gateway.routing.UpstreamFailure;
import io.orchestra.gateway.usage.AttemptOutcome;
import io.orchestra.gateway.usage.AttemptRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Retry, circuit breaker and fallback over a route's targets, for any operation (chat, streams,
 * embeddings): the one loop, so the paths cannot drift apart. A 429 is back-pressure: the target
 * rests until its Retry-After and the next target is tried, without a breaker failure.
 */
final class Attempts {
    /** One try of the operation at one target. */
    interface Operation<T> {
        /** Whether the target's provider offers the operation at all (others are passed over). */
        default boolean supports(Provider provider) {
            return true;
        }

        /** @param attempt the number of this attempt within the call, from 1 */
        T attempt(Target target, ProviderSettings settings, Provider provider, int attempt) throws UpstreamFailure;
    }

    /**
     * How the targets went: {@code value} from the target that succeeded, or the last failure.
     * {@code rejected}: the last failure was the request's fault (another target would refuse it
     * too). {@code supported}: targets that offer the operation. {@code retryAfterMillis}: when
     * every target was rate limited, the shortest wait until one is free; else -1. {@code tried}:
     * each attempt in order, targets passed over included, for the request log.
     */
    record Outcome<T>(
            T value,
            Target target,
            int attempts,
            UpstreamFailure failure,
            boolean rejected,
            int supported,
            long retryAfterMillis,
            List<AttemptRecord> tried) {

        /** {@code tried} with the last attempt's status and error replaced: a stream that failed after it began. */
        List<AttemptRecord> triedEndingWith(int status, String error) {
            if (tried.isEmpty() || (status == 200 && error == null)) {
                return tried;
            }
            List<AttemptRecord> out = new ArrayList<>(tried);
            AttemptRecord last = out.removeLast();
            out.add(new AttemptRecord(
                    last.seq(),
                    last.provider(),
                    last.model(),
                    status,
                    status == 504 ? AttemptOutcome.TIMEOUT : AttemptOutcome.STREAM,
                    last.latencyMs(),
                    error));
            return out;
        }
    }

    private final CircuitBreakers breakers;
    private final RateLimitedTargets rateLimited;
    private final GatewayMetrics metrics;

    Attempts(CircuitBreakers breakers, RateLimitedTargets rateLimited, GatewayMetrics metrics) {
        this.breakers = breakers;
        this.rateLimited = rateLimited;
        this.metrics = metrics;
    }

    <T> Outcome<T> run(GatewayConfig settings, List<Target> targets, Operation<T> operation) {
        RetryPolicy retry = new RetryPolicy(settings.retries(), settings.backoffMillis(), settings.maxBackoffMillis());
        int attempts = 0;
        int supported = 0;
        UpstreamFailure last = null;
        Target lastTarget = null;
        boolean allRateLimited = true;
        long shortestWait = Long.MAX_VALUE;
        List<AttemptRecord> tried = new ArrayList<>();
        for (Target target : targets) {
            ProviderSettings providerSettings = settings.providers().get(target.provider());
            if (providerSettings == null) {
                last = new UpstreamFailure(
                        UpstreamFailure.Kind.CONNECT,
                        0,
                        "provider '" + target.provider() + "' is not configured",
                        null);
                tried.add(passedOver(tried, target, AttemptOutcome.NOT_CONFIGURED, last));
                allRateLimited = false;
                continue;
            }
            Provider provider = Providers.byKind(providerSettings.kind()).orElseThrow();
            if (!operation.supports(provider)) {
                continue;
            }
            supported++;
            lastTarget = target;
            metrics.watchCircuit(breakers, target.key());
            long wait = rateLimited.waitMillis(target.key());
            if (wait > 0) {
                metrics.attempt(target.provider(), target.model(), outcome(UpstreamFailure.Kind.RATE_LIMITED));
                last = new UpstreamFailure(
                        UpstreamFailure.Kind.RATE_LIMITED,
                        429,
                        target.key() + " is rate limited for another " + wait + " ms",
                        wait);
                tried.add(passedOver(tried, target, AttemptOutcome.RATE_LIMITED, last));
                shortestWait = Math.min(shortestWait, wait);
                continue;
            }
            for (int tryNo = 0; tryNo <= retry.retries(); tryNo++) {
                if (!breakers.allow(target.key())) {
                    metrics.attempt(target.provider(), target.model(), outcome(UpstreamFailure.Kind.CIRCUIT_OPEN));
                    last = new UpstreamFailure(
                            UpstreamFailure.Kind.CIRCUIT_OPEN, 503, "circuit open for " + target.key(), null);
                    tried.add(passedOver(tried, target, AttemptOutcome.CIRCUIT_OPEN, last));
                    allRateLimited = false;
                    break;
                }
                attempts++;
                long started = System.nanoTime();
                try {
                    T value = operation.attempt(target, providerSettings, provider, attempts);
                    tried.add(new AttemptRecord(
                            tried.size() + 1,
                            target.provider(),
                            target.model(),
                            200,
                            AttemptOutcome.OK,
                            millisSince(started),
                            null));
                    breakers.success(target.key());
                    metrics.attempt(target.provider(), target.model(), "ok");
                    return new Outcome<>(value, target, attempts, null, false, supported, -1, tried);
                } catch (UpstreamFailure failure) {
                    last = failure;
                    tried.add(new AttemptRecord(
                            tried.size() + 1,
                            target.provider(),
                            target.model(),
                            failure.status(),
                            outcome(failure),
                            millisSince(started),
                            failure.getMessage()));
                    if (failure.rateLimited()) {
                        // The provider is up but busy: rest this target, try the next one now.
                        metrics.attempt(target.provider(), target.model(), "rate_limited");
                        breakers.success(target.key());
                        rateLimited.limited(target.key(), failure.retryAfterMillis());
                        shortestWait = Math.min(
                                shortestWait,
                                Math.max(
                                        1,
                                        failure.retryAfterMillis() == null
                                                ? RateLimitedTargets.DEFAULT_WAIT_MILLIS
                                                : failure.retryAfterMillis()));
                        break;
                    }
                    metrics.attempt(target.provider(), target.model(), outcome(failure.kind()));
                    allRateLimited = false;
                    if (!failure.retryable()) {
                        // The request itself is wrong: another target would refuse it too.
                        breakers.success(target.key());
                        return new Outcome<>(null, target, attempts, failure, true, supported, -1, tried);
                    }
                    breakers.failure(target.key());
                    if (tryNo < retry.retries()) {
                        sleep(retry.delayMillis(tryNo, failure.retryAfterMillis()));
                    }
                }
            }
        }
        boolean limited = allRateLimited && last != null && last.rateLimited();
        return new Outcome<>(null, lastTarget, attempts, last, false, supported, limited ? shortestWait : -1, tried);
    }

    /** A target not tried (no latency); its status is 0: the provider was not called. */
    private static AttemptRecord passedOver(
            List<AttemptRecord> tried, Target target, AttemptOutcome outcome, UpstreamFailure why) {
        return new AttemptRecord(tried.size() + 1, target.provider(), target.model(), 0, outcome, 0, why.getMessage());
    }

    private static AttemptOutcome outcome(UpstreamFailure failure) {
        return switch (failure.kind()) {
            case CONNECT -> AttemptOutcome.CONNECT;
            case TIMEOUT -> AttemptOutcome.TIMEOUT;
            case STREAM -> AttemptOutcome.STREAM;
            case CIRCUIT_OPEN -> AttemptOutcome.CIRCUIT_OPEN;
            case RATE_LIMITED -> AttemptOutcome.RATE_LIMITED;
            case STATUS -> AttemptOutcome.STATUS;
        };
    }

    private static double millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    private static String outcome(UpstreamFailure.Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    /** The answer for a call whose targets all failed (or whose request a provider refused). */
    static ProblemException problem(String alias, Outcome<?> outcome) {
        UpstreamFailure last = outcome.failure();
        int attempts = outcome.attempts();
        if (outcome.rejected()) {
            return new ProblemException(
                    last.status(), "upstream-" + last.status(), "Upstream rejected the request", last.getMessage());
        }
        if (last == null) {
            return new ProblemException(
                    503, "no-target", "Upstream failure", "no target of '" + alias + "' is available");
        }
        if (outcome.retryAfterMillis() >= 0) {
            long seconds = Math.max(1, (outcome.retryAfterMillis() + 999) / 1000);
            return new ProblemException(
                            429,
                            "upstream-rate-limited",
                            "Upstream rate limited",
                            "every provider for '" + alias + "' is rate limiting; retry after " + seconds + " s ("
                                    + attempts + " attempts)")
                    .withHeader("Retry-After", Long.toString(seconds));
        }
        int status;
        String type;
        String message;
        switch (last.kind()) {
            case TIMEOUT -> {
                status = 504;
                type = "upstream-timeout";
                message = "every provider for '" + alias + "' timed out: " + last.getMessage();
            }
            case CIRCUIT_OPEN -> {
                status = 503;
                type = "upstream-unavailable";
                message = "every provider for '" + alias + "' is unavailable; last error: " + last.getMessage();
            }
            default -> {
                status = 502;
                type = "upstream-unavailable";
                message = "every provider for '" + alias + "' failed; last error: " + last.getMessage();
            }
        }
        return new ProblemException(status, type, "Upstream failure", message + " (" + attempts + " attempts)");
    }

    private static void sleep(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
