package io.orchestra.core.jobs;

/** A failure that retrying cannot fix (unreadable file, unsupported format): fail at once. */
public final class PermanentJobFailure extends Exception {
    public PermanentJobFailure(String message) {
        super(message);
    }
}
