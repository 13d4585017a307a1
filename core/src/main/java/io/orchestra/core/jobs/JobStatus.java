package io.orchestra.core.jobs;

import java.util.Locale;

public enum JobStatus {
    QUEUED,
    RUNNING,
    DONE,
    FAILED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static JobStatus parse(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
