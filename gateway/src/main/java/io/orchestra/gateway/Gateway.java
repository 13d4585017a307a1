package io.orchestra.gateway;

import io.orchestra.core.auth.Principal;
import io.orchestra.core.error.ProblemException;
import io.orchestra.core.json.Json;
import io.orchestra.core.util.Ids;
import io.orchestra.core.util.Vectors;
import io.orchestra.gateway.cache.CacheKeys;
import io.orchestra.gateway.cache.ResponseCache;
import io.orchestra.gateway.cache.SemanticCache;
import io.orchestra.gateway.cache.SemanticQuery;
import io.orchestra.gateway.cache.StreamReplay;
import io.orchestra.gateway.config.GatewayConfig;
import io.orchestra.gateway.config.RouteConfig;
import io.orchestra.gateway.config.Target;
import io.orchestra.gateway.providers.MalformedAnswer;
import io.orchestra.gateway.providers.Provider;
import io.orchestra.gateway.providers.ProviderSettings;
import io.orchestra.gateway.providers.Providers;
import io.orchestra.gateway.providers.StreamFormat;
import io.orchestra.gateway.providers.StreamTranslator;
import io.orchestra.gateway.providers.TokenUsage;
import io.orchestra.gateway.providers.UpstreamRequest;
import io.orchestra.gateway.providers.UpstreamStreamError;
import io.orchestra.gateway.routing.CircuitBreakers;
import io.orchestra.gateway.routing.RetryPolicy;
import io.orchestra.gateway.routing.Router;
import io.orchestra.gateway.routing.Upstream;
import io.orchestra.gateway.routing.UpstreamFailure;
import io.orchestra.gateway.usage.Limits;
import io.orchestra.gateway.usage.PriceTable;
import io.orchestra.gateway.usage.RequestRecord;
import io.orchestra.gateway.usage.TokenEstimate;
import io.orchestra.gateway.usage.UsageRecorder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The gateway's in-process API, used by the /v1 routes and by personas alike: limits, cache,
 * routing with retries, fallback and circuit breakers, translation, usage and cost accounting.
 */
public final class Gateway {
    /** The cost of a non-streamed call in USD, from the provider's reported usage and the price table. */
    public static final String COST_HEADER = "x-orchestra-cost-usd";
    /** The id of the call's row in the request log, so a client (or the UI) can find its tokens, cost and latency. */
    public static final String LOG_ID_HEADER = "x-orchestra-log-id";
    /** The request log's reason for a stream the provider closed before its end event. */
    public static final String TRUNCATED = "stream truncated: the provider closed the stream before its end event";

    private final GatewayConfigSource config;
    private final Upstream upstream;
    private final CircuitBreakers breakers;
    private final Limits limits;
    private final ResponseCache cache;
    private final SemanticCache semanticCache;
    private final PriceTable prices;
    private final UsageRecorder usage;
    private final GatewayMetrics metrics;
    private final Clock clock;

    public Gateway(
            GatewayConfigSource config,
            Upstream upstream,
            CircuitBreakers breakers,
            Limits limits,
            ResponseCache cache,
            SemanticCache semanticCache,
            PriceTable prices,
            UsageRecorder usage,
            GatewayMetrics metrics,
            Clock clock) {
        this.semanticCache = semanticCache;
        this.config = config;
        this.upstream = upstream;
        this.breakers = breakers;
        this.limits = limits;
        this.cache = cache;
        this.prices = prices;
        this.usage = usage;
        this.metrics = metrics;
        this.clock = clock;
    }

    public GatewayConfigSource config() {
        return config;
    }

    public CircuitBreakers breakers() {
        return breakers;
    }

    public Limits limits() {
        return limits;
    }

    public ResponseCache cache() {
        return cache;
    }

    public SemanticCache semanticCache() {
        return semanticCache;
    }

    /** What one call is: resolved once, used by every attempt. */
    private record Call(
            String id,
            Principal caller,
            String alias,
            RouteConfig route,
            List<Target> targets,
            GatewayConfig settings,
            ObjectNode request,
            String cacheKey,
            int cacheTtl,
            long startNanos,
            SemanticQuery semantic) {}

