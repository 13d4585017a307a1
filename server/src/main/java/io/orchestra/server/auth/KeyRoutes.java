package io.orchestra.server.auth;

import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.orchestra.core.auth.Role;
import io.orchestra.core.error.ProblemException;
import io.orchestra.core.error.Validation;
import io.orchestra.server.http.Access;
import io.orchestra.server.http.Bodies;
import io.orchestra.server.http.Requests;
import io.orchestra.server.http.RouteGroup;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** /api/keys: admin-only management of API keys. */
public final class KeyRoutes implements RouteGroup {
    private final ApiKeyStore keys;

    public KeyRoutes(ApiKeyStore keys) {
        this.keys = keys;
    }

    /** The fields of POST /api/keys ({@code models}, {@code duration} and {@code expires_at} as LiteLLM's keys have them). */
    static final java.util.Set<String> FIELDS =
            java.util.Set.of("name", "role", "owner", "tags", "models", "duration", "expires_at");

    @Override
    public void addRoutes(JavalinDefaultRoutingApi routes) {
        routes.get("/api/keys", ctx -> ctx.json(Map.of("data", keys.list())), Access.ADMIN);
        routes.post("/api/keys", this::create, Access.ADMIN);
        routes.get("/api/keys/{id}", ctx -> ctx.json(find(ctx)), Access.ADMIN);
        routes.delete("/api/keys/{id}", ctx -> ctx.json(keys.revoke(Requests.pathId(ctx, "id"))), Access.ADMIN);
    }

    private ApiKey find(Context ctx) {
        String id = Requests.pathId(ctx, "id");
        return keys.find(id).orElseThrow(() -> ProblemException.notFound("no API key with id '" + id + "'"));
    }

    private void create(Context ctx) {
        JsonNode body = Bodies.tree(ctx);
        if (!body.isObject()) {
            throw ProblemException.badRequest("the request body must be a JSON object, not "
                    + (body.isNull() ? "null" : body.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
        }
        // A body of the wrong shape is a 400 (like any malformed body); a well-formed one breaking the rules a 422.
        body.propertyNames().forEach(field -> {
            if (!FIELDS.contains(field)) {
                throw ProblemException.badRequest("unknown field '" + field + "'; known fields: " + FIELDS);
            }
        });
        String name = text(body, "name");
        String role = text(body, "role");
        String owner = text(body, "owner");
        List<String> tags = strings(body, "tags");
        List<String> models = strings(body, "models");
        Validation v = validate(name, role, owner, tags);
        KeyGrant grant = grant(models, text(body, "duration"), text(body, "expires_at"), Instant.now(), v);
        v.throwIfInvalid();
        CreatedKey created = keys.create(name.trim(), Role.parse(role).orElseThrow(), owner, tags, grant);
        ctx.status(201)
                .json(Map.of(
                        "key",
                        created.key(),
                        "secret",
                        created.secret(),
                        "notice",
                        "store the secret now: it is shown only once"));
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw ProblemException.badRequest("field '" + field + "' must be text");
        }
        return value.asString();
    }

    private static List<String> strings(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw ProblemException.badRequest("field '" + field + "' must be a list of text");
        }
        List<String> out = new java.util.ArrayList<>();
        value.forEach(item -> {
            if (!item.isString()) {
                throw ProblemException.badRequest("field '" + field + "' must hold only text");
            }
            out.add(item.asString());
        });
        return out;
    }

    private static final java.util.regex.Pattern DURATION = java.util.regex.Pattern.compile("(\\d{1,6})([smhd])");

    /**
     * The models a new key may use and when it expires: {@code duration} ("30d", "12h", "90m", "45s",
     * as LiteLLM writes it) or {@code expires_at} (an ISO-8601 instant), not both; each in the future.
     * Shared with the UI so both judge the same way.
     */
    public static KeyGrant grant(List<String> models, String duration, String expiresAt, Instant now, Validation v) {
        List<String> cleaned = models.stream()
                .map(String::trim)
                .filter(m -> !m.isEmpty())
                .distinct()
                .toList();
        v.check(cleaned.size() <= 100, "models: at most 100");
        cleaned.forEach(m -> v.check(m.length() <= 200, "models: each model must be at most 200 characters"));
        boolean hasDuration = duration != null && !duration.isBlank();
        boolean hasInstant = expiresAt != null && !expiresAt.isBlank();
        v.check(!(hasDuration && hasInstant), "expires_at: give duration or expires_at, not both");
        Instant expiry = null;
        if (hasDuration) {
            java.util.regex.Matcher m = DURATION.matcher(duration.trim());
            if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
                v.add("duration: a positive whole number and a unit: s, m, h or d (like 30d)");
            } else {
                long amount = Long.parseLong(m.group(1));
                expiry = now.plus(
                        switch (m.group(2)) {
                            case "s" -> java.time.Duration.ofSeconds(amount);
                            case "m" -> java.time.Duration.ofMinutes(amount);
                            case "h" -> java.time.Duration.ofHours(amount);
                            default -> java.time.Duration.ofDays(amount);
                        });
            }
        } else if (hasInstant) {
            try {
                expiry = Instant.parse(expiresAt.trim());
                v.check(expiry.isAfter(now), "expires_at: must be in the future");
            } catch (java.time.format.DateTimeParseException e) {
                v.add("expires_at: an ISO-8601 instant like 2027-01-31T00:00:00Z");
            }
        }
        return new KeyGrant(cleaned, expiry);
    }

    /** Shared with the CLI so both enforce the same rules. */
    public static Validation validate(String name, String role, String owner, List<String> tags) {
        Validation v = new Validation();
        v.check(name != null && !name.isBlank(), "name: required");
        v.check(name == null || name.length() <= 200, "name: at most 200 characters");
        v.check(role != null && Role.parse(role).isPresent(), "role: must be 'admin' or 'member'");
        v.check(owner == null || owner.length() <= 200, "owner: at most 200 characters");
        // The deployment's personas live under this owner; a key holding it could rewrite them.
        v.check(
                owner == null || !owner.trim().equals(io.orchestra.agents.persona.StoredPersona.SYSTEM_OWNER),
                "owner: 'system' is reserved for the deployment's personas");
        v.check(tags == null || tags.size() <= 50, "tags: at most 50");
        if (tags != null) {
            tags.forEach(tag -> v.check(
                    tag != null && !tag.isBlank() && tag.length() <= 100,
                    "tags: each tag must be 1 to 100 characters"));
        }
        return v;
    }
}
