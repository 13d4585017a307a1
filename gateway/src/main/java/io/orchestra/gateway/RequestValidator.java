package io.orchestra.gateway;

import io.orchestra.core.error.ProblemException;
import io.orchestra.gateway.providers.Translation;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** The checks worth doing before spending an upstream call: what every provider would reject. */
final class RequestValidator {
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");

    private RequestValidator() {}

    static void chat(JsonNode request) {
        if (!request.path("model").isString()
                || request.path("model").asString().isBlank()) {
            throw invalid("'model' is required and must be a string", "model");
        }
        JsonNode messages = request.path("messages");
        if (!messages.isArray() || messages.isEmpty()) {
            throw invalid("'messages' must be a non-empty array", "messages");
        }
        int i = 0;
        for (JsonNode message : messages) {
            String role = message.path("role").asString("");
            if (!ROLES.contains(role)) {
                throw invalid("messages[" + i + "].role must be one of " + ROLES, "messages[" + i + "].role");
            }
            JsonNode content = message.get("content");
            boolean toolCalls = message.path("tool_calls").isArray()
                    && !message.path("tool_calls").isEmpty();
            if ((content == null || content.isNull()) && !(role.equals("assistant") && toolCalls)) {
                throw invalid("messages[" + i + "].content is required", "messages[" + i + "].content");
            }
            if (content != null && !content.isNull() && !content.isString() && !content.isArray()) {
                throw invalid(
                        "messages[" + i + "].content must be a string or an array of content parts",
                        "messages[" + i + "].content");
            }
            if (content != null && content.isArray()) {
                images(content, i);
            }
            if (role.equals("tool") && !message.path("tool_call_id").isString()) {
                throw invalid(
                        "messages[" + i + "].tool_call_id is required for tool messages",
                        "messages[" + i + "].tool_call_id");
            }
            i++;
        }
        number(request, "temperature", 0, 2);
        number(request, "top_p", 0, 1);
        if (request.has("n")
                && (!request.get("n").isIntegralNumber()
                        // canConvertToInt first: asInt() on 10^12 throws instead of answering.
                        || !request.get("n").canConvertToInt()
                        || request.get("n").intValue() < 1
                        || request.get("n").intValue() > 128)) {
            throw invalid("'n' must be a whole number from 1 to 128", "n");
        }
        if (request.has("stream") && !request.get("stream").isBoolean()) {
            throw invalid("'stream' must be true or false", "stream");
        }
        if (request.has("tools") && !request.get("tools").isArray()) {
            throw invalid("'tools' must be an array", "tools");
        }
    }

    /**
     * Inline images are checked here, for every provider: a pass-through provider (openai,
     * openai_compatible) would otherwise forward {@code data:;base64,!!!} and bill a failed call.
     */
    private static void images(JsonNode parts, int message) {
        int j = 0;
        for (JsonNode part : parts) {
            String url = part.path("image_url").path("url").asString("");
            if (part.path("type").asString("").equals("image_url") && url.regionMatches(true, 0, "data:", 0, 5)) {
                String where = "messages[" + message + "].content[" + j + "].image_url.url";
                Translation.DataUrl data = Translation.dataUrl(url);
                if (!data.mediaType().toLowerCase(java.util.Locale.ROOT).startsWith("image/")) {
                    throw invalid(where + ": an inline image needs an image/* media type", where);
                }
                if (!BASE64.matcher(data.data()).matches() || data.data().length() % 4 != 0) {
                    throw invalid(where + ": the image data is not valid base64", where);
                }
            }
            j++;
        }
    }

    private static final java.util.regex.Pattern BASE64 = java.util.regex.Pattern.compile("[A-Za-z0-9+/]*={0,2}");

    private static void number(JsonNode request, String field, double min, double max) {
        JsonNode value = request.get(field);
        if (value != null
                && !value.isNull()
                && (!value.isNumber() || value.asDouble() < min || value.asDouble() > max)) {
            throw invalid("'" + field + "' must be a number from " + min + " to " + max, field);
        }
    }

    static ProblemException invalid(String message, String param) {
        return new ProblemException(400, "invalid-request", "Invalid request", message);
    }
}
