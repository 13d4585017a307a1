package io.orchestra.server.ui;

import io.javalin.router.JavalinDefaultRoutingApi;
import io.orchestra.agents.persona.Persona;
import io.orchestra.agents.persona.PersonaCheck;
import io.orchestra.agents.persona.PersonaJson;
import io.orchestra.agents.persona.PersonaParser;
import io.orchestra.agents.persona.PersonaRef;
import io.orchestra.agents.persona.PersonaStore;
import io.orchestra.agents.persona.PersonaVersion;
import io.orchestra.agents.persona.StoredPersona;
import io.orchestra.core.auth.Principal;
import io.orchestra.core.error.ProblemException;
import io.orchestra.core.error.Validation;
import io.orchestra.core.json.Json;
import io.orchestra.gateway.Gateway;
import io.orchestra.server.http.Access;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * /ui/personas: list, create and edit personas (each save a new version, judged by PersonaParser
 * exactly as /api/personas judges it), the version history, and a link to test-chat in the
 * playground. Members see the deployment's personas and their own, and change only their own.
 */
public final class PersonasPage implements UiPage {
    static final String NEW = "/ui/personas/_new";

    /** A persona in the list, with where its page is and how this user names it in the playground. */
    public record Row(StoredPersona stored, String path, String chat) {}

    /** One field that differs from the version before: its value then and now. */
    public record Change(String field, String before, String after) {}

    /** One saved version for the history, with what changed since the version before it. */
    public record VersionView(
            int version, String author, String createdAt, List<Change> changes, String definition, boolean current) {
        public List<String> changed() {
            return changes.stream().map(Change::field).toList();
        }
    }

    /** What the editor says above the form after an action. */
    public enum Outcome {
        NONE,
        SAVED,
        UNCHANGED,
        RESTORED
    }

    private final PersonaStore personas;
    private final PersonaCheck check;
    private final Gateway gateway;

    public PersonasPage(PersonaStore personas, PersonaCheck check, Gateway gateway) {
        this.personas = personas;
        this.check = check;
        this.gateway = gateway;
    }

    @Override
    public String path() {
        return "/ui/personas";
    }

    @Override
    public String title() {
        return "Personas";
    }

    @Override
    public boolean adminOnly() {
        return false;
    }

    @Override
    public void show(UiRequest request) {
        Map<String, Object> model = new HashMap<>();
        model.put(
                "personas",
                personas.list(request.user()).stream()
                        .map(p -> {
                            String reference = personas.reference(p, request.user());
                            return new Row(p, path(p, reference), chat(reference));
                        })
                        .toList());
        model.put("owner", request.user().owner());
        model.put("admin", request.user().isAdmin());
        model.put("deleted", request.ctx().queryParam("deleted"));
        request.page("personas.jte", title(), model);
    }

    @Override
    public void addActions(JavalinDefaultRoutingApi routes, UiGuard guard) {
        // "_new" cannot be a persona id (ids are lowercase letters, digits and dashes), so the paths never collide.
        routes.get(
                NEW,
                guard.signedIn(false, r -> editor(r, null, PersonaForm.empty(), FieldErrors.NONE, Outcome.NONE)),
                Access.PUBLIC);
        routes.post("/ui/personas", guard.signedIn(false, this::create), Access.PUBLIC);
        routes.get("/ui/personas/{id}", guard.signedIn(false, this::open), Access.PUBLIC);
        routes.post("/ui/personas/{id}", guard.signedIn(false, this::update), Access.PUBLIC);
        routes.post("/ui/personas/{id}/restore", guard.signedIn(false, this::restore), Access.PUBLIC);
        routes.post("/ui/personas/{id}/delete", guard.signedIn(false, this::delete), Access.PUBLIC);
    }

    /** The page's path: the id, with the owner when the bare id would name another persona for this user. */
    private static String path(StoredPersona stored, String reference) {
        String path = "/ui/personas/" + stored.persona().id();
        return reference.contains("/")
                ? path + "?owner=" + java.net.URLEncoder.encode(stored.owner(), java.nio.charset.StandardCharsets.UTF_8)
                : path;
    }

