package io.orchestra.server.ui;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

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

    /** Spend from this share of a budget on is "near": the page warns before calls are refused. */
    public static final double NEAR_SHARE = 0.8;

    public Double leftTodayUsd() {
        return dailyUsd == null ? null : Math.max(0, dailyUsd - spentTodayUsd);
    }

    public Double leftMonthUsd() {
        return monthlyUsd == null ? null : Math.max(0, monthlyUsd - spentMonthUsd);
    }

    public boolean hasLimits() {
        return dailyUsd != null || monthlyUsd != null || requestsPerMinute != null || tokensPerMinute != null;
    }

    /** Which budget period a warning is about. */
    public enum Period {
        DAY("Daily", "today"),
        MONTH("Monthly", "this month");

        private final String label;
        private final String spentWhen;

        Period(String label, String spentWhen) {
            this.label = label;
            this.spentWhen = spentWhen;
        }

        public String label() {
            return label;
        }

        public String spentWhen() {
            return spentWhen;
        }
    }

    /**
     * A budget that is spent ({@code over}: the gateway refuses the key's calls with 429 until
     * {@code resetsAt}) or nearly so.
     */
    public record Warning(
            String keyId,
            String keyName,
            Period period,
            double budgetUsd,
            double spentUsd,
            boolean over,
            Instant resetsAt) {
        /** The refused calls of this period are in the request log's range that covers it. */
        public String requestsRange() {
            return period == Period.DAY ? "24h" : "30d";
        }
    }

    /** The budgets of this key that are spent or at least {@link #NEAR_SHARE} spent, daily first. */
    public List<Warning> warnings(Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        List<Warning> out = new ArrayList<>();
        if (dailyUsd != null && spentTodayUsd >= NEAR_SHARE * dailyUsd) {
            out.add(new Warning(
                    keyId,
                    keyName,
                    Period.DAY,
                    dailyUsd,
                    spentTodayUsd,
                    spentTodayUsd >= dailyUsd,
                    today.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()));
        }
        if (monthlyUsd != null && spentMonthUsd >= NEAR_SHARE * monthlyUsd) {
            out.add(new Warning(
                    keyId,
                    keyName,
                    Period.MONTH,
                    monthlyUsd,
                    spentMonthUsd,
                    spentMonthUsd >= monthlyUsd,
                    today.withDayOfMonth(1)
                            .plusMonths(1)
                            .atStartOfDay(ZoneOffset.UTC)
                            .toInstant()));
        }
        return out;
    }
}
