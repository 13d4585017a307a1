package io.orchestra.core.config;

import java.util.regex.Pattern;

/** Masks secret values wherever they could be printed: logs, errors, health output, config dumps. */
public final class Secrets {
    private static final Pattern URL_PASSWORD = Pattern.compile("(?<=://)([^:/@\\s]*):([^@/\\s]+)@");
    private static final Pattern QUERY_PASSWORD =
            Pattern.compile("(?i)([?&;](?:password|pass|pwd|secret|token|api[_-]?key)=)[^&;\\s]*");

    private Secrets() {}

    /** Fully masks a secret, keeping only a hint of its length class. */
    public static String mask(String secret) {
        if (secret == null || secret.isEmpty()) {
            return "";
        }
        return "****";
    }

    /** Masks the password part of a URL (user:pass@host) and password-like query parameters. */
    public static String maskUrl(String url) {
        if (url == null) {
            return null;
        }
        // Every log line passes here: skip the regexes when neither pattern can match.
        if (!url.contains("@") && url.indexOf('=') < 0) {
            return url;
        }
        String masked = URL_PASSWORD.matcher(url).replaceAll("$1:****@");
        return QUERY_PASSWORD.matcher(masked).replaceAll("$1****");
    }

    /** Whether a config key names a secret (its value must never be printed). */
    public static boolean isSecretKey(String key) {
        String k = key.toLowerCase(java.util.Locale.ROOT);
        return k.contains("password")
                || k.contains("secret")
                || k.contains("api-key")
                || k.contains("api_key")
                || k.contains("apikey")
                || k.endsWith("admin-key")
                || k.endsWith("token");
    }

    /** Masks a config value for display: secrets fully, URLs by their password part. */
    public static String display(String key, String value) {
        if (value == null) {
            return null;
        }
        if (isSecretKey(key)) {
            return mask(value);
        }
        return value.contains("://") ? maskUrl(value) : value;
    }
}
