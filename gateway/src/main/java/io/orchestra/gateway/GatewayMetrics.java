package io.orchestra.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.orchestra.gateway.providers.TokenUsage;
import io.orchestra.gateway.routing.CircuitBreakers;
import java.time.Duration;
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

    public void call(String operation, String providerKind, String provider, String model, int status, Duration latency,
            TokenUsage usage, double costUsd, String cache) {
        String error = status >= 400 ? Integer.toString(status) : "none";
        Timer.builder("gen_ai.client.operation.duration").description("Gateway calls, end to end")
                .tags("gen_ai.operation.name", operation, "gen_ai.system", providerKind, "orchestra.provider", provider,
                        "gen_ai.request.model", model, "error.type", error)
                .publishPercentileHistogram().register(registry).record(latency);
        Counter.builder("orchestra.gateway.requests").description("Gateway calls by provider, model and status")
                .tags("provider", provider, "model", model, "status", Integer.toString(status), "cache", cache)
                .register(registry).increment();
        if (status >= 400) {
            Counter.builder("orchestra.gateway.errors").tags("provider", provider, "model", model, "status", Integer.toString(status))
                    .register(registry).increment();
        }
        if (usage.promptTokens() > 0) {
            tokens(providerKind, provider, model, "input", usage.promptTokens());
        }
        if (usage.completionTokens() > 0) {
            tokens(providerKind, provider, model, "output", usage.completionTokens());
        }
        if (costUsd > 0) {
            Counter.builder("orchestra.gateway.cost").baseUnit("usd").description("Spend computed from reported usage")
                    .tags("provider", provider, "model", model).register(registry).increment(costUsd);
        }
    }

    private void tokens(String providerKind, String provider, String model, String type, int count) {
        DistributionSummary.builder("gen_ai.client.token.usage").baseUnit("tokens").description("Tokens per call")
                .tags("gen_ai.system", providerKind, "orchestra.provider", provider, "gen_ai.request.model", model, "gen_ai.token.type", type)
                .register(registry).record(count);
    }

    public void firstToken(String provider, String model, Duration latency) {
        Timer.builder("orchestra.gateway.first.token").description("Time to the first streamed token")
                .tags("provider", provider, "model", model).publishPercentileHistogram().register(registry).record(latency);
    }

    public void cache(String result) {
        Counter.builder("orchestra.gateway.cache").tags("result", result).register(registry).increment();
    }

    public void attempt(String provider, String model, String outcome) {
        Counter.builder("orchestra.gateway.attempts").tags("provider", provider, "model", model, "outcome", outcome)
                .register(registry).increment();
    }

    /** One gauge per target: 0 closed, 1 half-open, 2 open. */
    public void watchCircuit(CircuitBreakers breakers, String target) {
        if (circuitGauges.add(target)) {
            Gauge.builder("orchestra.gateway.circuit.state", breakers, b -> {
                CircuitBreakers.Status status = b.statuses().get(target);
                return status == null ? 0 : switch (status.state()) {
                    case CLOSED -> 0;
                    case HALF_OPEN -> 1;
                    case OPEN -> 2;
                };
            }).tag("target", target).register(registry);
        }
    }
}
