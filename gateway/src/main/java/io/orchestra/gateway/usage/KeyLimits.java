package io.orchestra.gateway.usage;

/** A key's budgets (USD) and rate limits; null means unlimited. */
public record KeyLimits(
        Double dailyBudgetUsd, Double monthlyBudgetUsd, Integer requestsPerMinute, Integer tokensPerMinute) {
    public static final KeyLimits NONE = new KeyLimits(null, null, null, null);

    /** Every problem with these limits, worded by the API's field names, so the API and the UI say the same. */
    public io.orchestra.core.error.Validation validate() {
        return new io.orchestra.core.error.Validation()
                .check(dailyBudgetUsd == null || dailyBudgetUsd >= 0, "daily_budget_usd: zero or more")
                .check(monthlyBudgetUsd == null || monthlyBudgetUsd >= 0, "monthly_budget_usd: zero or more")
                .check(requestsPerMinute == null || requestsPerMinute >= 1, "requests_per_minute: at least 1")
                .check(tokensPerMinute == null || tokensPerMinute >= 1, "tokens_per_minute: at least 1");
    }

    public boolean hasBudget() {
        return dailyBudgetUsd != null || monthlyBudgetUsd != null;
    }
}