    private String path(StoredPersona stored, Principal user) {
        return path(stored, personas.reference(stored, user));
    }

    /** The playground link that chats with the persona this reference names. */
    static String chat(String reference) {
        return "/ui/playground?target=" + PlaygroundPage.PERSONA
                + (reference.contains("/")
                        ? java.net.URLEncoder.encode(reference, java.nio.charset.StandardCharsets.UTF_8)
                        : reference);
    }

    private static String saved(String path) {
        return after(path, "saved");
    }

    private static String after(String path, String outcome) {
        return path + (path.contains("?") ? "&" : "?") + outcome;
    }

    private static PersonaRef ref(UiRequest request) {
        return PersonaRef.of(
                request.ctx().pathParam("id"),
                java.util.Optional.ofNullable(request.ctx().queryParam("owner")));
    }

    private void open(UiRequest request) {
        String id = request.ctx().pathParam("id");
        StoredPersona stored;
        try {
            stored = personas.get(ref(request), request.user());
        } catch (ProblemException e) {
            notFound(request, id);
            return;
        }
        var ctx = request.ctx();
        Outcome outcome = ctx.queryParam("saved") != null
                ? Outcome.SAVED
                : ctx.queryParam("unchanged") != null
                        ? Outcome.UNCHANGED
                        : ctx.queryParam("restored") != null ? Outcome.RESTORED : Outcome.NONE;
        editor(request, stored, PersonaForm.of(stored.persona()), FieldErrors.NONE, outcome);
    }

    private void create(UiRequest request) {
        PersonaForm form = PersonaForm.from(request.ctx());
        Validation v = new Validation();
        Persona persona = PersonaParser.parse(form.toDefinition(), null, v);
        if (persona != null) {
            check.check(persona, request.user(), v);
        }
        if (!v.ok()) {
            editor(request, null, form, new FieldErrors(v.errors()), Outcome.NONE);
            return;
        }
        StoredPersona created;
        try {
            created = personas.create(persona, request.user());
        } catch (ProblemException e) {
            editor(request, null, form, new FieldErrors(List.of("id: " + e.detail())), Outcome.NONE);
            return;
        }
        request.ctx().redirect(saved(path(created, request.user())));
    }

    private void update(UiRequest request) {
        String id = request.ctx().pathParam("id");
        StoredPersona stored;
        try {
            stored = personas.get(ref(request), request.user());
        } catch (ProblemException e) {
            notFound(request, id);
            return;
        }
        PersonaForm form = PersonaForm.from(request.ctx());
        Validation v = new Validation();
        // The id comes from the path, as with PUT /api/personas/{id}.
        JsonNode definition = form.toDefinition().put("id", id);
        Persona persona = PersonaParser.parse(definition, id, v);
        if (persona != null) {
            check.check(persona, request.user(), v);
        }
        if (!v.ok()) {
            editor(request, stored, form, new FieldErrors(v.errors()), Outcome.NONE);
            return;
        }
        StoredPersona updated;
        try {
            updated =
                    personas.update(PersonaRef.of(id, java.util.Optional.of(stored.owner())), persona, request.user());
        } catch (ProblemException e) {
            request.ctx().status(e.status());
            editor(request, stored, form, new FieldErrors(List.of(e.detail())), Outcome.NONE);
            return;
        }
        String path = path(updated, request.user());
        request.ctx().redirect(updated.version() == stored.version() ? after(path, "unchanged") : saved(path));
    }

    /** Makes an earlier version current again, as a new version; one that names what no longer exists is refused. */
    private void restore(UiRequest request) {
        String id = request.ctx().pathParam("id");
        StoredPersona stored;
        PersonaVersion version;
        try {
            stored = personas.get(ref(request), request.user());
            version = personas.version(
                    PersonaRef.of(id, java.util.Optional.of(stored.owner())),
                    Integer.parseInt(request.ctx().formParam("version")),
                    request.user());
        } catch (ProblemException | NumberFormatException e) {
            notFound(request, id);
            return;
        }
        Validation v = new Validation();
        check.check(version.persona(), request.user(), v);
        if (!v.ok()) {
            editor(request, stored, PersonaForm.of(version.persona()), new FieldErrors(v.errors()), Outcome.NONE);
            return;
        }
        StoredPersona updated = personas.update(
                PersonaRef.of(id, java.util.Optional.of(stored.owner())), version.persona(), request.user());
        request.ctx().redirect(after(path(updated, request.user()), "restored"));
    }

