package io.orchestra.gateway;

import io.orchestra.core.auth.Principal;
import io.orchestra.core.error.ProblemException;
import io.orchestra.core.util.Ids;
import io.orchestra.gateway.config.GatewayConfig;
import io.orchestra.gateway.config.Target;
import io.orchestra.gateway.providers.ProviderSettings;
import io.orchestra.gateway.providers.TokenUsage;
import io.orchestra.gateway.usage.AttemptRecord;
import io.orchestra.gateway.usage.BodyLog;
import io.orchestra.gateway.usage.Limits;
import io.orchestra.gateway.usage.LoggedBodies;
import io.orchestra.gateway.usage.RequestRecord;
import io.orchestra.gateway.usage.UsageRecorder;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The one place a call's outcome is written down: its tokens and cost settle the key's limits, its
 * row goes to the request log, its meters to the metrics. Chat, streams and embeddings all end
 * here, and so do calls refused before any provider was tried.
 */
final class CallRecorder {
    private final Limits limits;
    private final UsageRecorder usage;
    private final GatewayMetrics metrics;
    private final Clock clock;
    private final BodyLog bodies;

    CallRecorder(Limits limits, UsageRecorder usage, GatewayMetrics metrics, Clock clock, BodyLog bodies) {
        this.limits = limits;
        this.usage = usage;
        this.metrics = metrics;
        this.clock = clock;
        this.bodies = bodies;
    }

    /**
     * A call that was routed: {@code target} answered (or failed last), null for a cache hit or
     * when no target could be tried. {@code tried}: each attempt in order; {@code response}: the
     * answer's body (kept only while body logging is on), null when there is none.
     */
    void finish(
            Call call,
            Target target,
            String model,
            int status,
            TokenUsage tokens,
            double cost,
            Double firstTokenMs,
            int attempts,
            CacheStatus cache,
            String error,
            List<AttemptRecord> tried,
            JsonNode response) {
        double latencyMs = (System.nanoTime() - call.startNanos()) / 1e6;
        String provider = target == null ? (cache.hit() ? "cache" : "none") : target.provider();
        ProviderSettings settings =
                target == null ? null : call.settings().providers().get(target.provider());
        String kind = settings == null ? provider : settings.kind();
        limits.record(call.caller().keyId(), tokens.totalTokens(), cost);
        RequestRecord row = new RequestRecord(
                call.id(),
                call.caller().keyId(),
                call.caller().owner(),
                call.alias(),
                provider,
                model,
                call.endpoint().wire(),
                call.stream(),
                status,
                tokens.promptTokens(),
                tokens.completionTokens(),
                tokens.cachedTokens(),
                tokens.reasoningTokens(),
                cost,
                latencyMs,
                firstTokenMs,
                attempts,
                cache.wire(),
                error,
                clock.millis());
        usage.record(new UsageRecorder.Entry(row, tried, bodies(call.settings(), call.request(), response)));
        metrics.call(
                call.endpoint().wire(),
                kind,
                provider,
                target == null ? call.alias() : target.model(), // configured names only: bounded labels
                status,
                Duration.ofNanos((long) (latencyMs * 1e6)),
                tokens,
                cost,
                cache);
        if (firstTokenMs != null && target != null) {
            metrics.firstToken(target.provider(), target.model(), Duration.ofNanos((long) (firstTokenMs * 1e6)));
        }
    }

    /**
     * A call refused before routing (invalid request, unknown model, rate limit or budget): a row
     * in the request log with the status and the reason, so the caller can see it, and the log id
     * on the answer. Meters get only the status: the refused model name is the caller's text.
     */
    ProblemException rejected(
            Principal caller,
            Endpoint endpoint,
            JsonNode request,
            GatewayConfig settings,
            boolean stream,
            long startNanos,
            ProblemException e) {
        String id = Ids.newId("req");
        String alias = request == null ? null : request.path("model").asString(null);
        RequestRecord row = new RequestRecord(
                id,
                caller.keyId(),
                caller.owner(),
                alias == null ? "" : alias,
                "none",
                null,
                endpoint.wire(),
                stream,
                e.status(),
                0,
                0,
                0,
                0,
                0,
                (System.nanoTime() - startNanos) / 1e6,
                null,
                0,
                CacheStatus.OFF.wire(),
                e.getMessage(),
                clock.millis());
        usage.record(new UsageRecorder.Entry(row, List.of(), bodies(settings, request, null)));
        metrics.rejected(endpoint.wire(), e.status());
        return e.withHeader(Gateway.LOG_ID_HEADER, id);
    }

    /** The bodies as the log keeps them (masked and cut), or null while body logging is off. */
    private LoggedBodies bodies(GatewayConfig settings, JsonNode request, JsonNode response) {
        if (!bodies.enabled()) {
            return null;
        }
        java.util.function.UnaryOperator<String> scrub = text -> {
            String out = text;
            for (var provider : settings.providers().values()) {
                out = provider.scrub(out);
            }
            return out;
        };
        return new LoggedBodies(bodies.render(request, scrub), bodies.render(response, scrub));
    }
}