    private Call plan(Principal caller, ObjectNode request, Function<String, String> headers) {
        RequestValidator.chat(request);
        GatewayConfig settings = config.current();
        String alias = request.path("model").asString();
        RouteConfig route = resolve(settings, alias, headers, caller);
        boolean noCache = Optional.ofNullable(headers.apply("cache-control"))
                .map(v -> v.contains("no-cache") || v.contains("no-store"))
                .orElse(false);
        int ttl = route.cacheTtlSeconds() >= 0 ? route.cacheTtlSeconds() : settings.cacheTtlSeconds();
        boolean cacheable = settings.cacheEnabled() && ttl > 0 && !noCache;
        String partition = CacheKeys.partition(route.cacheScope(), caller);
        String key = cacheable ? CacheKeys.of(partition, alias, request) : null;
        SemanticQuery semantic = null;
        if (cacheable && settings.semanticThreshold() > 0 && !request.has("tools")) {
            String text = lastUserText(request);
            if (text != null) {
                ObjectNode withoutLastTurn = request.deepCopy();
                ArrayNode messages = (ArrayNode) withoutLastTurn.get("messages");
                messages.remove(messages.size() - 1);
                semantic = new SemanticQuery(CacheKeys.of(partition, alias, withoutLastTurn), text);
            }
        }
        return new Call(
                Ids.newId("req"),
                caller,
                alias,
                route,
                Router.order(route),
                settings,
                request,
                key,
                ttl,
                System.nanoTime(),
                semantic);
    }

    private static RouteConfig resolve(
            GatewayConfig settings, String alias, Function<String, String> headers, Principal caller) {
        Optional<RouteConfig> route =
                Router.route(settings.routes(), alias, headers, caller.tags() == null ? List.of() : caller.tags());
        if (route.isPresent()) {
            return route.get();
        }
        // "provider/model" reaches a configured provider directly, for the models the configuration offers.
        Optional<RouteConfig> direct = Router.direct(settings, alias);
        if (direct.isPresent()) {
            return direct.get();
        }
        throw Router.modelNotFound(alias);
    }

    /** A non-streamed chat completion. */
    public ChatResult chat(Principal caller, ObjectNode request, Function<String, String> headers) {
        Call call = plan(caller, request, headers);
        try (Limits.Permit permit = limits.admit(
                caller.keyId(), TokenEstimate.chat(request, call.settings().defaultMaxTokens()))) {
            if (call.cacheKey() != null) {
                Optional<String> hit = lookup(call);
                if (hit.isPresent()) {
                    ObjectNode body = (ObjectNode) Json.tree(hit.get());
                    finish(
                            call,
                            null,
                            body.path("model").asString(""),
                            false,
                            200,
                            TokenUsage.NONE,
                            0,
                            null,
                            0,
                            "hit",
                            null);
                    return new ChatResult(
                            body,
                            headers(call, "cache", body.path("model").asString(""), 0, "hit", 0),
                            hit.get().getBytes(StandardCharsets.UTF_8));
                }
            }
            UpstreamFailure last = null;
            int attempts = 0;
            for (Target target : call.targets()) {
                Attempted attempted = tryTarget(call, target, attempts, false, null);
                attempts = attempted.attempts;
                if (attempted.result != null) {
                    return attempted.result;
                }
                last = attempted.failure;
            }
            throw exhausted(call, last, attempts, false);
        }
    }