    /** Soft-deletes the persona (its history stays with its owner); htmx asked for confirmation first. */
    private void delete(UiRequest request) {
        String id = request.ctx().pathParam("id");
        StoredPersona stored;
        try {
            stored = personas.get(ref(request), request.user());
        } catch (ProblemException e) {
            notFound(request, id);
            return;
        }
        personas.delete(PersonaRef.of(id, java.util.Optional.of(stored.owner())), request.user());
        String to = "/ui/personas?deleted=" + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8);
        if (request.ctx().header("HX-Request") != null) {
            request.ctx().header("HX-Redirect", to);
            return;
        }
        request.ctx().redirect(to);
    }

    /**
     * Renders the editor. A form with problems is answered 200, like a failed sign-in: it is a
     * normal page asking for corrections, not a broken resource (the browser logs 4xx pages as errors).
     */
    private void editor(
            UiRequest request, StoredPersona stored, PersonaForm form, FieldErrors errors, Outcome outcome) {
        Map<String, Object> model = new HashMap<>();
        model.put("stored", stored);
        String reference = stored == null ? null : personas.reference(stored, request.user());
        model.put("chat", reference == null ? null : chat(reference));
        model.put("path", stored == null ? "/ui/personas" : path(stored, reference));
        model.put("form", form);
        model.put("errors", errors);
        model.put("outcome", outcome);
        model.put(
                "ownerParam",
                stored == null
                        ? ""
                        : "owner="
                                + java.net.URLEncoder.encode(stored.owner(), java.nio.charset.StandardCharsets.UTF_8));
        model.put("writable", stored == null || writable(stored, request.user()));
        model.put("models", gateway.models());
        model.put("scopes", new TreeSet<>(PersonaParser.SCOPES));
        model.put("searchProviders", new TreeSet<>(PersonaParser.SEARCH_PROVIDERS));
        model.put("blends", new TreeSet<>(PersonaParser.BLENDS));
        model.put(
                "versions",
                stored == null
                        ? List.of()
                        : history(
                                stored.version(),
                                personas.versions(
                                        PersonaRef.of(stored.persona().id(), java.util.Optional.of(stored.owner())),
                                        request.user())));
        request.page(
                "persona.jte",
                stored == null ? "New persona" : "Persona " + stored.persona().name(),
                model);
    }

    /** Same rule as PersonaStore: admins change any persona, members only their own. */
    private static boolean writable(StoredPersona stored, Principal user) {
        return user.isAdmin() || stored.owner().equals(user.owner());
    }

    private static List<VersionView> history(int currentVersion, List<PersonaVersion> versions) {
        List<VersionView> views = new ArrayList<>();
        for (int i = 0; i < versions.size(); i++) {
            JsonNode current = PersonaJson.write(versions.get(i).persona());
            List<Change> changes = new ArrayList<>();
            if (i + 1 < versions.size()) {
                JsonNode previous = PersonaJson.write(versions.get(i + 1).persona());
                current.propertyNames().forEach(field -> {
                    if (!current.get(field).equals(previous.get(field))) {
                        changes.add(new Change(field, shown(previous.get(field)), shown(current.get(field))));
                    }
                });
            }
            PersonaVersion v = versions.get(i);
            views.add(new VersionView(
                    v.version(),
                    v.author(),
                    UiFormat.time(v.createdAt()),
                    changes,
                    Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(current),
                    v.version() == currentVersion));
        }
        return views;
    }

    /** A field's value for the diff: text as it is, anything else as compact JSON. */
    private static String shown(JsonNode value) {
        if (value == null || value.isNull()) {
            return "(none)";
        }
        return value.isString() ? value.asString() : Json.write(value);
    }

    /** 200 with an explanation: the server turns every 404 into problem+json, which a browser user cannot act on. */
    private static void notFound(UiRequest request, String id) {
        request.page("persona-missing.jte", "Persona not found", Map.of("id", id));
    }
}
