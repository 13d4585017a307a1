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
import java.util.List;
import java.util.Map;

/** /api/keys: admin-only management of API keys. */
public final class KeyRoutes implements RouteGroup {
    private final ApiKeyStore keys;

    public KeyRoutes(ApiKeyStore keys) {
        this.keys = keys;
    }

    /** The body of POST /api/keys. */
    public record CreateKeyRequest(String name, String role, String owner, List<String> tags) {}

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
        CreateKeyRequest request = Bodies.read(ctx, CreateKeyRequest.class);
        Validation v = validate(request.name(), request.role(), request.owner(), request.tags());
        v.throwIfInvalid();
        CreatedKey created = keys.create(
                request.name().trim(),
                Role.parse(request.role()).orElseThrow(),
                request.owner(),
                request.tags() == null ? List.of() : request.tags());
        ctx.status(201)
                .json(Map.of(
                        "key",
                        created.key(),
                        "secret",
                        created.secret(),
                        "notice",
                        "store the secret now: it is shown only once"));
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
