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
import io.orchestra.gateway.providers.TokenUsage;
import io.orchestra.gateway.providers.UpstreamRequest;
import io.orchestra.gateway.routing.CircuitBreakers;
import io.orchestra.gateway.routing.RateLimitedTargets;
import io.orchestra.gateway.routing.RetryPolicy;
import io.orchestra.gateway.routing.Router;
import io.orchestra.gateway.routing.Upstream;
import io.orchestra.gateway.routing.UpstreamFailure;
import io.orchestra.gateway.usage.BodyLog;
import io.orchestra.gateway.usage.Limits;
import io.orchestra.gateway.usage.PriceTable;
import io.orchestra.gateway.usage.TokenEstimate;
import io.orchestra.gateway.usage.UsageRecorder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
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
 * The gateway's in-process API, used by the /v1 routes and by personas alike. It plans a call
 * (route, limits, cache) and hands the rest to its parts: {@link Attempts} (retry, breaker,
 * fallback), {@link StreamRelay} (streams) and {@link CallRecorder} (usage, limits, metrics, log).
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
    private final Attempts attempts;
    private final CallRecorder recorder;
    private final BodyLog bodyLog;

    /** @param bodyLog whether the request log keeps request and response bodies ({@link BodyLog#OFF} by default) */
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
            Clock clock,
            BodyLog bodyLog) {
        this.bodyLog = bodyLog;
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
        this.attempts = new Attempts(breakers, new RateLimitedTargets(clock), metrics);
        this.recorder = new CallRecorder(limits, usage, metrics, clock, bodyLog);
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

    /** Whether the request log keeps bodies, and how they are cut. */
    public BodyLog bodyLog() {
        return bodyLog;
    }

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
                Endpoint.CHAT,
                request.path("stream").asBoolean(false),
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
        long start = System.nanoTime();
        try {
            return chatCall(caller, request, headers);
        } catch (ProblemException e) {
            throw refused(caller, Endpoint.CHAT, request, false, start, e);
        }
    }

    /** A streamed chat completion, written to {@code sink}. Errors before the first chunk are thrown. */
    public void chatStream(Principal caller, ObjectNode request, Function<String, String> headers, StreamSink sink) {
        long start = System.nanoTime();
        try {
            streamCall(caller, request, headers, sink);
        } catch (ProblemException e) {
            throw refused(caller, Endpoint.CHAT, request, true, start, e);
        }
    }

    /** Embeddings through the route's targets (the same attempts as chat), as floats or base64 little-endian float32. */
    public ChatResult embeddings(Principal caller, ObjectNode request, Function<String, String> headers) {
        long start = System.nanoTime();
        try {
            return embeddingsCall(caller, request, headers);
        } catch (ProblemException e) {
            throw refused(caller, Endpoint.EMBEDDINGS, request, false, start, e);
        }
    }

    /**
     * A call refused before it reached a provider (a body that is not JSON, an invalid request, an
     * unknown model, a rate limit or budget): its row in the request log, with the status and the
     * reason, so every call that authenticated is visible to its caller.
     */
    public ProblemException refused(Principal caller, Endpoint endpoint, ProblemException problem) {
        return refused(caller, endpoint, null, false, System.nanoTime(), problem);
    }

    /** The same for a request that was read (a model the key may not use): its row names the model asked for. */
    public ProblemException refused(Principal caller, Endpoint endpoint, ObjectNode request, ProblemException problem) {
        return refused(caller, endpoint, request, request.path("stream").asBoolean(false), System.nanoTime(), problem);
    }

    private ProblemException refused(
            Principal caller, Endpoint endpoint, ObjectNode request, boolean stream, long start, ProblemException e) {
        if (e.headers().containsKey(LOG_ID_HEADER)) {
            return e; // a routed call that failed: its row is written already
        }
        return recorder.rejected(caller, endpoint, request, config.current(), stream, start, e);
    }

    private ChatResult chatCall(Principal caller, ObjectNode request, Function<String, String> headers) {
        Call call = plan(caller, request, headers);
        try (Limits.Permit permit = limits.admit(
                caller.keyId(), TokenEstimate.chat(request, call.settings().defaultMaxTokens()))) {
            if (call.cacheKey() != null) {
                Lookup hit = lookup(call);
                if (hit != null) {
                    ObjectNode body = (ObjectNode) Json.tree(hit.json());
                    String model = body.path("model").asString("");
                    recorder.finish(
                            call, null, model, 200, TokenUsage.NONE, 0, null, 0, hit.status(), null, List.of(), body);
                    return new ChatResult(
                            body,
                            headers(call, "cache", model, 0, hit.status(), 0),
                            hit.json().getBytes(StandardCharsets.UTF_8));
                }
            }
            Attempts.Outcome<Answered> outcome =
                    attempts.run(call.settings(), call.targets(), (t, s, p, n) -> once(call, t, s, p, n));
            if (outcome.value() != null) {
                return record(call, outcome);
            }
            throw failed(call, outcome);
        }
    }

    private void streamCall(Principal caller, ObjectNode request, Function<String, String> headers, StreamSink sink) {
        Call call = plan(caller, request, headers);
        boolean includeUsage =
                request.path("stream_options").path("include_usage").asBoolean(false);
        try (Limits.Permit permit = limits.admit(
                caller.keyId(), TokenEstimate.chat(request, call.settings().defaultMaxTokens()))) {
            if (call.cacheKey() != null) {
                Lookup hit = lookup(call);
                if (hit != null) {
                    JsonNode body = Json.tree(hit.json());
                    String model = body.path("model").asString("");
                    sink.open(headers(call, "cache", model, 0, hit.status(), 0));
                    StreamReplay.chunks(body, includeUsage).forEach(sink::buffer);
                    sink.done();
                    recorder.finish(
                            call, null, model, 200, TokenUsage.NONE, 0, null, 0, hit.status(), null, List.of(), body);
                    return;
                }
            }
            Attempts.Outcome<StreamRelay.Relayed> outcome = attempts.run(
                    call.settings(), call.targets(), (t, s, p, n) -> streamOnce(call, t, s, p, n, sink, includeUsage));
            StreamRelay.Relayed relayed = outcome.value();
            if (relayed == null) {
                throw failed(call, outcome);
            }
            Target target = outcome.target();
            if (relayed.completion() != null && call.cacheKey() != null) {
                remember(call, Json.write(relayed.completion()));
            }
            recorder.finish(
                    call,
                    target,
                    relayed.model(),
                    relayed.status(),
                    relayed.usage(),
                    prices.cost(target.model(), relayed.usage()),
                    relayed.firstTokenMs(),
                    outcome.attempts(),
                    call.missStatus(),
                    relayed.error(),
                    outcome.triedEndingWith(relayed.status(), relayed.error()),
                    relayed.completion());
        }
    }

    /** What a successful attempt brought back, recorded once the attempts loop has its full list. */
    private record Answered(ChatResult result, String model, TokenUsage tokens, double cost, JsonNode logged) {}

    private ChatResult record(Call call, Attempts.Outcome<Answered> outcome) {
        Answered answered = outcome.value();
        recorder.finish(
                call,
                outcome.target(),
                answered.model(),
                200,
                answered.tokens(),
                answered.cost(),
                null,
                outcome.attempts(),
                call.missStatus(),
                null,
                outcome.tried(),
                answered.logged());
        return answered.result();
    }

    /** Records a call whose targets all failed (or whose request a provider refused) and gives its answer. */
    private ProblemException failed(Call call, Attempts.Outcome<?> outcome) {
        ProblemException problem = Attempts.problem(call.alias(), outcome);
        Target target = outcome.rejected() ? outcome.target() : null;
        recorder.finish(
                call,
                target,
                target == null ? null : target.model(),
                problem.status(),
                TokenUsage.NONE,
                0,
                null,
                outcome.attempts(),
                call.missStatus(),
                problem.getMessage(),
                outcome.tried(),
                null);
        return problem.withHeader(LOG_ID_HEADER, call.id());
    }

    /** A cache hit: the stored completion and which cache had it. */
    private record Lookup(String json, CacheStatus status) {}

    /** The exact cache first, then (when configured) the semantic cache for the same scope. */
    private Lookup lookup(Call call) {
        Optional<String> hit = cache.get(call.cacheKey());
        if (hit.isPresent()) {
            metrics.cache(CacheStatus.HIT);
            return new Lookup(hit.get(), CacheStatus.HIT);
        }
        if (call.semantic() != null) {
            hit = semanticCache.lookup(call.semantic(), call.settings().semanticThreshold());
            if (hit.isPresent()) {
                metrics.cache(CacheStatus.SEMANTIC_HIT);
                return new Lookup(hit.get(), CacheStatus.SEMANTIC_HIT);
            }
        }
        metrics.cache(CacheStatus.MISS);
        return null;
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

    /** A non-2xx answer as a failure; its Retry-After is kept for the attempts loop. */
    private static UpstreamFailure statusFailure(
            ProviderSettings settings, Provider provider, int status, String body, String retryAfter) {
        return new UpstreamFailure(
                UpstreamFailure.Kind.STATUS,
                status,
                settings.scrub(provider.errorMessage(status, body)),
                RetryPolicy.parseRetryAfter(retryAfter));
    }

    private Answered once(Call call, Target target, ProviderSettings settings, Provider provider, int attempts)
            throws UpstreamFailure {
        long upstreamStart = System.nanoTime();
        UpstreamRequest request = provider.chatRequest(settings, target.model(), call.request(), false);
        Upstream.Reply reply = upstream.send(provider, settings, request, target.timeoutMillis());
        long upstreamNanos = System.nanoTime() - upstreamStart;
        if (reply.status() != 200) {
            throw statusFailure(
                    settings,
                    provider,
                    reply.status(),
                    new String(reply.body(), StandardCharsets.UTF_8),
                    reply.retryAfter());
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
        Map<String, String> headers =
                headers(call, target.provider(), model, attempts, call.missStatus(), upstreamNanos);
        headers.put(COST_HEADER, fixed(cost, 8));
        return new Answered(new ChatResult(completion, headers, raw), model, tokens, cost, completion);
    }

    /** One streamed attempt: opens the provider's stream and relays it once it answered 200. */
    private StreamRelay.Relayed streamOnce(
            Call call,
            Target target,
            ProviderSettings settings,
            Provider provider,
            int attempts,
            StreamSink sink,
            boolean includeUsage)
            throws UpstreamFailure {
        long upstreamStart = System.nanoTime();
        UpstreamRequest request = provider.chatRequest(settings, target.model(), call.request(), true);
        GatewayConfig config = call.settings();
        long firstByte = Math.min(target.timeoutMillis(), config.firstByteTimeoutMillis());
        try (Upstream.Streaming streaming =
                upstream.open(provider, settings, request, firstByte, config.streamIdleTimeoutMillis())) {
            int status = streaming.response().getStatus();
            if (status != 200) {
                throw statusFailure(
                        settings,
                        provider,
                        status,
                        readBounded(streaming),
                        streaming.response().getHeaders().get("Retry-After"));
            }
            long headersNanos = System.nanoTime() - upstreamStart;
            return StreamRelay.relay(
                    streaming,
                    provider.streamFormat(),
                    provider.streamTranslator(target.model()),
                    sink,
                    includeUsage,
                    call.cacheKey() != null || bodyLog.enabled(), // the whole answer, for the cache or the body log
                    call.startNanos(),
                    settings,
                    target.model(),
                    model -> headers(call, target.provider(), model, attempts, call.missStatus(), headersNanos));
        }
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

    private Map<String, String> headers(
            Call call, String provider, String model, int attempts, CacheStatus cacheStatus, long upstreamNanos) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-orchestra-provider", provider);
        headers.put(LOG_ID_HEADER, call.id());
        headers.put("x-orchestra-model", model == null ? "" : model);
        headers.put("x-orchestra-attempts", Integer.toString(attempts));
        headers.put("x-orchestra-cache", cacheStatus.wire());
        double overhead = Math.max(0, (System.nanoTime() - call.startNanos() - upstreamNanos) / 1e6);
        headers.put("x-orchestra-overhead-ms", fixed(overhead, 3));
        return headers;
    }

    private ChatResult embeddingsCall(Principal caller, ObjectNode request, Function<String, String> headers) {
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
        Call call = new Call(
                Ids.newId("req"),
                caller,
                Endpoint.EMBEDDINGS,
                false,
                alias,
                route,
                Router.order(route),
                settings,
                request,
                null,
                0,
                System.nanoTime(),
                null);
        try (Limits.Permit permit = limits.admit(caller.keyId(), estimateText(input))) {
            Attempts.Outcome<Answered> outcome = attempts.run(settings, call.targets(), new Attempts.Operation<>() {
                @Override
                public boolean supports(Provider provider) {
                    return provider.embeds();
                }

                @Override
                public Answered attempt(Target target, ProviderSettings s, Provider p, int n) throws UpstreamFailure {
                    return embedOnce(call, target, s, p, n, input, format);
                }
            });
            if (outcome.value() != null) {
                return record(call, outcome);
            }
            if (outcome.supported() == 0) {
                throw new ProblemException(
                        400, "no-embeddings", "No embeddings", "no target of '" + alias + "' offers embeddings");
            }
            throw failed(call, outcome);
        }
    }

    private Answered embedOnce(
            Call call,
            Target target,
            ProviderSettings settings,
            Provider provider,
            int attempts,
            JsonNode input,
            String format)
            throws UpstreamFailure {
        long upstreamStart = System.nanoTime();
        UpstreamRequest request = provider.embeddingsRequest(settings, target.model(), input);
        Upstream.Reply reply = upstream.send(provider, settings, request, target.timeoutMillis());
        long upstreamNanos = System.nanoTime() - upstreamStart;
        String body = new String(reply.body(), StandardCharsets.UTF_8);
        if (reply.status() != 200) {
            throw statusFailure(settings, provider, reply.status(), body, reply.retryAfter());
        }
        JsonNode parsed;
        try {
            parsed = Json.tree(body);
        } catch (JacksonException e) {
            throw new UpstreamFailure(
                    UpstreamFailure.Kind.STATUS, 502, "the provider answered with invalid JSON", null);
        }
        float[][] vectors;
        int tokens;
        try {
            vectors = provider.embeddings(parsed);
            tokens = provider.embeddingTokens(parsed);
        } catch (MalformedAnswer e) {
            throw new UpstreamFailure(UpstreamFailure.Kind.STATUS, 502, e.getMessage(), null);
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
        Map<String, String> responseHeaders =
                headers(call, target.provider(), target.model(), attempts, CacheStatus.OFF, upstreamNanos);
        responseHeaders.put(COST_HEADER, fixed(cost, 8));
        return new Answered(
                new ChatResult(out, responseHeaders),
                target.model(),
                usageTokens,
                cost,
                bodyLog.enabled() ? vectorsAsSizes(out) : null);
    }

    /** An embeddings answer for the body log: each vector as its length, not thousands of numbers. */
    private static JsonNode vectorsAsSizes(ObjectNode answer) {
        ObjectNode logged = answer.deepCopy();
        for (JsonNode item : logged.path("data")) {
            JsonNode vector = item.get("embedding");
            ((ObjectNode) item)
                    .put("embedding", vector.isArray() ? "[" + vector.size() + " floats]" : "[base64 float32]");
        }
        return logged;
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
}