    /** A streamed chat completion, written to {@code sink}. Errors before the first chunk are thrown. */
    public void chatStream(Principal caller, ObjectNode request, Function<String, String> headers, StreamSink sink) {
        Call call = plan(caller, request, headers);
        boolean includeUsage =
                request.path("stream_options").path("include_usage").asBoolean(false);
        try (Limits.Permit permit = limits.admit(
                caller.keyId(), TokenEstimate.chat(request, call.settings().defaultMaxTokens()))) {
            if (call.cacheKey() != null) {
                Optional<String> hit = lookup(call);
                if (hit.isPresent()) {
                    JsonNode body = Json.tree(hit.get());
                    sink.open(headers(call, "cache", body.path("model").asString(""), 0, "hit", 0));
                    StreamReplay.chunks(body, includeUsage).forEach(sink::buffer);
                    sink.done();
                    finish(
                            call,
                            null,
                            body.path("model").asString(""),
                            true,
                            200,
                            TokenUsage.NONE,
                            0,
                            null,
                            0,
                            "hit",
                            null);
                    return;
                }
            }
            UpstreamFailure last = null;
            int attempts = 0;
            for (Target target : call.targets()) {
                Attempted attempted = tryTarget(call, target, attempts, true, sink);
                attempts = attempted.attempts;
                if (attempted.streamed) {
                    return;
                }
                last = attempted.failure;
            }
            throw exhausted(call, last, attempts, true);
        }
    }

    /** The exact cache first, then (when configured) the semantic cache for the same scope. */
    private Optional<String> lookup(Call call) {
        Optional<String> hit = cache.get(call.cacheKey());
        if (hit.isPresent()) {
            metrics.cache("hit");
            return hit;
        }
        if (call.semantic() != null) {
            hit = semanticCache.lookup(call.semantic(), call.settings().semanticThreshold());
            if (hit.isPresent()) {
                metrics.cache("semantic_hit");
                return hit;
            }
        }
        metrics.cache("miss");
        return Optional.empty();
    }

    private void remember(Call call, String completionJson) {
        cache.put(call.cacheKey(), completionJson, call.cacheTtl());
        if (call.semantic() != null) {
            semanticCache.store(call.semantic(), completionJson, call.cacheTtl());
        }
    }

    private static String lastUserText(ObjectNode request) {
        JsonNode messages = request.path("messages");
        JsonNode last = messages.get(messages.size() - 1);
        if (last == null || !last.path("role").asString("").equals("user")) {
            return null;
        }
        JsonNode content = last.get("content");
        return content != null && content.isString() ? content.asString() : null;
    }

    private record Attempted(ChatResult result, boolean streamed, UpstreamFailure failure, int attempts) {}

    private Attempted tryTarget(Call call, Target target, int attemptsSoFar, boolean stream, StreamSink sink) {
        GatewayConfig settings = call.settings();
        ProviderSettings providerSettings = settings.providers().get(target.provider());
        if (providerSettings == null) {
            return new Attempted(
                    null,
                    false,
                    new UpstreamFailure(
                            UpstreamFailure.Kind.CONNECT,
                            0,
                            "provider '" + target.provider() + "' is not configured",
                            null),
                    attemptsSoFar);
        }
        Provider provider = Providers.byKind(providerSettings.kind()).orElseThrow();
        metrics.watchCircuit(breakers, target.key());
        RetryPolicy retry = new RetryPolicy(settings.retries(), settings.backoffMillis(), settings.maxBackoffMillis());
        int attempts = attemptsSoFar;
        UpstreamFailure last = null;
        for (int tryNo = 0; tryNo <= retry.retries(); tryNo++) {
            if (!breakers.allow(target.key())) {
                metrics.attempt(target.provider(), target.model(), "circuit_open");
                if (last == null) {
                    last = new UpstreamFailure(
                            UpstreamFailure.Kind.CONNECT, 503, "circuit open for " + target.key(), null);
                }
                break;
            }
            attempts++;
            long upstreamStart = System.nanoTime();
            try {
                if (stream) {
                    boolean done = streamOnce(call, target, providerSettings, provider, attempts, sink, upstreamStart);
                    breakers.success(target.key());
                    metrics.attempt(target.provider(), target.model(), "ok");
                    if (done) {
                        return new Attempted(null, true, null, attempts);
                    }
                } else {
                    ChatResult result = once(call, target, providerSettings, provider, attempts, upstreamStart);
                    breakers.success(target.key());
                    metrics.attempt(target.provider(), target.model(), "ok");
                    return new Attempted(result, false, null, attempts);
                }
            } catch (UpstreamFailure failure) {
                metrics.attempt(
                        target.provider(), target.model(), failure.kind().name().toLowerCase(java.util.Locale.ROOT));
                if (!failure.retryable()) {
                    // The request itself is wrong: another target would refuse it too.
                    finish(
                            call,
                            target,
                            target.model(),
                            stream,
                            failure.status(),
                            TokenUsage.NONE,
                            0,
                            null,
                            attempts,
                            "miss",
                            failure.getMessage());
                    throw new ProblemException(
                            failure.status(),
                            "upstream-" + failure.status(),
                            "Upstream rejected the request",
                            providerSettings.scrub(failure.getMessage()));
                }
                breakers.failure(target.key());
                last = failure;
                if (tryNo < retry.retries()) {
                    sleep(retry.delayMillis(tryNo, failure.retryAfterMillis()));
                }
            }
        }
        return new Attempted(null, false, last, attempts);
    }

