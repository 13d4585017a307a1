package io.orchestra.server.ui;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the UI writes times, money, durations and counts, the same on every page. */
public final class UiFormat {
    // Seconds, because the request log often has several calls in one minute.
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private UiFormat() {}

    public static String time(Instant instant) {
        return instant == null ? "" : TIME.format(instant);
    }

    public static String time(long epochMillis) {
        return time(Instant.ofEpochMilli(epochMillis));
    }

    /** Dollars with enough digits that a single cheap call does not print as $0.00. */
    public static String usd(double amount) {
        return amount < 0.01
                ? String.format(Locale.ROOT, "$%.6f", amount)
                : String.format(Locale.ROOT, "$%,.4f", amount);
    }

    /**
     * A budget as people write it: no exponent and no padding zeros, but cents always
     * ({@code $0.0005}, {@code $1.00}, {@code $12.50}), never {@code $5.0E-4}.
     */
    public static String budget(double amount) {
        java.math.BigDecimal exact = java.math.BigDecimal.valueOf(amount).stripTrailingZeros();
        return "$" + (exact.scale() < 2 ? exact.setScale(2) : exact).toPlainString();
    }

    /** A number for a form field: plain decimal, no exponent ({@code 0.0005}, not {@code 5.0E-4}); empty for none. */
    public static String plain(Double value) {
        if (value == null) {
            return "";
        }
        java.math.BigDecimal exact = java.math.BigDecimal.valueOf(value).stripTrailingZeros();
        return (exact.scale() < 0 ? exact.setScale(0) : exact).toPlainString();
    }

    public static String millis(Double value) {
        if (value == null) {
            return "-";
        }
        return value < 1000
                ? String.format(Locale.ROOT, "%.0f ms", value)
                : String.format(Locale.ROOT, "%.2f s", value / 1000);
    }

    public static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }
}
