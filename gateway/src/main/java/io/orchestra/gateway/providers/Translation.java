package io.orchestra.gateway.providers;

import io.orchestra.core.error.ProblemException;
import io.orchestra.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Helpers shared by the provider translations. */
public final class Translation {
    private Translation() {}

    public static byte[] bytes(JsonNode node) {
        return Json.writeBytes(node);
    }

    /** A provider's fixed headers (null values left out), then the headers configured for it, which win. */
    public static Map<String, String> headers(ProviderSettings settings, String... pairs) {
        Map<String, String> headers = headers(pairs);
        headers.putAll(settings.headers());
        return headers;
    }

    public static Map<String, String> headers(String... pairs) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                headers.put(pairs[i], pairs[i + 1]);
            }
        }
        return headers;
    }

    /** An image sent inline: {@code data:<media type>;base64,<data>}, split. */
    public record DataUrl(String mediaType, String data) {}

    /** Splits an inline image URL; one that is not {@code data:<media type>;base64,<data>} is the caller's mistake (400). */
    public static DataUrl dataUrl(String url) {
        int comma = url.indexOf(',');
        if (!url.startsWith("data:")
                || comma < 0
                || !url.substring(0, comma).endsWith(";base64")
                || comma == url.length() - 1) {
            throw invalidImage("an inline image must be a data URL of the form data:<media type>;base64,<data>");
        }
        return new DataUrl(url.substring(5, comma - ";base64".length()), url.substring(comma + 1));
    }

    public static ProblemException invalidImage(String detail) {
        return new ProblemException(400, "invalid-request", "Invalid request", detail);
    }

    /** One entry of OpenAI's {@code logprobs.content} (or of its {@code top_logprobs}): token, log probability, UTF-8 bytes. */
    public static ObjectNode logprob(ObjectNode out, String token, double logprob) {
        out.put("token", token);
        out.put("logprob", logprob);
        ArrayNode bytes = out.putArray("bytes");
        for (byte b : token.getBytes(StandardCharsets.UTF_8)) {
            bytes.add(b & 0xff);
        }
        return out;
    }

    public static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** The text of an OpenAI message content: a string, or the text parts of a parts array joined. */
    public static String text(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isString()) {
            return content.asString();
        }
        StringBuilder out = new StringBuilder();
        for (JsonNode part : content) {
            if ("text".equals(part.path("type").asString(""))) {
                out.append(part.path("text").asString(""));
            }
        }
        return out.toString();
    }

    /** Stop sequences as an array whether the client sent a string or a list. */
    public static ArrayNode stops(JsonNode stop) {
        ArrayNode out = Json.mapper().createArrayNode();
        if (stop == null || stop.isNull()) {
            return out;
        }
        if (stop.isString()) {
            out.add(stop.asString());
        } else {
            stop.forEach(s -> out.add(s.asString()));
        }
        return out;
    }

    /** Parses a JSON object from text, or wraps non-JSON text so nothing is lost. */
    public static JsonNode parseObject(String text) {
        try {
            JsonNode node = Json.mapper().readTree(text == null || text.isBlank() ? "{}" : text);
            return node.isObject() ? node : Json.object().set("value", node);
        } catch (JacksonException e) {
            return Json.object().put("value", text);
        }
    }

    /** An OpenAI chunk skeleton. */
    public static ObjectNode chunk(String id, long created, String model) {
        ObjectNode chunk = Json.object();
        chunk.put("id", id);
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", created);
        chunk.put("model", model);
        chunk.putArray("choices");
        return chunk;
    }

    /** A choice with an empty delta inside a chunk. */
    public static ObjectNode deltaChoice(ObjectNode chunk, int index) {
        ObjectNode choice = ((ArrayNode) chunk.get("choices")).addObject();
        choice.put("index", index);
        choice.putObject("delta");
        choice.putNull("logprobs");
        choice.putNull("finish_reason");
        return choice;
    }

    /** A JSON array of numbers as floats (embedding vectors). */
    public static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).asDouble();
        }
        return out;
    }

    public static ObjectNode usageNode(TokenUsage usage) {
        ObjectNode node = Json.object();
        node.put("prompt_tokens", usage.promptTokens());
        node.put("completion_tokens", usage.completionTokens());
        node.put("total_tokens", usage.totalTokens());
        node.putObject("prompt_tokens_details").put("cached_tokens", usage.cachedTokens());
        node.putObject("completion_tokens_details").put("reasoning_tokens", usage.reasoningTokens());
        return node;
    }

    public static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The message of a JSON error body, or a fallback with the status. */
    public static String errorMessage(String body, int status, String... path) {
        try {
            JsonNode node = Json.mapper().readTree(body);
            for (String field : path) {
                node = node.path(field);
            }
            if (node.isString() && !node.asString().isBlank()) {
                return node.asString();
            }
        } catch (JacksonException | IllegalArgumentException e) {
            // not JSON: fall through
        }
        return "upstream returned HTTP " + status;
    }
}
