package io.orchestra.agents.run;

/** Tokens and cost of one model call, as the gateway reported them. */
public record Usage(int promptTokens, int completionTokens, double costUsd) {
    public static final Usage NONE = new Usage(0, 0, 0);

    public Usage plus(Usage other) {
        return new Usage(promptTokens + other.promptTokens, completionTokens + other.completionTokens, costUsd + other.costUsd);
    }
}
