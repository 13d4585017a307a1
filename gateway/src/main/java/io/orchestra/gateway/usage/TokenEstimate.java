package io.orchestra.gateway.usage;

import tools.jackson.databind.JsonNode;

/**
 * A call's tokens before it is made, for the tokens-per-minute limit to reserve: the prompt at
 * about four characters a token, plus the completion the caller allows ({@code
 * max_completion_tokens}, else {@code max_tokens}, else the configured default) for each of its
 * {@code n} choices. The real usage replaces the estimate once the call ends.
 */
public final class TokenEstimate {
    private TokenEstimate() {}

    public static int chat(JsonNode request, int defaultMaxTokens) {
        long chars = 0;
        for (JsonNode message : request.path("messages")) {
            JsonNode content = message.get("content");
            chars += content == null
                    ? 0
                    : content.isString()
                            ? content.asString().length()
                            : content.toString().length();
            JsonNode calls = message.get("tool_calls");
            chars += calls == null ? 0 : calls.toString().length();
        }
        JsonNode tools = request.get("tools");
        chars += tools == null ? 0 : tools.toString().length();
        JsonNode cap = request.path("max_completion_tokens").isIntegralNumber()
                ? request.get("max_completion_tokens")
                : request.path("max_tokens");
        long completion = cap.isIntegralNumber() && cap.asLong() > 0 ? cap.asLong() : defaultMaxTokens;
        long choices = Math.max(1, request.path("n").asLong(1));
        return (int) Math.min(Integer.MAX_VALUE, chars / 4 + completion * choices);
    }

    /** Embedding input: the text alone (there is no completion). */
    public static int text(JsonNode input) {
        long chars = 0;
        if (input.isString()) {
            chars = input.asString().length();
        } else {
            for (JsonNode item : input) {
                chars += item.asString("").length();
            }
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, chars / 4));
    }
}