    private ChatResult once(
            Call call, Target target, ProviderSettings settings, Provider provider, int attempts, long upstreamStart)
            throws UpstreamFailure {
        UpstreamRequest request = provider.chatRequest(settings, target.model(), call.request(), false);
        Upstream.Reply reply = upstream.send(request, target.timeoutMillis());
        long upstreamNanos = System.nanoTime() - upstreamStart;
        if (reply.status() != 200) {
            String body = new String(reply.body(), StandardCharsets.UTF_8);
            throw new UpstreamFailure(
                    UpstreamFailure.Kind.STATUS,
                    reply.status(),
                    settings.scrub(provider.errorMessage(reply.status(), body)),
                    RetryPolicy.parseRetryAfter(reply.retryAfter()));
        }
        JsonNode parsed;
        try {
            parsed = Json.mapper().readTree(reply.body());
        } catch (JacksonException e) {
            throw new UpstreamFailure(
                    UpstreamFailure.Kind.STATUS, 502, "the provider answered with invalid JSON", null);
        }
        ObjectNode completion;
        TokenUsage tokens;
        try {
            completion = provider.chatResponse(parsed, target.model());
            tokens = provider.usage(parsed);
        } catch (MalformedAnswer e) {
            throw new UpstreamFailure(UpstreamFailure.Kind.STATUS, 502, e.getMessage(), null);
        }
        double cost = prices.cost(target.model(), tokens);
        String model = completion.path("model").asString(target.model());
        // A passthrough provider answers in OpenAI's shape already: its bytes go out unchanged.
        byte[] raw = completion == parsed ? reply.body() : null;
        if (call.cacheKey() != null) {
            remember(call, raw != null ? new String(raw, StandardCharsets.UTF_8) : Json.write(completion));
        }
        finish(
                call,
                target,
                model,
                false,
                200,
                tokens,
                cost,
                null,
                attempts,
                call.cacheKey() == null ? "off" : "miss",
                null);
        Map<String, String> headers = headers(
                call, target.provider(), model, attempts, call.cacheKey() == null ? "off" : "miss", upstreamNanos);
        headers.put(COST_HEADER, fixed(cost, 8));
        return new ChatResult(completion, headers, raw);
    }

