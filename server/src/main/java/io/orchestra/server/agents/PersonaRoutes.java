package io.orchestra.server.agents;

import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.orchestra.agents.persona.Persona;
import io.orchestra.agents.persona.PersonaCheck;
import io.orchestra.agents.persona.PersonaFiles;
import io.orchestra.agents.persona.PersonaJson;
import io.orchestra.agents.persona.PersonaParser;
import io.orchestra.agents.persona.PersonaRef;
import io.orchestra.agents.persona.PersonaStore;
import io.orchestra.agents.persona.PersonaVersion;
import io.orchestra.agents.persona.StoredPersona;
import io.orchestra.core.error.ProblemException;
import io.orchestra.core.error.Validation;
import io.orchestra.core.json.Json;
import io.orchestra.server.http.Access;
import io.orchestra.server.http.Bodies;
import io.orchestra.server.http.Requests;
import io.orchestra.server.http.RouteGroup;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * /api/personas: create, read, update (each update a new version), soft delete, history. A path id
 * names the caller's own persona, else the deployment's; {@code ?owner=} names another owner's
 * (admins) or the deployment's ({@code system}) explicitly.
 */
public final class PersonaRoutes implements RouteGroup {
    private final PersonaStore store;
    private final PersonaFiles files;
    private final PersonaCheck check;

    public PersonaRoutes(PersonaStore store, PersonaFiles files, PersonaCheck check) {
        this.store = store;
        this.files = files;
        this.check = check;
    }

    @Override
    public void addRoutes(JavalinDefaultRoutingApi routes) {
        routes.get("/api/personas", this::list);
        routes.post("/api/personas", this::create);
        routes.get("/api/personas/files", ctx -> ctx.json(Map.of("problems", files.problems())), Access.ADMIN);
        routes.get("/api/personas/{id}", ctx -> ctx.json(view(store.get(ref(ctx), Requests.principal(ctx)))));
        routes.put("/api/personas/{id}", this::update);
        routes.delete("/api/personas/{id}", ctx -> {
            store.delete(ref(ctx), Requests.principal(ctx));
            ctx.status(204);
        });
        routes.get("/api/personas/{id}/versions", this::versions);
        routes.post("/api/personas/{id}/versions/{version}/restore", this::restore);
    }

    private void list(Context ctx) {
        ArrayNode data = Json.mapper().createArrayNode();
        store.list(Requests.principal(ctx)).forEach(p -> data.add(view(p)));
        ObjectNode body = Json.object();
        body.set("data", data);
        ctx.json(body);
    }

    private void create(Context ctx) {
        Persona persona = parse(Bodies.tree(ctx), null, ctx);
        ctx.status(201).json(view(store.create(persona, Requests.principal(ctx))));
    }

    private void update(Context ctx) {
        String id = Requests.pathId(ctx, "id");
        JsonNode body = Bodies.tree(ctx);
        if (body.isObject() && !body.has("id")) {
            ((ObjectNode) body).put("id", id);
        }
        ctx.json(view(store.update(ref(ctx), parse(body, id, ctx), Requests.principal(ctx))));
    }

    /** Makes an earlier version current again (as a new version, so the history keeps what was replaced). */
    private void restore(Context ctx) {
        int number;
        try {
            number = Integer.parseInt(ctx.pathParam("version"));
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("the version must be a whole number");
        }
        PersonaVersion version = store.version(ref(ctx), number, Requests.principal(ctx));
        Validation v = new Validation();
        check.check(version.persona(), Requests.principal(ctx), v);
        v.throwIfInvalid();
        ctx.json(view(store.update(ref(ctx), version.persona(), Requests.principal(ctx))));
    }

    private void versions(Context ctx) {
        ArrayNode data = Json.mapper().createArrayNode();
        for (PersonaVersion version : store.versions(ref(ctx), Requests.principal(ctx))) {
            ObjectNode node = data.addObject();
            node.put("version", version.version());
            node.put("author", version.author());
            node.put("created_at", version.createdAt().toString());
            node.set("definition", PersonaJson.write(version.persona()));
        }
        ObjectNode body = Json.object();
        body.set("data", data);
        ctx.json(body);
    }

    /** The path's id, with the owner the query names, if any. */
    private static PersonaRef ref(Context ctx) {
        String owner = ctx.queryParam("owner");
        if (owner != null && owner.length() > 200) {
            throw ProblemException.badRequest("query parameter 'owner' must be at most 200 characters");
        }
        return PersonaRef.of(Requests.pathId(ctx, "id"), java.util.Optional.ofNullable(owner));
    }

    /** The parser's problems, or else what the persona names that does not exist: each as "field: problem". */
    private Persona parse(JsonNode body, String expectedId, Context ctx) {
        Validation v = new Validation();
        Persona persona = PersonaParser.parse(body, expectedId, v);
        if (persona != null) {
            check.check(persona, Requests.principal(ctx), v);
        }
        v.throwIfInvalid();
        return persona;
    }

    static ObjectNode view(StoredPersona stored) {
        ObjectNode node = PersonaJson.write(stored.persona());
        node.put("owner", stored.owner());
        node.put("source", stored.source());
        node.put("version", stored.version());
        node.put("created_at", stored.createdAt().toString());
        node.put("updated_at", stored.updatedAt().toString());
        return node;
    }
}
