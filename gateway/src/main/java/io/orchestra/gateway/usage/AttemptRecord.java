package io.orchestra.gateway.usage;

/**
 * One attempt of a gateway call at one target, as written to {@code request_attempts}: {@code seq}
 * counts from 1 in the order the targets were tried (retries and fallbacks, and targets passed
 * over); {@code status} is the provider's (0 when there was no answer).
 */
public record AttemptRecord(
        int seq, String provider, String model, int status, AttemptOutcome outcome, double latencyMs, String error) {

    /**
     * Whether a call's attempts say nothing its row does not: one attempt that answered. Most calls
     * are that, so they store no attempt row (a second insert per call costs the gateway's
     * throughput); {@link #of(RequestRecord)} gives the attempt back from the row.
     */
    public static boolean impliedByRow(java.util.List<AttemptRecord> attempts) {
        return attempts.size() == 1 && attempts.getFirst().outcome() == AttemptOutcome.OK;
    }

    /** The one attempt of a call that stored none: answered by its first target, or never routed (empty). */
    public static java.util.List<AttemptRecord> of(RequestRecord row) {
        boolean routed = row.attempts() == 1 && !"none".equals(row.provider()) && !"cache".equals(row.provider());
        return routed
                ? java.util.List.of(new AttemptRecord(
                        1, row.provider(), row.model(), row.status(), AttemptOutcome.OK, row.latencyMs(), null))
                : java.util.List.of();
    }
}
