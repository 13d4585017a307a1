package io.orchestra.memory.mcp;

import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * JSON as JavaScript's {@code JSON.stringify(value, null, 2)} writes it, byte for byte: the reference
 * server's text content is that, and clients that parse or compare the text see the same bytes from us.
 * (Jackson's pretty printer puts a space before each colon and wraps empty arrays.)
 */
final class JsText {
    private JsText() {}

    static String stringify(JsonNode node) {
        StringBuilder out = new StringBuilder();
        write(node, "", out);
        return out.toString();
    }

    private static void write(JsonNode node, String indent, StringBuilder out) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            out.append("null");
        } else if (node.isString()) {
            quote(node.asString(), out);
        } else if (node.isArray()) {
            if (node.isEmpty()) {
                out.append("[]");
                return;
            }
            String inner = indent + "  ";
            out.append("[\n");
            for (int i = 0; i < node.size(); i++) {
                out.append(inner);
                write(node.get(i), inner, out);
                out.append(i + 1 < node.size() ? ",\n" : "\n");
            }
            out.append(indent).append(']');
        } else if (node.isObject()) {
            if (node.isEmpty()) {
                out.append("{}");
                return;
            }
            String inner = indent + "  ";
            out.append("{\n");
            int i = 0;
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                out.append(inner);
                quote(field.getKey(), out);
                out.append(": ");
                write(field.getValue(), inner, out);
                out.append(++i < node.size() ? ",\n" : "\n");
            }
            out.append(indent).append('}');
        } else if (node.isNumber() && node.isFloatingPointNumber() && node.asDouble() == Math.rint(node.asDouble())) {
            // JavaScript has one number type: 1.0 prints as 1.
            out.append((long) node.asDouble());
        } else {
            out.append(node.toString());
        }
    }

    /** JSON.stringify's escaping: quote, backslash and control characters; lone surrogates as \\u escapes. */
    private static void quote(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    boolean lone = Character.isHighSurrogate(c)
                                    && (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1)))
                            || Character.isLowSurrogate(c)
                                    && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)));
                    if (c < 0x20 || lone) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
