package io.orchestra.gateway.usage;

import io.orchestra.core.config.Secrets;
import io.orchestra.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Whether the request log keeps request and response bodies (off unless configured), and how a
 * body is made fit to keep: secrets masked (fields named like secrets, credentials in text, the
 * configured provider keys), {@code data:} URLs (inline images) cut to their media type and size,
 * the whole cut to at most {@code maxBytes} of UTF-8.
 */
public record BodyLog(boolean enabled, int maxBytes) {
    public static final BodyLog OFF = new BodyLog(false, 0);

    /** A base64 {@code data:} URL; the payload may run to megabytes, so the pattern is linear. */
    private static final Pattern DATA_URL = Pattern.compile("data:([A-Za-z0-9.+/-]{1,100});base64,([A-Za-z0-9+/=]*)");

    /**
     * The body as the log keeps it, or null when logging is off or there is no body.
     *
     * @param scrub masks the configured provider keys (they are not shaped like anything the patterns know)
     */
    public String render(JsonNode body, UnaryOperator<String> scrub) {
        if (!enabled || body == null || body.isMissingNode() || body.isNull()) {
            return null;
        }
        return cut(scrub.apply(Json.write(mask(body))), maxBytes);
    }

    static JsonNode mask(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = Json.object();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                JsonNode value = field.getValue();
                if (Secrets.isSecretKey(field.getKey()) && !value.isNull() && !value.isNumber()) {
                    out.put(field.getKey(), Secrets.mask("x"));
                } else {
                    out.set(field.getKey(), mask(value));
                }
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = Json.mapper().createArrayNode();
            node.forEach(item -> out.add(mask(item)));
            return out;
        }
        if (node.isString()) {
            return Json.mapper().getNodeFactory().stringNode(maskText(node.asString()));
        }
        return node;
    }

    /** Credentials masked, {@code data:} payloads replaced by their size. */
    static String maskText(String text) {
        String shortened = text;
        if (text.contains("data:")) {
            Matcher m = DATA_URL.matcher(text);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(
                        out,
                        Matcher.quoteReplacement(
                                "data:" + m.group(1) + ";base64,[" + decodedBytes(m.group(2)) + " bytes]"));
            }
            m.appendTail(out);
            shortened = out.toString();
        }
        return Secrets.maskText(shortened);
    }

    private static long decodedBytes(String base64) {
        int padding = base64.endsWith("==") ? 2 : base64.endsWith("=") ? 1 : 0;
        return Math.max(0, (long) base64.length() * 3 / 4 - padding);
    }

    /** At most {@code maxBytes} of UTF-8, cut between characters, with a note of the full size. */
    static String cut(String text, int maxBytes) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= maxBytes) {
            return text;
        }
        int bytes = 0;
        int end = 0;
        while (end < text.length()) {
            int cp = text.codePointAt(end);
            int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            end += Character.charCount(cp);
        }
        return text.substring(0, end) + "… [cut: " + utf8.length + " bytes in all]";
    }
}
