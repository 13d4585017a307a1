package io.orchestra.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.json.Json;
import io.orchestra.server.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The gateway over real HTTP on both sides: a real client, the server, and a fake provider. */
class GatewayHttpTest {
    static GatewayFixture fixture;
    static TestServer server;
    static String key;

    @BeforeAll
    static void start() {
        fixture = new GatewayFixture(TestServer.Storage.SQLITE, Map.of());
        server = fixture.server;
        key = server.createKey("app", "member", "team-a");
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    static String body(String model, boolean stream, String extra) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":\"Say hello\"}]" + (stream ? ",\"stream\":true" : "") + extra + "}";
    }

    static HttpResponse<String> chat(String json, String... headers) {
        HttpRequest.Builder request =
                server.request("/v1/chat/completions", key).header("Content-Type", "application/json");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return server.send(
                request.POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    @Test
    void plainCompletionPassesThroughWithHeadersSayingWhatHappened() {
        HttpResponse<String> response = chat(body("chat", false, ",\"temperature\":0.2,\"seed\":7,\"logprobs\":false"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode completion = Json.tree(response.body());
        assertThat(completion
                        .path("choices")
                        .get(0)
                        .path("message")
                        .path("content")
                        .asString())
                .isEqualTo("Hello from the fake (gpt-4o-mini)");
        assertThat(completion.path("system_fingerprint").asString()).isEqualTo("fp_fake");
        assertThat(header(response, "x-orchestra-provider")).isEqualTo("openai");
        assertThat(header(response, "x-orchestra-model")).isEqualTo("gpt-4o-mini");
        assertThat(header(response, "x-orchestra-attempts")).isEqualTo("1");
        assertThat(header(response, "x-orchestra-cache")).isEqualTo("off");
        assertThat(Double.parseDouble(header(response, "x-orchestra-overhead-ms")))
                .isGreaterThanOrEqualTo(0);
        JsonNode sent = fixture.upstream.requests.getLast();
        assertThat(sent.path("model").asString()).isEqualTo("gpt-4o-mini");
        assertThat(sent.path("seed").asInt()).isEqualTo(7);
        assertThat(fixture.upstream.headers.getLast().get("Authorization"))
                .isEqualTo("Bearer " + GatewayFixture.OPENAI_KEY);
    }

    @Test
    void plainCompletionFromAPassthroughProviderIsTheUpstreamBodyByteForByte() {
        HttpResponse<String> viaGateway = chat(body("chat", false, ""));
        HttpResponse<String> direct = server.send(
                HttpRequest.newBuilder(java.net.URI.create(fixture.upstream.baseUrl() + "/openai/v1/chat/completions"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body("gpt-4o-mini", false, "")))
                        .build());
        assertThat(viaGateway.statusCode()).isEqualTo(200);
        assertThat(viaGateway.body()).isEqualTo(direct.body());
        assertThat(header(viaGateway, "Content-Type")).startsWith("application/json");
    }

    @Test
    void openAiStreamReachesTheClientByteForByte() {
        HttpResponse<String> response = chat(body("chat", true, ",\"stream_options\":{\"include_usage\":true}"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(header(response, "Content-Type")).startsWith("text/event-stream");
        // Every chunk passes through unchanged; the usage chunk is the gateway's, from the usage it read.
        String expected = FakeUpstream.openAiStream("gpt-4o-mini", true);
        String upstreamUsage = usageEvent(expected);
        String gatewayUsage = usageEvent(response.body());
        assertThat(response.body().replace(gatewayUsage, "")).isEqualTo(expected.replace(upstreamUsage, ""));
        JsonNode usage = Json.tree(gatewayUsage.substring(6)).path("usage");
        assertThat(usage.path("prompt_tokens").asInt()).isEqualTo(12);
        assertThat(usage.path("completion_tokens").asInt()).isEqualTo(4);
        assertThat(usage.path("total_tokens").asInt()).isEqualTo(16);
        assertThat(usage.path("prompt_tokens_details").path("cached_tokens").asInt())
                .isEqualTo(2);
        assertThat(Json.tree(gatewayUsage.substring(6)).path("choices")).isEmpty();
    }

    /** The one event whose chunk has an object {@code usage} (parsed, not searched for). */
    static String usageEvent(String sse) {
        for (String event : sse.split("(?<=\n\n)")) {
            String data = event.strip().substring(6);
            if (!data.equals("[DONE]") && Json.tree(data).path("usage").isObject()) {
                return event;
            }
        }
        throw new AssertionError("no usage chunk in " + sse);
    }

    @Test
    void usageChunkIsHiddenWhenTheClientDidNotAskForIt() {
        HttpResponse<String> response = chat(body("chat", true, ""));
        String expected = FakeUpstream.openAiStream("gpt-4o-mini", true);
        String usageEvent = expected.substring(
                expected.indexOf(
                        "data: {\"id\":\"chatcmpl-fake1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"gpt-4o-mini\",\"system_fingerprint\":\"fp_fake\",\"choices\":[],\"usage\""));
        usageEvent = usageEvent.substring(0, usageEvent.indexOf("\n\n") + 2);
        assertThat(response.body()).isEqualTo(expected.replace(usageEvent, ""));
        assertThat(fixture.upstream
                        .requests
                        .getLast()
                        .path("stream_options")
                        .path("include_usage")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void fallsBackOverConnectErrorsAndServerErrorsToAnotherProvider() {
        HttpResponse<String> response = chat(body("fallback", false, ""));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(header(response, "x-orchestra-provider")).isEqualTo("claude");
        assertThat(header(response, "x-orchestra-attempts")).isEqualTo("5");
        JsonNode completion = Json.tree(response.body());
        assertThat(completion.path("object").asString()).isEqualTo("chat.completion");
        assertThat(completion
                        .path("choices")
                        .get(0)
                        .path("message")
                        .path("content")
                        .asString())
                .isEqualTo("Hello from Claude");
        assertThat(completion.path("choices").get(0).path("finish_reason").asString())
                .isEqualTo("stop");
        assertThat(completion.path("usage").path("prompt_tokens").asInt()).isEqualTo(25);
        assertThat(completion
                        .path("usage")
                        .path("prompt_tokens_details")
                        .path("cached_tokens")
                        .asInt())
                .isEqualTo(5);
        JsonNode anthropicRequest = fixture.upstream.requests.getLast();
        assertThat(anthropicRequest.path("system").asString()).isEqualTo("Be brief.");
        assertThat(anthropicRequest.path("max_tokens").asInt()).isEqualTo(4096);
        assertThat(fixture.upstream.headers.getLast().get("x-api-key")).isEqualTo(GatewayFixture.ANTHROPIC_KEY);
    }

    @Test
    void retriesATransientFailureOnTheSameTarget() {
        HttpResponse<String> response = chat(body("flaky", false, ""));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(header(response, "x-orchestra-attempts")).isEqualTo("2");
        assertThat(header(response, "x-orchestra-model")).isEqualTo("flaky-1");
    }

    @Test
    void rateLimitedTargetIsFallenBackFromAtOnce() {
        HttpResponse<String> response = chat(body("ratelimited", false, ""));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(header(response, "x-orchestra-provider")).isEqualTo("claude");
        // A 429 is back-pressure: no retry against the busy target, the next one answers.
        assertThat(header(response, "x-orchestra-attempts")).isEqualTo("2");
    }

    @Test
    void clientErrorsAreNotRetriedOrFallenBackAndKeepTheOpenAiShape() {
        int claudeBefore = fixture.upstream.calls("claude-haiku-4-5");
        HttpResponse<String> response = chat(body("bad", false, ""));
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = Json.tree(response.body()).path("error");
        assertThat(error.path("message").asString()).isEqualTo("Invalid value for 'messages'");
        assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
        assertThat(fixture.upstream.calls("claude-haiku-4-5")).isEqualTo(claudeBefore);
    }

    @Test
    void providerKeysNeverReachTheClient() {
        HttpResponse<String> response = chat(body("unauthorized", false, ""));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertThat(response.body()).doesNotContain(GatewayFixture.OPENAI_KEY).contains("Incorrect API key provided");
        assertThat(server.get("/api/routes", TestServer.ADMIN_KEY).body())
                .doesNotContain(GatewayFixture.OPENAI_KEY)
                .doesNotContain(GatewayFixture.ANTHROPIC_KEY)
                .contains("\"has_key\":true");
    }

    @Test
    void slowFirstByteTimesOutAndFallsBack() {
        HttpResponse<String> response = chat(body("slow", false, ""));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(header(response, "x-orchestra-provider")).isEqualTo("claude");
    }

    @Test
    void errorInsideA200StreamBeforeAnyTokenFallsBack() {
        HttpResponse<String> response =
                chat(body("stream-error", true, ",\"stream_options\":{\"include_usage\":true}"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(header(response, "x-orchestra-provider")).isEqualTo("claude");
        List<String> events = data(response.body());
        assertThat(events.getFirst()).contains("\"role\":\"assistant\"");
        assertThat(String.join("", events))
                .contains(
                        "\"content\":\"Hello\"",
                        "\"content\":\" from Claude\"",
                        "\"finish_reason\":\"stop\"",
                        "\"prompt_tokens\":25",
                        "\"completion_tokens\":15");
        assertThat(events.getLast()).isEqualTo("[DONE]");
    }

    @Test
    void anthropicStreamErrorFallsBackToOpenAi() {
        HttpResponse<String> response = chat(body("claude-stream-error", true, ""));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(header(response, "x-orchestra-provider")).isEqualTo("openai");
        assertThat(response.body()).contains("Hello").endsWith("data: [DONE]\n\n");
    }

    @Test
    void tokensReachTheClientWhileTheUpstreamIsStillStreaming() throws Exception {
        HttpResponse<java.io.InputStream> response = server.client()
                .send(
                        server.request("/v1/chat/completions", key)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body("gated", true, "")))
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream());
        try (var reader = new java.io.BufferedReader(
                new java.io.InputStreamReader(response.body(), java.nio.charset.StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null && !line.contains("\"content\":\"Hello\"")) {
                // read up to the first token
            }
            assertThat(line)
                    .as("first token arrived before the upstream finished")
                    .isNotNull();
            fixture.upstream.gate.countDown();
            StringBuilder rest = new StringBuilder();
            while ((line = reader.readLine()) != null) {
                rest.append(line).append('\n');
            }
            assertThat(rest.toString()).contains(" fake", "data: [DONE]");
        }
        assertThat(fixture.upstream.gateTimedOut).isFalse();
    }

    @Test
    void streamThatStallsAfterTheFirstTokenEndsWithAnErrorEvent() {
        HttpResponse<String> response = chat(body("stall", true, ""));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> events = data(response.body());
        assertThat(events.get(1)).contains("\"content\":\"Hello\"");
        assertThat(events.getLast()).contains("\"error\"", "stalled");
    }

    @Test
    void circuitOpensAfterRepeatedFailuresAndHalfOpensAfterTheCooldown() throws Exception {
        chat(body("circuit", false, ""));
        chat(body("circuit", false, ""));
        int failingCalls = fixture.upstream.calls("fail-500");
        HttpResponse<String> skipped = chat(body("circuit", false, ""));
        assertThat(skipped.statusCode()).isEqualTo(200);
        assertThat(header(skipped, "x-orchestra-attempts")).isEqualTo("1");
        assertThat(fixture.upstream.calls("fail-500")).isEqualTo(failingCalls);
        assertThat(server.get("/api/routes/status", TestServer.ADMIN_KEY).body())
                .contains("\"openai/fail-500\":{\"state\":\"OPEN\"");
        assertThat(server.get("/metrics", null).body())
                .contains("orchestra_gateway_circuit_state{target=\"openai/fail-500\"} 2.0");
        Thread.sleep(800);
        chat(body("circuit", false, ""));
        assertThat(fixture.upstream.calls("fail-500")).as("one half-open trial").isEqualTo(failingCalls + 1);
    }

    @Test
    void conditionalRoutingFollowsHeadersAndKeyTags() {
        assertThat(header(chat(body("premium", false, ""), "x-tier", "gold"), "x-orchestra-model"))
                .isEqualTo("claude-sonnet-4-5");
        assertThat(header(chat(body("premium", false, "")), "x-orchestra-model"))
                .isEqualTo("gpt-4o-mini");
        String vip = server.createKey("vip", "member", "team-v", "vip");
        HttpResponse<String> tagged = server.send(server.request("/v1/chat/completions", vip)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body("tagged", false, "")))
                .build());
        assertThat(header(tagged, "x-orchestra-provider")).isEqualTo("claude");
        assertThat(header(chat(body("tagged", false, "")), "x-orchestra-model")).isEqualTo("gpt-4o");
    }

    @Test
    void loadBalancingFollowsTheWeights() {
        int a = fixture.upstream.calls("lb-a");
        int b = fixture.upstream.calls("lb-b");
        for (int i = 0; i < 200; i++) {
            chat(body("lb", false, ""));
        }
        int gotA = fixture.upstream.calls("lb-a") - a;
        int gotB = fixture.upstream.calls("lb-b") - b;
        assertThat(gotA + gotB).isEqualTo(200);
        assertThat(gotA).isBetween(120, 180);
    }

    @Test
    void exactCacheServesRepeatsAndStreamsFromOneEntry() {
        String request = body("cached", false, ",\"temperature\":0.3");
        HttpResponse<String> first = chat(request);
        int calls = fixture.upstream.calls("gpt-4o-mini");
        HttpResponse<String> second = chat(request);
        assertThat(header(first, "x-orchestra-cache")).isEqualTo("miss");
        assertThat(header(second, "x-orchestra-cache")).isEqualTo("hit");
        assertThat(second.body()).isEqualTo(first.body());
        HttpResponse<String> streamed = chat(body("cached", true, ",\"temperature\":0.3"));
        assertThat(header(streamed, "x-orchestra-cache")).isEqualTo("hit");
        assertThat(String.join("", data(streamed.body()))).contains("Hello from the fake (gpt-4o-mini)");
        assertThat(data(streamed.body()).getLast()).isEqualTo("[DONE]");
        assertThat(fixture.upstream.calls("gpt-4o-mini")).isEqualTo(calls);
        HttpResponse<String> bypass = chat(request, "Cache-Control", "no-cache");
        assertThat(header(bypass, "x-orchestra-cache")).isEqualTo("off");
        assertThat(fixture.upstream.calls("gpt-4o-mini")).isEqualTo(calls + 1);
    }

    @Test
    void upstreamRequestsCarryTheHostButNeverCookiesSetByAProvider() {
        assertThat(chat(body("chat", false, "")).statusCode()).isEqualTo(200);
        assertThat(chat(body("chat", true, "")).statusCode()).isEqualTo(200);
        assertThat(chat(body("chat", false, "")).statusCode()).isEqualTo(200);
        assertThat(fixture.upstream.headers)
                .isNotEmpty()
                .allSatisfy(headers -> assertThat(headers.keySet()).noneMatch(name -> name.equalsIgnoreCase("Cookie")));
        assertThat(fixture.upstream.headers.getLast())
                .containsEntry("Host", fixture.upstream.baseUrl().substring("http://".length()));
    }

    @Test
    void everyCallIsLoggedWithTokensAndCost() throws Exception {
        String own = server.createKey("usage", "member", "team-u");
        HttpResponse<String> response = server.send(server.request("/v1/chat/completions", own)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body("chat", false, "")))
                .build());
        assertThat(response.statusCode()).isEqualTo(200);
        server.orchestra().usageRecorder().flush();
        JsonNode rows = Json.tree(server.get("/api/requests", own).body()).path("data");
        assertThat(rows).hasSize(1);
        JsonNode row = rows.get(0);
        assertThat(row.path("provider").asString()).isEqualTo("openai");
        assertThat(row.path("prompt_tokens").asInt()).isEqualTo(12);
        assertThat(row.path("cached_tokens").asInt()).isEqualTo(2);
        assertThat(row.path("reasoning_tokens").asInt()).isEqualTo(3);
        assertThat(row.path("cost_usd").asDouble())
                .isCloseTo((10 * 0.15 + 2 * 0.075 + 8 * 0.6) / 1e6, org.assertj.core.data.Offset.offset(1e-12));
        JsonNode usage =
                Json.tree(server.get("/api/usage?group_by=model", own).body()).path("data");
        assertThat(usage.get(0).path("requests").asInt()).isEqualTo(1);
        assertThat(Json.tree(server.get("/api/usage?group_by=key", TestServer.ADMIN_KEY)
                                .body())
                        .path("data")
                        .size())
                .isGreaterThan(1);
        assertThat(server.get("/metrics", null).body())
                .contains(
                        "gen_ai_client_operation_duration_seconds_bucket",
                        "gen_ai_client_token_usage",
                        "orchestra_gateway_requests_total",
                        "orchestra_gateway_cost_usd_total");
    }

    @Test
    void rateLimitPerMinuteIsEnforcedBeforeTheUpstreamCall() {
        String limited = server.createKey("limited", "member", "team-l");
        String id = keyId("limited");
        HttpResponse<String> set = server.send(server.request("/api/keys/" + id + "/limits", TestServer.ADMIN_KEY)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"requests_per_minute\":2}"))
                .build());
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        for (int i = 0; i < 2; i++) {
            assertThat(send(limited, body("chat", false, "")).statusCode()).isEqualTo(200);
        }
        HttpResponse<String> refused = send(limited, body("chat", false, ""));
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(Json.tree(refused.body()).path("error").path("message").asString())
                .contains("2 requests per minute");
        assertThat(Json.tree(refused.body()).path("error").path("type").asString())
                .isEqualTo("rate_limit_error");
    }

    @Test
    void budgetStopsSpendingWithAClearMessageEvenUnderConcurrency() throws Exception {
        String spender = server.createKey("spender", "member", "team-s");
        double perCall = (10 * 0.15 + 2 * 0.075 + 8 * 0.6) / 1e6;
        HttpResponse<String> set =
                server.send(server.request("/api/keys/" + keyId("spender") + "/limits", TestServer.ADMIN_KEY)
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"daily_budget_usd\":" + (perCall * 3.5) + "}"))
                        .build());
        assertThat(set.statusCode()).isEqualTo(200);
        List<Integer> statuses = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 16; i++) {
                pool.submit(() ->
                        statuses.add(send(spender, body("chat", false, "")).statusCode()));
            }
        }
        long ok = statuses.stream().filter(s -> s == 200).count();
        assertThat(ok).as(statuses.toString()).isBetween(4L, 5L);
        HttpResponse<String> refused = send(spender, body("chat", false, ""));
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.body()).contains("daily budget");
    }

    @Test
    void embeddingsAsFloatsAndBase64() {
        HttpResponse<String> floats =
                server.post("/v1/embeddings", key, "{\"model\":\"embed\",\"input\":[\"a\",\"b\"]}");
        assertThat(floats.statusCode()).as(floats.body()).isEqualTo(200);
        JsonNode data = Json.tree(floats.body()).path("data");
        assertThat(data.get(1).path("embedding").get(0).asDouble()).isEqualTo(0.5);
        HttpResponse<String> encoded = server.post(
                "/v1/embeddings", key, "{\"model\":\"embed\",\"input\":\"a\",\"encoding_format\":\"base64\"}");
        String b64 =
                Json.tree(encoded.body()).path("data").get(0).path("embedding").asString();
        ByteBuffer buffer = ByteBuffer.wrap(Base64.getDecoder().decode(b64)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(buffer.getFloat()).isEqualTo(0.25f);
        assertThat(buffer.getFloat()).isEqualTo(-0.5f);
        assertThat(Json.tree(encoded.body()).path("usage").path("prompt_tokens").asInt())
                .isEqualTo(3);
    }

    @Test
    void modelsListsTheAliases() {
        JsonNode models = Json.tree(server.get("/v1/models", key).body());
        assertThat(models.path("object").asString()).isEqualTo("list");
        assertThat(models.path("data").findValuesAsString("id")).contains("chat", "fallback", "embed");
    }

    @Test
    void badRequestsGetOpenAiShapedErrors() {
        assertThat(Json.tree(chat("{\"model\":\"nope\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                                .body())
                        .path("error")
                        .path("code")
                        .asString())
                .isEqualTo("model_not_found");
        HttpResponse<String> noMessages = chat("{\"model\":\"chat\"}");
        assertThat(noMessages.statusCode()).isEqualTo(400);
        assertThat(Json.tree(noMessages.body()).path("error").path("message").asString())
                .contains("messages");
        HttpResponse<String> malformed = chat("{\"model\":");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(Json.tree(malformed.body()).path("error").path("type").asString())
                .isEqualTo("invalid_request_error");
        HttpResponse<String> badRole =
                chat("{\"model\":\"chat\",\"messages\":[{\"role\":\"wizard\",\"content\":\"x\"}]}");
        assertThat(badRole.statusCode()).isEqualTo(400);
        HttpResponse<String> noKey =
                server.send(server.request("/v1/models", null).GET().build());
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(Json.tree(noKey.body()).path("error").path("type").asString())
                .isEqualTo("authentication_error");
        assertThat(server.post("/v1/embeddings", key, "{\"model\":\"embed\",\"input\":[]}")
                        .statusCode())
                .isEqualTo(400);
        int claudeCalls = fixture.upstream.calls("claude-haiku-4-5");
        HttpResponse<String> badImage =
                chat("{\"model\":\"claude/claude-haiku-4-5\",\"messages\":[{\"role\":\"user\",\"content\":["
                        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64\"}}]}]}");
        assertThat(badImage.statusCode()).as(badImage.body()).isEqualTo(400);
        assertThat(Json.tree(badImage.body()).path("error").path("message").asString())
                .contains("data:<media type>;base64,<data>");
        assertThat(fixture.upstream.calls("claude-haiku-4-5")).isEqualTo(claudeCalls);
    }

    @Test
    void routesCanBeAddedThroughTheApiAndAreValidated() {
        HttpResponse<String> saved = server.send(server.request("/api/routes/runtime", TestServer.ADMIN_KEY)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(
                        "{\"targets\":[{\"provider\":\"claude\",\"model\":\"claude-haiku-4-5\"}]}"))
                .build());
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
        assertThat(header(chat(body("runtime", false, "")), "x-orchestra-provider"))
                .isEqualTo("claude");
        HttpResponse<String> invalid = server.send(server.request("/api/routes/broken", TestServer.ADMIN_KEY)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(
                        "{\"strategy\":\"random\",\"targets\":[{\"provider\":\"nobody\"}]}"))
                .build());
        assertThat(invalid.statusCode()).isEqualTo(422);
        assertThat(invalid.body()).contains("strategy", "nobody", "model: required");
        assertThat(server.delete("/api/routes/runtime", TestServer.ADMIN_KEY).statusCode())
                .isEqualTo(204);
        assertThat(chat(body("runtime", false, "")).statusCode()).isEqualTo(404);
        assertThat(server.get("/api/routes", key).statusCode()).isEqualTo(403);
    }

    static HttpResponse<String> send(String secret, String json) {
        return server.send(server.request("/v1/chat/completions", secret)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    static String keyId(String name) {
        for (JsonNode k :
                Json.tree(server.get("/api/keys", TestServer.ADMIN_KEY).body()).path("data")) {
            if (k.path("name").asString().equals(name)) {
                return k.path("id").asString();
            }
        }
        throw new IllegalStateException("no key " + name);
    }

    static List<String> data(String sse) {
        return java.util.Arrays.stream(sse.split("\n\n"))
                .filter(e -> e.startsWith("data: "))
                .map(e -> e.substring(6))
                .toList();
    }
}
