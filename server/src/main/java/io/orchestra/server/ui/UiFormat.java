package io.orchestra.server.ui;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How the UI writes times and money, the same on every page. */
public final class UiFormat {
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private UiFormat() {}

    public static String time(Instant instant) {
        return instant == null ? "" : MINUTE.format(instant);
    }

    public static String time(long epochMillis) {
        return time(Instant.ofEpochMilli(epochMillis));
    }

    public static String usd(double amount) {
        return String.format(java.util.Locale.ROOT, "$%.6f", amount);
    }
}
