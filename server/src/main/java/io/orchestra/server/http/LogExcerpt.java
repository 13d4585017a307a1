package io.orchestra.server.http;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A short, masked start of a request body for a log line: enough to recognise a client's mistake,
 * never the content (a body can carry prompts and keys) and never megabytes in one line.
 */
public final class LogExcerpt {
    private static final int MAX_CHARS = 64;
    /** Anything token-like (keys, ids, words of content) keeps two characters. */
    private static final Pattern TOKEN = Pattern.compile("([A-Za-z0-9_\\-]{2})[A-Za-z0-9_\\-+/=.]{4,}");

    private LogExcerpt() {}

    public static String of(byte[] body) {
        int length = Math.min(body.length, MAX_CHARS * 4);
        String text = new String(body, 0, length, StandardCharsets.UTF_8);
        if (text.length() > MAX_CHARS) {
            text = text.substring(0, MAX_CHARS);
        }
        String masked = TOKEN.matcher(text).replaceAll("$1****");
        StringBuilder out = new StringBuilder(masked.length() + 16);
        masked.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out + (body.length > length || text.length() == MAX_CHARS ? "…" : "") + " (" + body.length + " bytes)";
    }
}
