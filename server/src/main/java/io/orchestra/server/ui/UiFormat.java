package io.orchestra.server.ui;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the data pages print money, durations, times and counts, so every page says them the same way. */
public final class UiFormat {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private UiFormat() {}

    /** Dollars with enough digits that a single cheap call does not print as $0.00. */
    public static String usd(double value) {
        if (value == 0) {
            return "$0";
        }
        return value < 0.01 ? String.format(Locale.ROOT, "$%.6f", value) : String.format(Locale.ROOT, "$%,.4f", value);
    }

    public static String millis(Double value) {
        if (value == null) {
            return "-";
        }
        return value < 1000 ? String.format(Locale.ROOT, "%.0f ms", value) : String.format(Locale.ROOT, "%.2f s", value / 1000);
    }

    public static String time(Instant instant) {
        return instant == null ? "-" : TIME.format(instant);
    }

    public static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }
}
