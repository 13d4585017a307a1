package io.orchestra.gateway.usage;

/** A key's budgets (USD) and rate limits; null means unlimited. */
public record KeyLimits(Double dailyBudgetUsd, Double monthlyBudgetUsd, Integer requestsPerMinute, Integer tokensPerMinute) {
    public static final KeyLimits NONE = new KeyLimits(null, null, null, null);

    public boolean hasBudget() {
        return dailyBudgetUsd != null || monthlyBudgetUsd != null;
    }
}
