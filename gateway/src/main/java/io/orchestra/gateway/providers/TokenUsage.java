package io.orchestra.gateway.providers;

/**
 * Tokens as the provider reported them. {@code promptTokens} includes cached prompt tokens (as
 * OpenAI counts); {@code cachedTokens} are prompt tokens read from the provider's cache,
 * {@code cacheWriteTokens} those written to it, {@code reasoningTokens} part of the completion.
 */
public record TokenUsage(
        int promptTokens, int completionTokens, int cachedTokens, int cacheWriteTokens, int reasoningTokens) {
    public static final TokenUsage NONE = new TokenUsage(0, 0, 0, 0, 0);

    public int totalTokens() {
        return promptTokens + completionTokens;
    }
}
