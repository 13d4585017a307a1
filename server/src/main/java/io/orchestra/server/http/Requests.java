package io.orchestra.server.http;

import io.javalin.http.Context;
import io.orchestra.core.auth.Principal;
import io.orchestra.core.error.ProblemException;

/** Per-request values the cross-cutting handlers attach to the Javalin context. */
public final class Requests {
    static final String PRINCIPAL = "orchestra.principal";
    static final String REQUEST_ID = "orchestra.requestId";
    public static final String REQUEST_ID_HEADER = "X-Request-Id";
    public static final String KEY_REQUIRED = "a valid API key is required: send 'Authorization: Bearer <key>'";

    private static final java.util.regex.Pattern VALID_REQUEST_ID =
            java.util.regex.Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private Requests() {}

    /** The caller's {@code X-Request-Id} when it is safe to echo and log, else a new id. */
    public static String requestIdFor(String incoming) {
        return incoming != null && VALID_REQUEST_ID.matcher(incoming).matches()
                ? incoming
                : io.orchestra.core.util.Ids.newId("req");
    }

    /** The authenticated caller; every non-public route has one. */
    public static Principal principal(Context ctx) {
        Principal principal = ctx.attribute(PRINCIPAL);
        if (principal == null) {
            throw ProblemException.unauthorized("missing API key");
        }
        return principal;
    }

    /** The caller a mounted servlet's guard authenticated (see {@link RequestScope#authenticate}). */
    public static Principal principal(jakarta.servlet.http.HttpServletRequest request) {
        return (Principal) request.getAttribute(PRINCIPAL);
    }

    public static String requestId(Context ctx) {
        String id = ctx.attribute(REQUEST_ID);
        return id == null ? "" : id;
    }

    /** A path parameter, checked for a sane length so ids never reach SQL unbounded. */
    public static String pathId(Context ctx, String name) {
        String value = ctx.pathParam(name);
        if (value.isBlank() || value.length() > 200) {
            throw ProblemException.badRequest("path parameter '" + name + "' must be 1 to 200 characters");
        }
        return value;
    }

    /** An optional integer query parameter within bounds. */
    public static int queryInt(Context ctx, String name, int defaultValue, int min, int max) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < min || parsed > max) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest(
                    "query parameter '" + name + "' must be a whole number from " + min + " to " + max);
        }
    }
}