    /**
     * One streamed attempt. Chunks are held back until the first one with content, so an error
     * that arrives before any token can still fall back to the next target.
     */
    private boolean streamOnce(
            Call call,
            Target target,
            ProviderSettings settings,
            Provider provider,
            int attempts,
            StreamSink sink,
            long upstreamStart)
            throws UpstreamFailure {
        boolean includeUsage =
                call.request().path("stream_options").path("include_usage").asBoolean(false);
        UpstreamRequest request = provider.chatRequest(settings, target.model(), call.request(), true);
        GatewayConfig config = call.settings();
        long firstByte = Math.min(target.timeoutMillis(), config.firstByteTimeoutMillis());
        try (Upstream.Streaming streaming = upstream.open(request, firstByte, config.streamIdleTimeoutMillis())) {
            int status = streaming.response().getStatus();
            if (status != 200) {
                String body = readBounded(streaming);
                throw new UpstreamFailure(
                        UpstreamFailure.Kind.STATUS,
                        status,
                        settings.scrub(provider.errorMessage(status, body)),
                        RetryPolicy.parseRetryAfter(
                                streaming.response().getHeaders().get("Retry-After")));
            }
            long headersNanos = System.nanoTime() - upstreamStart;
            StreamTranslator translator = provider.streamTranslator(target.model(), includeUsage);
            StreamReplay.Accumulator accumulator = call.cacheKey() == null ? null : new StreamReplay.Accumulator();
            List<String> held = new ArrayList<>();
            boolean opened = false;
            Double firstTokenMs = null;
            String model = target.model();
            try (BufferedReader reader =
                    new BufferedReader(new InputStreamReader(streaming.body(), StandardCharsets.UTF_8))) {
                String event = null;
                StringBuilder data = new StringBuilder();
                String line;
                // Finished is checked first: a line read after the provider's last event would wait for nothing.
                while (!translator.finished() && (line = nextLine(reader, sink)) != null) {
                    String payload = null;
                    String eventName = null;
                    if (provider.streamFormat() == StreamFormat.NDJSON) {
                        if (!line.isBlank()) {
                            payload = line;
                        }
                    } else if (line.isEmpty()) {
                        if (!data.isEmpty()) {
                            payload = data.toString();
                            eventName = event;
                        }
                        data.setLength(0);
                        event = null;
                    } else if (line.startsWith("data:")) {
                        data.append(data.isEmpty() ? "" : "\n")
                                .append(line.substring(line.startsWith("data: ") ? 6 : 5));
                    } else if (line.startsWith("event:")) {
                        event = line.substring(6).trim();
                    }
                    if (payload == null) {
                        continue;
                    }
                    List<String> chunks;
                    try {
                        chunks = translator.onEvent(eventName, payload);
                    } catch (UpstreamStreamError e) {
                        if (!opened) {
                            throw new UpstreamFailure(
                                    UpstreamFailure.Kind.STREAM, e.status(), settings.scrub(e.getMessage()), null);
                        }
                        sink.error(errorJson(settings.scrub(e.getMessage()), "upstream_error"));
                        finish(
                                call,
                                target,
                                model,
                                true,
                                502,
                                translator.usage(),
                                prices.cost(target.model(), translator.usage()),
                                firstTokenMs,
                                attempts,
                                "miss",
                                e.getMessage());
                        return true;
                    } catch (JacksonException e) {
                        continue;
                    }
                    for (String chunk : chunks) {
                        if (accumulator != null) {
                            accumulator.add(chunk);
                        }
                        if (opened) {
                            sink.buffer(chunk);
                        } else {
                            held.add(chunk);
                        }
                    }
                    if (!opened && translator.sentContent()) {
                        opened = true;
                        firstTokenMs = (System.nanoTime() - call.startNanos()) / 1e6;
                        model = modelOf(held, target.model());
                        sink.open(headers(
                                call,
                                target.provider(),
                                model,
                                attempts,
                                call.cacheKey() == null ? "off" : "miss",
                                headersNanos));
                        held.forEach(sink::buffer);
                        held.clear();
                        metrics.firstToken(
                                target.provider(), target.model(), Duration.ofNanos((long) (firstTokenMs * 1e6)));
                    }
                }
            } catch (IOException e) {
                if (!opened) {
                    throw new UpstreamFailure(
                            UpstreamFailure.Kind.TIMEOUT,
                            0,
                            "the stream stalled or broke: " + e.getClass().getSimpleName(),
                            null);
                }
                sink.error(errorJson("the provider's stream stalled or broke", "upstream_timeout"));
                finish(
                        call,
                        target,
                        model,
                        true,
                        504,
                        translator.usage(),
                        prices.cost(target.model(), translator.usage()),
                        firstTokenMs,
                        attempts,
                        "miss",
                        "stream stalled");
                return true;
            }
            if (opened && !translator.complete()) {
                // The provider closed the connection cleanly but never said the answer was over: a
                // cut-off answer must not reach the client (or the log) as a finished one.
                sink.error(errorJson("the provider's stream ended before the answer was complete", "upstream_error"));
                finish(
                        call,
                        target,
                        model,
                        true,
                        502,
                        translator.usage(),
                        prices.cost(target.model(), translator.usage()),
                        firstTokenMs,
                        attempts,
                        call.cacheKey() == null ? "off" : "miss",
                        TRUNCATED);
                return true;
            }
            if (!opened) {
                if (!translator.complete()) {
                    throw new UpstreamFailure(
                            UpstreamFailure.Kind.STREAM, 502, "the stream ended before any content", null);
                }
                // A finished stream without content (an empty answer) is still an answer.
                model = modelOf(held, target.model());
                sink.open(headers(
                        call,
                        target.provider(),
                        model,
                        attempts,
                        call.cacheKey() == null ? "off" : "miss",
                        headersNanos));
                held.forEach(sink::buffer);
            }
            sink.done();
            TokenUsage tokens = translator.usage();
            double cost = prices.cost(target.model(), tokens);
            if (accumulator != null && translator.finished()) {
                remember(call, Json.write(accumulator.completion()));
            }
            finish(
                    call,
                    target,
                    model,
                    true,
                    200,
                    tokens,
                    cost,
                    firstTokenMs,
                    attempts,
                    call.cacheKey() == null ? "off" : "miss",
                    null);
            return true;
        }
    }

