package io.orchestra.gateway.usage;

/**
 * One attempt of a gateway call at one target, as written to {@code request_attempts}: {@code seq}
 * counts from 1 in the order the targets were tried (retries and fallbacks, and targets passed
 * over); {@code status} is the provider's (0 when there was no answer).
 */
public record AttemptRecord(
        int seq, String provider, String model, int status, AttemptOutcome outcome, double latencyMs, String error) {}
