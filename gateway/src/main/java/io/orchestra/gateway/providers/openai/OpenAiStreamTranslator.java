package io.orchestra.gateway.providers.openai;

import io.orchestra.core.json.Json;
import io.orchestra.gateway.providers.BaseStreamTranslator;
import io.orchestra.gateway.providers.UpstreamStreamError;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Passes OpenAI chunks through byte for byte. Only chunks that can carry usage or an error are
 * parsed, so the hot path is string checks, not JSON work.
 */
final class OpenAiStreamTranslator extends BaseStreamTranslator {
    private final boolean includeUsage;

    OpenAiStreamTranslator(boolean includeUsage) {
        this.includeUsage = includeUsage;
    }

    @Override
    public List<String> onEvent(String event, String data) {
        if (data.equals("[DONE]")) {
            finished = true;
            return List.of();
        }
        if (data.startsWith("{\"error\"") || "error".equals(event)) {
            JsonNode error = Json.tree(data).path("error");
            int status = error.path("code").isInt() ? error.path("code").asInt() : 500;
            throw new UpstreamStreamError(status, error.path("message").asString("error inside the stream"));
        }
        if (data.contains("\"usage\":{")) {
            JsonNode chunk = Json.tree(data);
            usage = OpenAiProvider.usageOf(chunk.path("usage"));
            if (chunk.path("choices").isEmpty() && !includeUsage) {
                return List.of();
            }
        }
        if (!sentContent && (data.contains("\"tool_calls\"") || hasContent(data))) {
            sentContent = true;
        }
        return List.of(data);
    }

    private static boolean hasContent(String data) {
        int at = data.indexOf("\"content\":\"");
        return at >= 0 && data.charAt(at + 11) != '"';
    }
}
