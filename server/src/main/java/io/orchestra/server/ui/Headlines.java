package io.orchestra.server.ui;

import java.util.List;
import java.util.Locale;

/**
 * The overview's headline numbers for today (UTC) from the request log, for whoever is signed in (a
 * member's own keys, an admin's whole server): cost, gateway calls, the share that failed, p95 latency.
 */
public record Headlines(double costUsd, long requests, long errors, Double p95Ms) {

    /** One card: what it counts, the number, and a line that says what the number is made of. */
    public record Card(String id, String label, String value, String detail, boolean alarming) {}

    public double errorRate() {
        return requests == 0 ? 0 : (double) errors / requests;
    }

    public List<Card> cards() {
        return List.of(
                new Card("cost", "Cost today", UiFormat.usd(costUsd), "from reported usage", false),
                new Card("requests", "Requests today", UiFormat.count(requests), "gateway calls", false),
                new Card(
                        "errors",
                        "Error rate today",
                        requests == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * errorRate()),
                        UiFormat.count(errors) + " of " + UiFormat.count(requests) + " failed (4xx and 5xx)",
                        errorRate() >= 0.05),
                new Card(
                        "p95",
                        "p95 latency today",
                        UiFormat.millis(p95Ms),
                        requests == 0 ? "no calls yet" : "95% of calls were this fast or faster",
                        false));
    }
}
