package io.orchestra.gateway.providers.anthropic;

import io.orchestra.core.json.Json;
import io.orchestra.gateway.providers.BaseStreamTranslator;
import io.orchestra.gateway.providers.TokenUsage;
import io.orchestra.gateway.providers.Translation;
import io.orchestra.gateway.providers.UpstreamStreamError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Anthropic stream events → OpenAI chunks (text deltas, tool calls with streamed arguments, finish, usage). */
final class AnthropicStreamTranslator extends BaseStreamTranslator {
    private final String requestedModel;
    private final Map<Integer, Integer> toolIndexByBlock = new HashMap<>();
    private JsonNode startUsage = Json.object();
    private int outputTokens;

    AnthropicStreamTranslator(String model) {
        this.requestedModel = model;
        this.model = model;
        this.id = "chatcmpl-anthropic";
        this.created = System.currentTimeMillis() / 1000;
    }

    @Override
    public List<String> onEvent(String event, String data) {
        JsonNode node = Json.tree(data);
        String type = node.path("type").asString(event == null ? "" : event);
        List<String> out = new ArrayList<>();
        switch (type) {
            case "message_start" -> {
                JsonNode message = node.path("message");
                id = "chatcmpl-" + message.path("id").asString("");
                model = message.path("model").asString(requestedModel);
                startUsage = message.path("usage");
                ObjectNode chunk = chunk();
                ObjectNode delta =
                        (ObjectNode) Translation.deltaChoice(chunk, 0).get("delta");
                delta.put("role", "assistant");
                delta.put("content", "");
                out.add(Json.write(chunk));
            }
            case "content_block_start" -> {
                JsonNode block = node.path("content_block");
                if (block.path("type").asString("").equals("tool_use")) {
                    int toolIndex = toolIndexByBlock.size();
                    toolIndexByBlock.put(node.path("index").asInt(), toolIndex);
                    ObjectNode chunk = chunk();
                    ObjectNode call = toolCall(chunk, toolIndex);
                    call.put("id", block.path("id").asString(""));
                    call.put("type", "function");
                    ObjectNode function = call.putObject("function");
                    function.put("name", block.path("name").asString(""));
                    function.put("arguments", "");
                    sentContent = true;
                    out.add(Json.write(chunk));
                }
            }
            case "content_block_delta" -> {
                JsonNode delta = node.path("delta");
                switch (delta.path("type").asString("")) {
                    case "text_delta" -> {
                        ObjectNode chunk = chunk();
                        ((ObjectNode) Translation.deltaChoice(chunk, 0).get("delta"))
                                .put("content", delta.path("text").asString(""));
                        sentContent = true;
                        out.add(Json.write(chunk));
                    }
                    case "input_json_delta" -> {
                        Integer toolIndex =
                                toolIndexByBlock.get(node.path("index").asInt());
                        if (toolIndex != null) {
                            ObjectNode chunk = chunk();
                            toolCall(chunk, toolIndex)
                                    .putObject("function")
                                    .put("arguments", delta.path("partial_json").asString(""));
                            out.add(Json.write(chunk));
                        }
                    }
                    default -> {
                        // thinking deltas and signatures have no OpenAI equivalent
                    }
                }
            }
            case "message_delta" -> {
                outputTokens = node.path("usage").path("output_tokens").asInt(outputTokens);
                String reason = AnthropicProvider.finishReason(
                        node.path("delta").path("stop_reason").asString(""));
                if (reason != null) {
                    ObjectNode chunk = chunk();
                    Translation.deltaChoice(chunk, 0).put("finish_reason", reason);
                    out.add(Json.write(chunk));
                }
            }
            case "message_stop" -> {
                finished = true;
            }
            case "error" -> {
                String errorType = node.path("error").path("type").asString("api_error");
                int status = switch (errorType) {
                    case "overloaded_error" -> 529;
                    case "rate_limit_error" -> 429;
                    case "invalid_request_error" -> 400;
                    default -> 500;
                };
                throw new UpstreamStreamError(
                        status, node.path("error").path("message").asString("error inside the stream"));
            }
            default -> {
                // ping, content_block_stop: nothing to send
            }
        }
        return out;
    }

    private ObjectNode chunk() {
        return Translation.chunk(id, created, model);
    }

    private static ObjectNode toolCall(ObjectNode chunk, int toolIndex) {
        ObjectNode delta = (ObjectNode) Translation.deltaChoice(chunk, 0).get("delta");
        ArrayNode calls = delta.putArray("tool_calls");
        ObjectNode call = calls.addObject();
        call.put("index", toolIndex);
        return call;
    }

    @Override
    public TokenUsage usage() {
        TokenUsage start = AnthropicProvider.usageOf(startUsage);
        return new TokenUsage(start.promptTokens(), outputTokens, start.cachedTokens(), start.cacheWriteTokens(), 0);
    }
}