    /** The next line of the provider's stream; before waiting for it, what the client was sent so far is flushed. */
    private static String nextLine(BufferedReader reader, StreamSink sink) throws IOException {
        if (!reader.ready()) {
            sink.flush();
        }
        return reader.readLine();
    }

    private static String modelOf(List<String> chunks, String fallback) {
        for (String chunk : chunks) {
            JsonNode node = Json.tree(chunk);
            if (node.path("model").isString() && !node.path("model").asString().isEmpty()) {
                return node.path("model").asString();
            }
        }
        return fallback;
    }

    private static String readBounded(Upstream.Streaming streaming) {
        try {
            return new String(streaming.body().readNBytes(64 * 1024), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    static String errorJson(String message, String type) {
        ObjectNode error = Json.object();
        ObjectNode inner = error.putObject("error");
        inner.put("message", message);
        inner.put("type", type);
        inner.putNull("code");
        inner.putNull("param");
        return Json.write(error);
    }

    private ProblemException exhausted(Call call, UpstreamFailure last, int attempts, boolean stream) {
        int status;
        String type;
        String message;
        if (last == null) {
            status = 503;
            type = "no-target";
            message = "no target of '" + call.alias() + "' is available";
        } else if (last.status() == 429) {
            status = 429;
            type = "upstream-rate-limited";
            message = "every provider for '" + call.alias() + "' is rate limiting: " + last.getMessage();
        } else if (last.kind() == UpstreamFailure.Kind.TIMEOUT) {
            status = 504;
            type = "upstream-timeout";
            message = "every provider for '" + call.alias() + "' timed out: " + last.getMessage();
        } else {
            status = last.status() == 503 && last.getMessage().startsWith("circuit open") ? 503 : 502;
            type = "upstream-unavailable";
            message = "every provider for '" + call.alias() + "' failed; last error: " + last.getMessage();
        }
        finish(call, null, null, stream, status, TokenUsage.NONE, 0, null, attempts, "miss", message);
        return new ProblemException(status, type, "Upstream failure", message + " (" + attempts + " attempts)");
    }

    private Map<String, String> headers(
            Call call, String provider, String model, int attempts, String cacheStatus, long upstreamNanos) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-orchestra-provider", provider);
        headers.put(LOG_ID_HEADER, call.id());
        headers.put("x-orchestra-model", model == null ? "" : model);
        headers.put("x-orchestra-attempts", Integer.toString(attempts));
        headers.put("x-orchestra-cache", cacheStatus);
        double overhead = Math.max(0, (System.nanoTime() - call.startNanos() - upstreamNanos) / 1e6);
        headers.put("x-orchestra-overhead-ms", fixed(overhead, 3));
        return headers;
    }

    private void finish(
            Call call,
            Target target,
            String model,
            boolean stream,
            int status,
            TokenUsage tokens,
            double cost,
            Double firstTokenMs,
            int attempts,
            String cacheStatus,
            String error) {
        double latencyMs = (System.nanoTime() - call.startNanos()) / 1e6;
        String provider = target == null ? (cacheStatus.equals("hit") ? "cache" : "none") : target.provider();
        String kind = target == null
                ? provider
                : call.settings().providers().containsKey(target.provider())
                        ? call.settings().providers().get(target.provider()).kind()
                        : provider;
        limits.record(call.caller().keyId(), tokens.totalTokens(), cost);
        usage.record(new RequestRecord(
                call.id(),
                call.caller().keyId(),
                call.caller().owner(),
                call.alias(),
                provider,
                model,
                "chat",
                stream,
                status,
                tokens.promptTokens(),
                tokens.completionTokens(),
                tokens.cachedTokens(),
                tokens.reasoningTokens(),
                cost,
                latencyMs,
                firstTokenMs,
                attempts,
                cacheStatus,
                error,
                clock.millis()));
        metrics.call(
                "chat",
                kind,
                provider,
                target == null ? call.alias() : target.model(), // configured names only: bounded labels
                status,
                Duration.ofNanos((long) (latencyMs * 1e6)),
                tokens,
                cost,
                cacheStatus);
    }

    /** Embeddings through the route's targets (fallback applies), as floats or base64 little-endian float32. */
    public ChatResult embeddings(Principal caller, ObjectNode request, Function<String, String> headers) {
        JsonNode input = request.get("input");
        if (!request.path("model").isString()) {
            throw RequestValidator.invalid("'model' is required and must be a string", "model");
        }
        if (input == null || !(input.isString() || input.isArray()) || (input.isArray() && input.isEmpty())) {
            throw RequestValidator.invalid("'input' must be a string or a non-empty array of strings", "input");
        }
        if (input.isArray()) {
            for (JsonNode item : input) {
                if (!item.isString()) {
                    throw RequestValidator.invalid("'input' entries must be strings", "input");
                }
            }
        }
        String format = request.path("encoding_format").asString("float");
        if (!format.equals("float") && !format.equals("base64")) {
            throw RequestValidator.invalid("'encoding_format' must be float or base64", "encoding_format");
        }
        GatewayConfig settings = config.current();
        String alias = request.path("model").asString();
        RouteConfig route = resolve(settings, alias, headers, caller);
        long start = System.nanoTime();
        try (Limits.Permit permit = limits.admit(caller.keyId(), estimateText(input))) {
            UpstreamFailure last = null;
            int attempts = 0;
            for (Target target : Router.order(route)) {
                ProviderSettings providerSettings = settings.providers().get(target.provider());
                Provider provider = Providers.byKind(providerSettings.kind()).orElseThrow();
                UpstreamRequest upstreamRequest = provider.embeddingsRequest(providerSettings, target.model(), input);
                if (upstreamRequest == null || !breakers.allow(target.key())) {
                    continue;
                }
                attempts++;
                long upstreamStart = System.nanoTime();
                try {
                    Upstream.Reply reply = upstream.send(upstreamRequest, target.timeoutMillis());
                    long upstreamNanos = System.nanoTime() - upstreamStart;
                    String body = new String(reply.body(), StandardCharsets.UTF_8);
                    if (reply.status() != 200) {
                        throw new UpstreamFailure(
                                UpstreamFailure.Kind.STATUS,
                                reply.status(),
                                providerSettings.scrub(provider.errorMessage(reply.status(), body)),
                                RetryPolicy.parseRetryAfter(reply.retryAfter()));
                    }
                    breakers.success(target.key());
                    float[][] vectors;
                    int tokens;
                    try {
                        JsonNode parsed = Json.tree(body);
                        vectors = provider.embeddings(parsed);
                        tokens = provider.embeddingTokens(parsed);
                    } catch (JacksonException | MalformedAnswer e) {
                        throw new UpstreamFailure(
                                UpstreamFailure.Kind.STATUS,
                                502,
                                "the provider answered with embeddings it cannot read",
                                null);
                    }
                    if (tokens == 0) {
                        tokens = estimateText(input);
                    }
                    TokenUsage usageTokens = new TokenUsage(tokens, 0, 0, 0, 0);
                    double cost = prices.cost(target.model(), usageTokens);
                    ObjectNode out = Json.object();
                    out.put("object", "list");
                    ArrayNode data = out.putArray("data");
                    for (int i = 0; i < vectors.length; i++) {
                        ObjectNode item = data.addObject();
                        item.put("object", "embedding");
                        item.put("index", i);
                        if (format.equals("base64")) {
                            item.put("embedding", Vectors.encode(vectors[i]));
                        } else {
                            ArrayNode values = item.putArray("embedding");
                            for (float v : vectors[i]) {
                                values.add(v);
                            }
                        }
                    }
                    out.put("model", target.model());
                    out.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
                    limits.record(caller.keyId(), tokens, cost);
                    double latencyMs = (System.nanoTime() - start) / 1e6;
                    usage.record(new RequestRecord(
                            Ids.newId("req"),
                            caller.keyId(),
                            caller.owner(),
                            alias,
                            target.provider(),
                            target.model(),
                            "embeddings",
                            false,
                            200,
                            tokens,
                            0,
                            0,
                            0,
                            cost,
                            latencyMs,
                            null,
                            attempts,
                            "off",
                            null,
                            clock.millis()));
                    metrics.call(
                            "embeddings",
                            providerSettings.kind(),
                            target.provider(),
                            target.model(),
                            200,
                            Duration.ofNanos(System.nanoTime() - start),
                            usageTokens,
                            cost,
                            "off");
                    Map<String, String> responseHeaders = new LinkedHashMap<>();
                    responseHeaders.put("x-orchestra-provider", target.provider());
                    responseHeaders.put("x-orchestra-model", target.model());
                    responseHeaders.put("x-orchestra-attempts", Integer.toString(attempts));
                    responseHeaders.put("x-orchestra-cache", "off");
                    responseHeaders.put(
                            "x-orchestra-overhead-ms",
                            fixed(Math.max(0, (System.nanoTime() - start - upstreamNanos) / 1e6), 3));
                    return new ChatResult(out, responseHeaders);
                } catch (UpstreamFailure failure) {
                    if (!failure.retryable()) {
                        throw new ProblemException(
                                failure.status(),
                                "upstream-" + failure.status(),
                                "Upstream rejected the request",
                                failure.getMessage());
                    }
                    breakers.failure(target.key());
                    last = failure;
                }
            }
            if (attempts == 0 && last == null) {
                throw new ProblemException(
                        400, "no-embeddings", "No embeddings", "no target of '" + alias + "' offers embeddings");
            }
            throw new ProblemException(
                    502,
                    "upstream-unavailable",
                    "Upstream failure",
                    "every provider for '" + alias + "' failed" + (last == null ? "" : ": " + last.getMessage()));
        }
    }

    /** The aliases (and direct provider/model names) a caller may use. */
    public List<String> models() {
        return Router.aliases(config.current());
    }

    /** {@code value} with {@code places} decimals (String.format showed in the hot path's profile). */
    static String fixed(double value, int places) {
        long scale = (long) Math.pow(10, places);
        long scaled = Math.round(Math.abs(value) * scale);
        String fraction = Long.toString(scaled % scale);
        StringBuilder out = new StringBuilder(value < 0 && scaled != 0 ? "-" : "")
                .append(scaled / scale)
                .append('.');
        out.repeat('0', places - fraction.length());
        return out.append(fraction).toString();
    }

    private static int estimateText(JsonNode input) {
        if (input.isString()) {
            return Math.max(1, input.asString().length() / 4);
        }
        int chars = 0;
        for (JsonNode item : input) {
            chars += item.asString("").length();
        }
        return Math.max(1, chars / 4);
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
