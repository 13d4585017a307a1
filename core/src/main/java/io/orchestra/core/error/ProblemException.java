package io.orchestra.core.error;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A failure that maps to one RFC 9457 problem response. Thrown anywhere below the HTTP layer; the
 * server turns it into application/problem+json (or the OpenAI error shape on /v1).
 */
public class ProblemException extends RuntimeException {
    private final int status;
    private final String type;
    private final String title;
    private final List<String> errors;
    private final Map<String, String> headers = new LinkedHashMap<>();

    public ProblemException(int status, String type, String title, String detail, List<String> errors) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public ProblemException(int status, String type, String title, String detail) {
        this(status, type, title, detail, List.of());
    }

    public int status() {
        return status;
    }

    /** Short slug, rendered as the problem type URI {@code https://orchestra.dev/problems/<type>}. */
    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    /** Response headers that belong to this answer (Retry-After on a 429). */
    public Map<String, String> headers() {
        return headers;
    }

    /** Adds a response header; for use where the problem is made, before it is thrown. */
    public ProblemException withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** Individual problems when several were found at once (validation). */
    public List<String> errors() {
        return errors;
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(400, "bad-request", "Bad request", detail);
    }

    public static ProblemException invalid(List<String> errors) {
        return new ProblemException(422, "validation", "Invalid request", String.join("; ", errors), errors);
    }

    public static ProblemException unauthorized(String detail) {
        return new ProblemException(401, "unauthorized", "Unauthorized", detail);
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, "forbidden", "Forbidden", detail);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "not-found", "Not found", detail);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, "conflict", "Conflict", detail);
    }

    public static ProblemException tooLarge(String detail) {
        return new ProblemException(413, "payload-too-large", "Payload too large", detail);
    }

    public static ProblemException tooManyRequests(String detail) {
        return new ProblemException(429, "rate-limited", "Too many requests", detail);
    }

    /** A 429 with {@code Retry-After} and whatever else tells the client when to come back. */
    public static ProblemException tooManyRequests(String detail, Map<String, String> headers) {
        ProblemException problem = tooManyRequests(detail);
        headers.forEach(problem::withHeader);
        return problem;
    }

    public static ProblemException unavailable(String detail) {
        return new ProblemException(503, "unavailable", "Service unavailable", detail);
    }
}
