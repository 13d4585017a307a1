package io.orchestra.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.orchestra.gateway.providers.TokenUsage;
import io.orchestra.gateway.routing.CircuitBreakers;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gateway meters. Names follow the OpenTelemetry GenAI conventions where they exist
 * ({@code gen_ai.client.operation.duration}, {@code gen_ai.client.token.usage}); the rest are
 * {@code orchestra.gateway.*}.
 */
public final class GatewayMetrics {
    private final MeterRegistry registry;
    private final Set<String> circuitGauges = ConcurrentHashMap.newKeySet();

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The meters of one kind of call, built once: building and registering them per request showed in the profile. */
    private record CallKey(
            String operation, String providerKind, String provider, String model, int status, String cache) {}

    private record CallMeters(Timer duration, Counter requests, Counter errors) {}

    private final Map<CallKey, CallMeters> callMeters = new ConcurrentHashMap<>();
    // Token and cost meters appear once a call of that kind reported some.
    private final Map<CallKey, DistributionSummary> inputTokens = new ConcurrentHashMap<>();
    private final Map<CallKey, DistributionSummary> outputTokens = new ConcurrentHashMap<>();
    private final Map<CallKey, Counter> cost = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> firstTokenTimers = new ConcurrentHashMap<>();

    public void call(
            String operation,
            String providerKind,
            String provider,
            String model,
            int status,
            Duration latency,
            TokenUsage usage,
            double costUsd,
            CacheStatus cache) {
        CallKey key = new CallKey(operation, providerKind, provider, model, status, cache.wire());
        CallMeters meters = callMeters.computeIfAbsent(key, this::meters);
        meters.duration().record(latency);
        meters.requests().increment();
        if (meters.errors() != null) {
            meters.errors().increment();
        }
        if (usage.promptTokens() > 0) {
            inputTokens.computeIfAbsent(key, k -> tokens(k, "input")).record(usage.promptTokens());
        }
        if (usage.completionTokens() > 0) {
            outputTokens.computeIfAbsent(key, k -> tokens(k, "output")).record(usage.completionTokens());
        }
        if (costUsd > 0) {
            cost.computeIfAbsent(
                            key,
                            k -> Counter.builder("orchestra.gateway.cost")
                                    .baseUnit("usd")
                                    .description("Spend computed from reported usage")
                                    .tags("provider", k.provider(), "model", k.model())
                                    .register(registry))
                    .increment(costUsd);
        }
    }

    private CallMeters meters(CallKey key) {
        String error = key.status() >= 400 ? Integer.toString(key.status()) : "none";
        String status = Integer.toString(key.status());
        return new CallMeters(
                Timer.builder("gen_ai.client.operation.duration")
                        .description("Gateway calls, end to end")
                        .tags(
                                "gen_ai.operation.name",
                                key.operation(),
                                "gen_ai.system",
                                key.providerKind(),
                                "orchestra.provider",
                                key.provider(),
                                "gen_ai.request.model",
                                key.model(),
                                "error.type",
                                error)
                        .publishPercentileHistogram()
                        .register(registry),
                Counter.builder("orchestra.gateway.requests")
                        .description("Gateway calls by provider, model and status")
                        .tags("provider", key.provider(), "model", key.model(), "status", status, "cache", key.cache())
                        .register(registry),
                key.status() >= 400
                        ? Counter.builder("orchestra.gateway.errors")
                                .tags("provider", key.provider(), "model", key.model(), "status", status)
                                .register(registry)
                        : null);
    }

    private DistributionSummary tokens(CallKey key, String type) {
        return DistributionSummary.builder("gen_ai.client.token.usage")
                .baseUnit("tokens")
                .description("Tokens per call")
                .tags(
                        "gen_ai.system",
                        key.providerKind(),
                        "orchestra.provider",
                        key.provider(),
                        "gen_ai.request.model",
                        key.model(),
                        "gen_ai.token.type",
                        type)
                .register(registry);
    }

    public void firstToken(String provider, String model, Duration latency) {
        firstTokenTimers
                .computeIfAbsent(
                        provider + "\n" + model,
                        k -> Timer.builder("orchestra.gateway.first.token")
                                .description("Time to the first streamed token")
                                .tags("provider", provider, "model", model)
                                .publishPercentileHistogram()
                                .register(registry))
                .record(latency);
    }

    public void cache(CacheStatus result) {
        counters.computeIfAbsent(
                        "cache\n" + result,
                        k -> Counter.builder("orchestra.gateway.cache")
                                .tags("result", result.label())
                                .register(registry))
                .increment();
    }

    /** A call refused before routing; labelled by status only, never by the caller's model text. */
    public void rejected(String operation, int status) {
        counters.computeIfAbsent(
                        "rejected\n" + operation + "\n" + status,
                        k -> Counter.builder("orchestra.gateway.rejected")
                                .description("Calls refused before any provider was tried")
                                .tags("operation", operation, "status", Integer.toString(status))
                                .register(registry))
                .increment();
    }

    public void attempt(String provider, String model, String outcome) {
        counters.computeIfAbsent(
                        "attempt\n" + provider + "\n" + model + "\n" + outcome,
                        k -> Counter.builder("orchestra.gateway.attempts")
                                .tags("provider", provider, "model", model, "outcome", outcome)
                                .register(registry))
                .increment();
    }

    /** One gauge per target: 0 closed, 1 half-open, 2 open. */
    public void watchCircuit(CircuitBreakers breakers, String target) {
        if (circuitGauges.add(target)) {
            Gauge.builder("orchestra.gateway.circuit.state", breakers, b -> {
                        CircuitBreakers.Status status = b.statuses().get(target);
                        return status == null
                                ? 0
                                : switch (status.state()) {
                                    case CLOSED -> 0;
                                    case HALF_OPEN -> 1;
                                    case OPEN -> 2;
                                };
                    })
                    .tag("target", target)
                    .register(registry);
        }
    }
}
