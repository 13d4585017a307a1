package io.orchestra.server.http;

import io.javalin.http.Context;
import io.orchestra.core.error.ProblemException;
import io.orchestra.core.json.Json;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/** Reads JSON request bodies into records, turning every parse failure into a clear 400. */
public final class Bodies {
    private Bodies() {}

    public static <T> T read(Context ctx, Class<T> type) {
        return parse(text(ctx), type);
    }

    public static JsonNode tree(Context ctx) {
        // Parsed from the bytes: decoding them into a String first showed in the gateway's profile.
        byte[] body = bytes(ctx);
        try {
            JsonNode node = Json.mapper().readTree(body);
            if (node == null || node.isMissingNode()) {
                throw ProblemException.badRequest("request body is empty; expected a JSON object");
            }
            return node;
        } catch (JacksonException e) {
            throw malformed(e);
        }
    }

    private static String text(Context ctx) {
        requireJson(ctx);
        String body = ctx.body();
        if (body.isBlank()) {
            throw ProblemException.badRequest("request body is empty; expected a JSON object");
        }
        return body;
    }

    private static byte[] bytes(Context ctx) {
        requireJson(ctx);
        byte[] body = ctx.bodyAsBytes();
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return body;
            }
        }
        throw ProblemException.badRequest("request body is empty; expected a JSON object");
    }

    private static void requireJson(Context ctx) {
        String contentType = ctx.contentType();
        if (contentType != null && !contentType.toLowerCase(Locale.ROOT).contains("json")) {
            throw new ProblemException(
                    415,
                    "unsupported-media-type",
                    "Unsupported media type",
                    "expected Content-Type application/json, got '" + contentType + "'");
        }
    }

    static <T> T parse(String body, Class<T> type) {
        try {
            T value = Json.mapper().readValue(body, type);
            if (value == null) {
                throw ProblemException.badRequest("request body must be a JSON object, not null");
            }
            return value;
        } catch (JacksonException e) {
            throw malformed(e);
        }
    }

    /** A JSON parse failure as the 400 a caller can act on; shared by every route and the /mcp entry. */
    public static ProblemException malformed(JacksonException e) {
        if (e instanceof StreamConstraintsException) {
            // Jackson names its own settings in this message; say what the limits are instead.
            StreamReadConstraints limits = Json.mapper().tokenStreamFactory().streamReadConstraints();
            return ProblemException.badRequest("the JSON exceeds a parser limit: nesting at most "
                    + limits.getMaxNestingDepth() + " levels, a number at most " + limits.getMaxNumberLength()
                    + " digits, a string at most " + limits.getMaxStringLength() + " characters");
        }
        String where = path(e);
        if (e instanceof UnrecognizedPropertyException unknown) {
            return ProblemException.badRequest("unknown field '" + unknown.getPropertyName() + "'"
                    + (unknown.getKnownPropertyIds() == null
                            ? ""
                            : "; known fields: " + unknown.getKnownPropertyIds()));
        }
        if (e instanceof InvalidFormatException invalid) {
            return ProblemException.badRequest(
                    "field " + where + " has the wrong type or format: '" + invalid.getValue() + "' cannot be read as "
                            + invalid.getTargetType().getSimpleName());
        }
        if (e instanceof MismatchedInputException mismatched) {
            String target = mismatched.getTargetType() == null
                    ? "the expected type"
                    : mismatched.getTargetType().getSimpleName();
            return ProblemException.badRequest(
                    where.isEmpty()
                            ? "request body must be a JSON object matching " + target
                            : "field " + where + " has the wrong type: expected " + target);
        }
        String message = e.getOriginalMessage();
        TokenStreamLocation location = e.getLocation();
        return ProblemException.badRequest("malformed JSON: " + (message == null ? "cannot parse" : message)
                + (location == null
                        ? ""
                        : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")"));
    }

    private static String path(JacksonException e) {
        StringBuilder out = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                out.append(out.isEmpty() ? "" : ".").append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.isEmpty() ? "" : "'" + out + "'";
    }
}
