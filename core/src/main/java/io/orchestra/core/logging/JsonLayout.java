package io.orchestra.core.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import io.orchestra.core.config.Secrets;
import java.time.Instant;
import java.util.Map;

/**
 * One JSON object per line: time, level (also as Cloud Logging's "severity"), logger, message,
 * request id and other MDC fields, exception. Messages pass through {@link Secrets#maskUrl} so a
 * URL with a password never reaches the log.
 */
public final class JsonLayout extends LayoutBase<ILoggingEvent> {
    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder out = new StringBuilder(256);
        out.append("{\"time\":\"")
                .append(Instant.ofEpochMilli(event.getTimeStamp()))
                .append('"');
        field(out, "severity", severity(event.getLevel().toString()));
        field(out, "level", event.getLevel().toString());
        field(out, "logger", event.getLoggerName());
        field(out, "thread", event.getThreadName());
        field(out, "message", Secrets.maskUrl(event.getFormattedMessage()));
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc != null) {
            for (Map.Entry<String, String> entry : mdc.entrySet()) {
                field(out, entry.getKey(), entry.getValue());
            }
        }
        IThrowableProxy error = event.getThrowableProxy();
        if (error != null) {
            field(out, "exception", Secrets.maskUrl(ThrowableProxyUtil.asString(error)));
        }
        return out.append("}\n").toString();
    }

    private static String severity(String level) {
        return switch (level) {
            case "ERROR" -> "ERROR";
            case "WARN" -> "WARNING";
            case "INFO" -> "INFO";
            default -> "DEBUG";
        };
    }

    private static void field(StringBuilder out, String name, String value) {
        if (value == null) {
            return;
        }
        out.append(",\"").append(name).append("\":\"");
        escape(out, value);
        out.append('"');
    }

    static void escape(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }
}
