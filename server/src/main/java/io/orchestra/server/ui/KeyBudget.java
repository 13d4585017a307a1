package io.orchestra.server.ui;

/** A key's budgets and rate limits (null: none) and what it spent today and this month (UTC), for the usage page. */
public record KeyBudget(
        String keyId,
        String keyName,
        String owner,
        Double dailyUsd,
        double spentTodayUsd,
        Double monthlyUsd,
        double spentMonthUsd,
        Integer requestsPerMinute,
        Integer tokensPerMinute) {

    public Double leftTodayUsd() {
        return dailyUsd == null ? null : Math.max(0, dailyUsd - spentTodayUsd);
    }

    public Double leftMonthUsd() {
        return monthlyUsd == null ? null : Math.max(0, monthlyUsd - spentMonthUsd);
    }

    public boolean hasLimits() {
        return dailyUsd != null || monthlyUsd != null || requestsPerMinute != null || tokensPerMinute != null;
    }
}
