package io.orchestra.agents.run;

/** Tokens and cost of one model call, as the gateway reported them. */
public record Usage(int promptTokens, int completionTokens, double costUsd) {
    public static final Usage NONE = new Usage(0, 0, 0);

    /** Tokens from a completion's {@code usage}, cost from the gateway's cost header. */
    public static Usage of(io.orchestra.gateway.ChatResult result) {
        double cost = Double.parseDouble(result.headers().getOrDefault(io.orchestra.gateway.Gateway.COST_HEADER, "0"));
        return tokens(result.body().path("usage"), cost);
    }

    /** Tokens from an OpenAI {@code usage} object (a streamed answer, whose cost is in the request log). */
    public static Usage tokens(tools.jackson.databind.JsonNode usage, double cost) {
        return new Usage(
                usage.path("prompt_tokens").asInt(0),
                usage.path("completion_tokens").asInt(0),
                cost);
    }

    public Usage plus(Usage other) {
        return new Usage(
                promptTokens + other.promptTokens, completionTokens + other.completionTokens, costUsd + other.costUsd);
    }
}
