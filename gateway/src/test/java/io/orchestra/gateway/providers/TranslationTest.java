package io.orchestra.gateway.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestra.core.json.Json;
import io.orchestra.gateway.providers.anthropic.AnthropicProvider;
import io.orchestra.gateway.providers.gemini.GeminiProvider;
import io.orchestra.gateway.providers.ollama.OllamaProvider;
import io.orchestra.gateway.providers.openai.OpenAiProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Pure translations against payloads in each provider's documented wire format. */
class TranslationTest {
    static final ProviderSettings GEMINI =
            new ProviderSettings("g", "gemini", "https://generativelanguage.googleapis.com", "AIza-key", Map.of());
    static final ProviderSettings OLLAMA =
            new ProviderSettings("o", "ollama", "http://127.0.0.1:11434", null, Map.of());
    static final ProviderSettings ANTHROPIC =
            new ProviderSettings("a", "anthropic", "https://api.anthropic.com", "sk-ant", Map.of());

    static final String CONVERSATION = """
            {"model":"x","temperature":0.3,"max_tokens":200,"stop":"END","messages":[
              {"role":"system","content":"You are terse."},
              {"role":"user","content":[{"type":"text","text":"What is in this image?"},
                {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]},
              {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
                "function":{"name":"lookup","arguments":"{\\"q\\":\\"cat\\"}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"{\\"answer\\":\\"a cat\\"}"}],
             "tools":[{"type":"function","function":{"name":"lookup","description":"Search","parameters":{"type":"object"}}}],
             "tool_choice":"required","parallel_tool_calls":false}""";

    static ObjectNode request() {
        return (ObjectNode) Json.tree(CONVERSATION);
    }

    static JsonNode body(UpstreamRequest request) {
        return Json.tree(new String(request.body()));
    }

    @Test
    void anthropicRequestCarriesSystemImagesToolUseAndToolResults() {
        UpstreamRequest upstream = new AnthropicProvider().chatRequest(ANTHROPIC, "claude-haiku-4-5", request(), false);
        JsonNode body = body(upstream);
        assertThat(upstream.url()).isEqualTo("https://api.anthropic.com/v1/messages");
        assertThat(new AnthropicProvider().headers(ANTHROPIC))
                .containsEntry("x-api-key", "sk-ant")
                .containsEntry("anthropic-version", "2023-06-01");
        assertThat(body.path("system").asString()).isEqualTo("You are terse.");
        assertThat(body.path("max_tokens").asInt()).isEqualTo(200);
        assertThat(body.path("stop_sequences").get(0).asString()).isEqualTo("END");
        JsonNode messages = body.path("messages");
        assertThat(messages.get(0)
                        .path("content")
                        .get(1)
                        .path("source")
                        .path("media_type")
                        .asString())
                .isEqualTo("image/png");
        assertThat(messages.get(1).path("content").get(0).path("type").asString())
                .isEqualTo("tool_use");
        assertThat(messages.get(1)
                        .path("content")
                        .get(0)
                        .path("input")
                        .path("q")
                        .asString())
                .isEqualTo("cat");
        assertThat(messages.get(2).path("content").get(0).path("type").asString())
                .isEqualTo("tool_result");
        assertThat(messages.get(2).path("content").get(0).path("tool_use_id").asString())
                .isEqualTo("call_1");
        assertThat(body.path("tool_choice").path("type").asString()).isEqualTo("any");
        assertThat(body.path("tool_choice").path("disable_parallel_tool_use").asBoolean())
                .isTrue();
    }

