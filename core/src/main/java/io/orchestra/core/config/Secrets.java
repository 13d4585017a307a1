package io.orchestra.core.config;

import java.util.regex.Pattern;

/** Masks secret values wherever they could be printed: logs, errors, health output, config dumps. */
public final class Secrets {
    private static final Pattern URL_PASSWORD = Pattern.compile("(?<=://)([^:/@\\s]*):([^@/\\s]+)@");
    private static final Pattern QUERY_PASSWORD =
            Pattern.compile("(?i)([?&;](?:password|pass|pwd|secret|token|api[_-]?key)=)[^&;\\s]*");
    /**
     * Credentials as they appear in free text: provider keys ({@code sk-…}), Orchestra keys
     * ({@code orc_…}), bearer tokens, AWS, GitHub, Slack and Google keys, JWTs, PEM private keys and
     * {@code password=…}-like assignments.
     * The recognisable prefix stays so a reader knows what was there.
     */
    private static final Pattern TOKEN_IN_TEXT =
            Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?-----END [A-Z ]*PRIVATE KEY-----"
                    + "|\\b((?:sk|pk|rk)-|sk-ant-|orc_|AKIA|ghp_|gho_|ghu_|ghs_|ghr_|github_pat_|xox[abprs]-|glpat-|AIza)[A-Za-z0-9_\\-]{12,}"
                    + "|(?i:\\b(bearer)\\s+)[A-Za-z0-9._~+/=\\-]{8,}"
                    + "|\\beyJ[A-Za-z0-9_\\-]{8,}\\.[A-Za-z0-9_\\-]{8,}\\.[A-Za-z0-9_\\-]{8,}"
                    + "|(?i:\\b(password|passwd|pwd|secret|token|api[_-]?key)\\s*[=:]\\s*)[^\\s\"',;&]+");

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

    /**
     * Masks credentials inside free text (a prompt, a logged body): each keeps its prefix
     * ({@code sk-****}, {@code Bearer ****}), URL passwords and password-like query parameters too.
     */
    public static String maskText(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        java.util.regex.Matcher m = TOKEN_IN_TEXT.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            String replacement;
            if (m.group(1) != null) {
                replacement = m.group(1) + "****";
            } else if (m.group(2) != null) {
                replacement = m.group(2) + " ****";
            } else if (m.group(3) != null) {
                replacement = m.group(3) + "=****";
            } else if (m.group().startsWith("-----")) {
                replacement = "-----PRIVATE KEY ****-----";
            } else {
                replacement = "eyJ****";
            }
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return maskUrl(out.toString());
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