    @Test
    void anthropicStreamedToolUseBecomesOpenAiToolCallDeltas() {
        StreamTranslator translator = new AnthropicProvider().streamTranslator("claude");
        List<String> out = new ArrayList<>();
        String[][] events = {
            {
                "message_start",
                "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"claude-haiku-4-5\",\"usage\":{\"input_tokens\":40,\"cache_read_input_tokens\":10,\"output_tokens\":1}}}"
            },
            {
                "content_block_start",
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"lookup\",\"input\":{}}}"
            },
            {
                "content_block_delta",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"q\\\":\"}}"
            },
            {
                "content_block_delta",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\\\"cat\\\"}\"}}"
            },
            {
                "message_delta",
                "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":22}}"
            },
            {"message_stop", "{\"type\":\"message_stop\"}"}
        };
        for (String[] event : events) {
            out.addAll(translator.onEvent(event[0], event[1]));
        }
        assertThat(out.get(1))
                .contains(
                        "\"tool_calls\":[{\"index\":0,\"id\":\"toolu_1\",\"type\":\"function\",\"function\":{\"name\":\"lookup\",\"arguments\":\"\"}}]");
        assertThat(out.get(2)).contains("\"arguments\":\"{\\\"q\\\":\"");
        assertThat(out.get(4)).contains("\"finish_reason\":\"tool_calls\"");
        assertThat(out).as("the usage chunk is the gateway's to add").hasSize(5);
        assertThat(translator.usage().promptTokens()).isEqualTo(50);
        assertThat(translator.usage().completionTokens()).isEqualTo(22);
        assertThat(translator.finished()).isTrue();
        assertThat(translator.usage().cachedTokens()).isEqualTo(10);
    }

    @Test
    void anthropicOverloadInsideTheStreamIsAnUpstreamError() {
        StreamTranslator translator = new AnthropicProvider().streamTranslator("claude");
        assertThatThrownBy(() -> translator.onEvent(
                        "error",
                        "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"))
                .isInstanceOfSatisfying(
                        UpstreamStreamError.class, e -> assertThat(e.status()).isEqualTo(529));
    }

    @Test
    void geminiRequestAndResponse() {
        UpstreamRequest upstream = new GeminiProvider().chatRequest(GEMINI, "gemini-2.5-flash", request(), true);
        assertThat(upstream.url())
                .isEqualTo(
                        "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
        assertThat(new GeminiProvider().headers(GEMINI)).containsEntry("x-goog-api-key", "AIza-key");
        JsonNode body = body(upstream);
        assertThat(body.path("systemInstruction")
                        .path("parts")
                        .get(0)
                        .path("text")
                        .asString())
                .isEqualTo("You are terse.");
        assertThat(body.path("contents")
                        .get(0)
                        .path("parts")
                        .get(1)
                        .path("inlineData")
                        .path("mimeType")
                        .asString())
                .isEqualTo("image/png");
        assertThat(body.path("contents")
                        .get(1)
                        .path("parts")
                        .get(0)
                        .path("functionCall")
                        .path("args")
                        .path("q")
                        .asString())
                .isEqualTo("cat");
        assertThat(body.path("contents")
                        .get(2)
                        .path("parts")
                        .get(0)
                        .path("functionResponse")
                        .path("name")
                        .asString())
                .isEqualTo("lookup");
        assertThat(body.path("generationConfig").path("maxOutputTokens").asInt())
                .isEqualTo(200);
        assertThat(body.path("toolConfig")
                        .path("functionCallingConfig")
                        .path("mode")
                        .asString())
                .isEqualTo("ANY");

        JsonNode recorded = Json.tree("""
                {"candidates":[{"content":{"parts":[{"text":"A cat."}],"role":"model"},"finishReason":"STOP","index":0}],
                 "usageMetadata":{"promptTokenCount":31,"candidatesTokenCount":3,"totalTokenCount":40,"thoughtsTokenCount":6},
                 "modelVersion":"gemini-2.5-flash","responseId":"abc123"}""");
        ObjectNode completion = new GeminiProvider().chatResponse(recorded, "gemini-2.5-flash");
        assertThat(completion
                        .path("choices")
                        .get(0)
                        .path("message")
                        .path("content")
                        .asString())
                .isEqualTo("A cat.");
        assertThat(completion.path("choices").get(0).path("finish_reason").asString())
                .isEqualTo("stop");
        assertThat(completion.path("usage").path("completion_tokens").asInt()).isEqualTo(9);
        assertThat(completion
                        .path("usage")
                        .path("completion_tokens_details")
                        .path("reasoning_tokens")
                        .asInt())
                .isEqualTo(6);
    }

    @Test
    void geminiStreamChunksAndFunctionCalls() {
        StreamTranslator translator = new GeminiProvider().streamTranslator("gemini-2.5-flash");
        List<String> out = new ArrayList<>(translator.onEvent(null, """
                {"candidates":[{"content":{"parts":[{"text":"Let me look."}],"role":"model"},"index":0}],"modelVersion":"gemini-2.5-flash"}"""));
        out.addAll(translator.onEvent(null, """
                {"candidates":[{"content":{"parts":[{"functionCall":{"name":"lookup","args":{"q":"cat"}}}],"role":"model"},"finishReason":"STOP","index":0}],
                 "usageMetadata":{"promptTokenCount":10,"candidatesTokenCount":5}}"""));
        assertThat(out.get(0)).contains("\"role\":\"assistant\"");
        assertThat(out.get(1)).contains("\"content\":\"Let me look.\"");
        assertThat(out.get(2)).contains("\"name\":\"lookup\"", "\\\"q\\\":\\\"cat\\\"");
        assertThat(out.get(3)).contains("\"finish_reason\":\"tool_calls\"");
        assertThat(translator.usage().promptTokens()).isEqualTo(10);
    }

    /** Gemini's documented logprobsResult: the chosen token at each step, and the top candidates at each step. */
    static final String GEMINI_LOGPROBS = """
            "logprobsResult":{"topCandidates":[{"candidates":[{"token":"Pa","tokenId":1,"logProbability":-0.01},
              {"token":"Lyon","tokenId":2,"logProbability":-4.6}]},{"candidates":[{"token":"ris","tokenId":3,"logProbability":-0.001}]}],
             "chosenCandidates":[{"token":"Pa","tokenId":1,"logProbability":-0.01},{"token":"ris","tokenId":3,"logProbability":-0.001}]}""";

    @Test
    void geminiLogprobsBothWays() {
        ObjectNode request = (ObjectNode) Json.tree("""
                {"model":"x","logprobs":true,"top_logprobs":2,"messages":[{"role":"user","content":"Capital of France?"}]}""");
        JsonNode generation = body(new GeminiProvider().chatRequest(GEMINI, "gemini-2.5-flash", request, false))
                .path("generationConfig");
        assertThat(generation.path("responseLogprobs").asBoolean()).isTrue();
        assertThat(generation.path("logprobs").asInt()).isEqualTo(2);
        assertThat(body(new GeminiProvider()
                                .chatRequest(
                                        GEMINI, "gemini-2.5-flash", withImage("data:image/png;base64,AA=="), false))
                        .path("generationConfig")
                        .has("responseLogprobs"))
                .isFalse();

        JsonNode completion =
                new GeminiProvider().chatResponse(Json.tree("""
                {"candidates":[{"content":{"parts":[{"text":"Paris"}],"role":"model"},"finishReason":"STOP","index":0,""" + GEMINI_LOGPROBS + "}]}"), "gemini-2.5-flash");
        JsonNode content = completion.path("choices").get(0).path("logprobs").path("content");
        assertThat(content).hasSize(2);
        assertThat(content.get(0).path("token").asString()).isEqualTo("Pa");
        assertThat(content.get(0).path("logprob").asDouble()).isEqualTo(-0.01);
        assertThat(content.get(0).path("bytes").toString()).isEqualTo("[80,97]");
        assertThat(content.get(0).path("top_logprobs").get(1).path("token").asString())
                .isEqualTo("Lyon");
        assertThat(content.get(1).path("top_logprobs")).hasSize(1);

        StreamTranslator translator = new GeminiProvider().streamTranslator("gemini-2.5-flash");
        List<String> chunks = translator.onEvent(null, """
                {"candidates":[{"content":{"parts":[{"text":"Paris"}],"role":"model"},"index":0,""" + GEMINI_LOGPROBS + "}]}");
        assertThat(Json.tree(chunks.get(1))
                        .path("choices")
                        .get(0)
                        .path("logprobs")
                        .path("content")
                        .get(1)
                        .path("token")
                        .asString())
                .isEqualTo("ris");
        ObjectNode plain = new GeminiProvider().chatResponse(Json.tree("""
                {"candidates":[{"content":{"parts":[{"text":"Paris"}],"role":"model"},"finishReason":"STOP","index":0}]}"""), "g");
        assertThat(plain.path("choices").get(0).path("logprobs").isNull()).isTrue();
    }

    @Test
    void ollamaLogprobsBothWays() {
        ObjectNode request = (ObjectNode) Json.tree("""
                {"model":"x","logprobs":true,"top_logprobs":3,"messages":[{"role":"user","content":"hi! be concise."}]}""");
        JsonNode body = body(new OllamaProvider().chatRequest(OLLAMA, "gemma3", request, false));
        assertThat(body.path("logprobs").asBoolean()).isTrue();
        assertThat(body.path("top_logprobs").asInt()).isEqualTo(3);
        String entries = """
                "logprobs":[{"token":"Hi","logprob":-0.2,"bytes":[72,105],"top_logprobs":[{"token":"Hi","logprob":-0.2,"bytes":[72,105]},
                  {"token":"Hello","logprob":-1.9,"bytes":[72,101,108,108,111]}]},{"token":"!","logprob":-0.05,"bytes":[33],"top_logprobs":[]}]""";
        JsonNode completion = new OllamaProvider().chatResponse(Json.tree("""
                {"model":"gemma3","message":{"role":"assistant","content":"Hi!"},"done":true,"done_reason":"stop",""" + entries + "}"), "gemma3");
        JsonNode content = completion.path("choices").get(0).path("logprobs").path("content");
        assertThat(content).hasSize(2);
        assertThat(content.get(0).path("top_logprobs").get(1).path("token").asString())
                .isEqualTo("Hello");
        assertThat(content.get(0).path("bytes").toString()).isEqualTo("[72,105]");
        assertThat(content.get(1).path("logprob").asDouble()).isEqualTo(-0.05);

        StreamTranslator translator = new OllamaProvider().streamTranslator("gemma3");
        List<String> chunks = translator.onEvent(null, """
                {"model":"gemma3","message":{"role":"assistant","content":"Hi!"},"done":false,""" + entries + "}");
        assertThat(Json.tree(chunks.get(1))
                        .path("choices")
                        .get(0)
                        .path("logprobs")
                        .path("content")
                        .get(0)
                        .path("token")
                        .asString())
                .isEqualTo("Hi");
        assertThat(body(new OllamaProvider()
                                .chatRequest(OLLAMA, "gemma3", withImage("data:image/png;base64,AA=="), false))
                        .has("logprobs"))
                .isFalse();
    }

    static ObjectNode withImage(String url) {
        return (ObjectNode) Json.tree(
                "{\"model\":\"x\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"What is this?\"},"
                        + "{\"type\":\"image_url\",\"image_url\":{\"url\":" + Json.write(url) + "}}]}]}");
    }

    @Test
    void aMalformedInlineImageIsTheCallersMistakeForEveryProvider() {
        for (String url :
                new String[] {"data:image/png,not-base64", "data:image/png;base64", "data:image/png;base64,"}) {
            for (Provider provider :
                    List.<Provider>of(new AnthropicProvider(), new GeminiProvider(), new OllamaProvider())) {
                ProviderSettings settings = provider instanceof AnthropicProvider
                        ? ANTHROPIC
                        : provider instanceof GeminiProvider ? GEMINI : OLLAMA;
                assertThatThrownBy(() -> provider.chatRequest(settings, "m", withImage(url), false))
                        .as(url + " to " + provider.kind())
                        .isInstanceOfSatisfying(
                                io.orchestra.core.error.ProblemException.class,
                                e -> assertThat(e.status()).isEqualTo(400));
            }
        }
        assertThat(Translation.dataUrl("data:image/jpeg;base64,/9j/4AAQ"))
                .isEqualTo(new Translation.DataUrl("image/jpeg", "/9j/4AAQ"));
    }

    @Test
    void ollamaRefusesImageLinksInsteadOfDroppingThem() {
        assertThatThrownBy(() -> new OllamaProvider()
                        .chatRequest(OLLAMA, "llava", withImage("https://example.com/cat.png"), false))
                .isInstanceOfSatisfying(
                        io.orchestra.core.error.ProblemException.class,
                        e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void ollamaNativeChatRoundTrip() {
        UpstreamRequest upstream = new OllamaProvider().chatRequest(OLLAMA, "llama3.2", request(), false);
        assertThat(upstream.url()).isEqualTo("http://127.0.0.1:11434/api/chat");
        JsonNode body = body(upstream);
        assertThat(body.path("options").path("num_predict").asInt()).isEqualTo(200);
        assertThat(body.path("messages").get(1).path("images").get(0).asString())
                .isEqualTo("iVBORw0KGgo=");
        assertThat(body.path("messages")
                        .get(2)
                        .path("tool_calls")
                        .get(0)
                        .path("function")
                        .path("arguments")
                        .path("q")
                        .asString())
                .isEqualTo("cat");
        assertThat(body.path("messages").get(3).path("tool_name").asString()).isEqualTo("lookup");

        JsonNode recorded = Json.tree("""
                {"model":"llama3.2","created_at":"2025-01-01T00:00:00Z","message":{"role":"assistant","content":"",
                 "tool_calls":[{"function":{"name":"lookup","arguments":{"q":"dog"}}}]},"done":true,"done_reason":"stop",
                 "total_duration":100,"prompt_eval_count":26,"eval_count":12}""");
        ObjectNode completion = new OllamaProvider().chatResponse(recorded, "llama3.2");
        assertThat(completion.path("choices").get(0).path("finish_reason").asString())
                .isEqualTo("tool_calls");
        assertThat(completion
                        .path("choices")
                        .get(0)
                        .path("message")
                        .path("tool_calls")
                        .get(0)
                        .path("function")
                        .path("arguments")
                        .asString())
                .isEqualTo("{\"q\":\"dog\"}");
        assertThat(completion.path("usage").path("prompt_tokens").asInt()).isEqualTo(26);
    }

    @Test
    void ollamaNdjsonStream() {
        StreamTranslator translator = new OllamaProvider().streamTranslator("llama3.2");
        List<String> out = new ArrayList<>();
        out.addAll(translator.onEvent(
                null,
                "{\"model\":\"llama3.2\",\"message\":{\"role\":\"assistant\",\"content\":\"Hel\"},\"done\":false}"));
        out.addAll(translator.onEvent(
                null,
                "{\"model\":\"llama3.2\",\"message\":{\"role\":\"assistant\",\"content\":\"lo\"},\"done\":false}"));
        out.addAll(
                translator.onEvent(
                        null,
                        "{\"model\":\"llama3.2\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"length\",\"prompt_eval_count\":5,\"eval_count\":2}"));
        assertThat(out).hasSize(4);
        assertThat(out.get(1)).contains("\"content\":\"Hel\"");
        assertThat(out.get(3)).contains("\"finish_reason\":\"length\"");
        assertThat(translator.usage().totalTokens()).isEqualTo(7);
        assertThatThrownBy(() -> translator.onEvent(null, "{\"error\":\"model 'x' not found\"}"))
                .isInstanceOf(UpstreamStreamError.class);
    }

    @Test
    void anthropicResponseWithTextToolUseAndPromptCacheUsage() {
        JsonNode recorded = Json.tree("""
                {"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-haiku-4-5-20251001",
                 "content":[{"type":"text","text":"I'll look that up."},
                   {"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq9","name":"lookup","input":{"q":"cat","limit":3}}],
                 "stop_reason":"tool_use","stop_sequence":null,
                 "usage":{"input_tokens":12,"cache_creation_input_tokens":100,"cache_read_input_tokens":2000,"output_tokens":41}}""");
        AnthropicProvider provider = new AnthropicProvider();
        ObjectNode completion = provider.chatResponse(recorded, "claude");
        JsonNode message = completion.path("choices").get(0).path("message");
        assertThat(completion.path("id").asString()).isEqualTo("chatcmpl-msg_01XFDUDYJgAACzvnptvVoYEL");
        assertThat(completion.path("model").asString()).isEqualTo("claude-haiku-4-5-20251001");
        assertThat(message.path("content").asString()).isEqualTo("I'll look that up.");
        assertThat(message.path("tool_calls").get(0).path("id").asString()).isEqualTo("toolu_01A09q90qw90lq917835lq9");
        assertThat(Json.tree(message.path("tool_calls")
                                .get(0)
                                .path("function")
                                .path("arguments")
                                .asString())
                        .path("limit")
                        .asInt())
                .isEqualTo(3);
        assertThat(completion.path("choices").get(0).path("finish_reason").asString())
                .isEqualTo("tool_calls");
        // OpenAI's prompt_tokens include cached ones; Anthropic reports them apart.
        assertThat(completion.path("usage").path("prompt_tokens").asInt()).isEqualTo(2112);
        assertThat(completion
                        .path("usage")
                        .path("prompt_tokens_details")
                        .path("cached_tokens")
                        .asInt())
                .isEqualTo(2000);
        assertThat(provider.usage(recorded)).isEqualTo(new TokenUsage(2112, 41, 2000, 100, 0));
    }

    @Test
    void anthropicStopReasonsMapToOpenAiFinishReasons() {
        for (String[] pair : new String[][] {
            {"end_turn", "stop"}, {"stop_sequence", "stop"}, {"max_tokens", "length"}, {"refusal", "content_filter"}
        }) {
            JsonNode recorded =
                    Json.tree("{\"id\":\"msg_1\",\"content\":[{\"type\":\"text\",\"text\":\"x\"}],\"stop_reason\":\""
                            + pair[0] + "\",\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}");
            assertThat(new AnthropicProvider()
                            .chatResponse(recorded, "c")
                            .path("choices")
                            .get(0)
                            .path("finish_reason")
                            .asString())
                    .as(pair[0])
                    .isEqualTo(pair[1]);
        }
    }

    @Test
    void openAiStreamPassesChunksThroughUnchangedAndTakesTheUsage() {
        String role =
                "{\"id\":\"chatcmpl-B9\",\"object\":\"chat.completion.chunk\",\"created\":1741569952,\"model\":\"gpt-4.1-mini-2025-04-14\","
                        + "\"service_tier\":\"default\",\"system_fingerprint\":\"fp_1\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\","
                        + "\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}";
        String text =
                "{\"id\":\"chatcmpl-B9\",\"object\":\"chat.completion.chunk\",\"created\":1741569952,\"model\":\"gpt-4.1-mini-2025-04-14\","
                        + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi \\\"usage\\\":{ there\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}";
        String usage =
                "{\"id\":\"chatcmpl-B9\",\"object\":\"chat.completion.chunk\",\"created\":1741569952,\"model\":\"gpt-4.1-mini-2025-04-14\","
                        + "\"choices\":[],\"usage\":{\"prompt_tokens\":19,\"completion_tokens\":10,\"total_tokens\":29,"
                        + "\"prompt_tokens_details\":{\"cached_tokens\":4,\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":2}}}";
        StreamTranslator asked = new OpenAiProvider("openai").streamTranslator("gpt");
        assertThat(asked.onEvent(null, role)).containsExactly(role);
        assertThat(asked.sentContent()).isFalse();
        assertThat(asked.onEvent(null, text)).containsExactly(text);
        assertThat(asked.sentContent()).isTrue();
        // The gateway always asks upstream for usage and adds the usage chunk itself for clients that asked.
        assertThat(asked.onEvent(null, usage)).isEmpty();
        assertThat(asked.onEvent(null, "[DONE]")).isEmpty();
        assertThat(asked.finished()).isTrue();
        assertThat(asked.usage()).isEqualTo(new TokenUsage(19, 10, 4, 0, 2));
        assertThat(asked.id()).isEqualTo("chatcmpl-B9");
        assertThat(asked.model()).isEqualTo("gpt-4.1-mini-2025-04-14");
    }

    @Test
    void openAiErrorInsideAHttp200StreamIsAnUpstreamError() {
        StreamTranslator translator = new OpenAiProvider("openai_compatible").streamTranslator("m");
        assertThatThrownBy(
                        () -> translator.onEvent(
                                null,
                                "{\"error\":{\"message\":\"The server had an error while processing your request.\",\"type\":\"server_error\",\"code\":503}}"))
                .isInstanceOfSatisfying(
                        UpstreamStreamError.class, e -> assertThat(e.status()).isEqualTo(503));
        assertThatThrownBy(() -> translator.onEvent("error", "{\"error\":{\"message\":\"overloaded\"}}"))
                .isInstanceOfSatisfying(
                        UpstreamStreamError.class, e -> assertThat(e.status()).isEqualTo(500));
    }

    @Test
    void openAiRequestKeepsUnknownFieldsAndAlwaysAsksForStreamUsage() {
        ObjectNode request = (ObjectNode) Json.tree("""
                {"model":"fast","messages":[{"role":"user","content":"hi"}],"stream":true,
                 "stream_options":{"include_usage":false},"logprobs":true,"top_logprobs":2,"seed":7,"n":2,
                 "response_format":{"type":"json_schema","json_schema":{"name":"a","schema":{"type":"object"}}},
                 "some_future_field":{"x":[1,2]}}""");
        ProviderSettings settings = new ProviderSettings(
                "o", "openai", "https://api.openai.com/v1/", "sk-live", Map.of("OpenAI-Organization", "org-1"));
        UpstreamRequest upstream = new OpenAiProvider("openai").chatRequest(settings, "gpt-4.1-mini", request, true);
        JsonNode body = body(upstream);
        assertThat(upstream.url()).isEqualTo("https://api.openai.com/v1/chat/completions");
        assertThat(new OpenAiProvider("openai").headers(settings))
                .containsEntry("Authorization", "Bearer sk-live")
                .containsEntry("OpenAI-Organization", "org-1");
        assertThat(body.path("model").asString()).isEqualTo("gpt-4.1-mini");
        assertThat(body.path("stream_options").path("include_usage").asBoolean())
                .isTrue();
        assertThat(body.path("some_future_field").path("x").get(1).asInt()).isEqualTo(2);
        assertThat(body.path("response_format").path("json_schema").path("name").asString())
                .isEqualTo("a");
        assertThat(body.path("top_logprobs").asInt()).isEqualTo(2);
        assertThat(request.path("model").asString())
                .as("the client's request is not mutated")
                .isEqualTo("fast");
    }

    @Test
    void errorMessagesComeFromEachProvidersShape() {
        assertThat(
                        new AnthropicProvider()
                                .errorMessage(
                                        529,
                                        "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"))
                .isEqualTo("Overloaded");
        assertThat(
                        new GeminiProvider()
                                .errorMessage(
                                        400,
                                        "{\"error\":{\"code\":400,\"message\":\"API key not valid.\",\"status\":\"INVALID_ARGUMENT\"}}"))
                .isEqualTo("API key not valid.");
        assertThat(new OllamaProvider()
                        .errorMessage(404, "{\"error\":\"model \\\"x\\\" not found, try pulling it first\"}"))
                .contains("not found");
        assertThat(new OllamaProvider().errorMessage(502, "<html>bad gateway</html>"))
                .isEqualTo("upstream returned HTTP 502");
    }

    @Test
    void keysAreScrubbedFromText() {
        ProviderSettings settings = new ProviderSettings("p", "openai", "https://x", "sk-secret-1234", Map.of());
        assertThat(settings.scrub("Incorrect API key provided: sk-secret-1234")).doesNotContain("sk-secret-1234");
        assertThat(settings.toString()).doesNotContain("sk-secret-1234");
    }
}
