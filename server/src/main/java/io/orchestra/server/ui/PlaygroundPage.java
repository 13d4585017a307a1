package io.orchestra.server.ui;

import io.javalin.router.JavalinDefaultRoutingApi;
import io.orchestra.agents.chat.PersonaChat;
import io.orchestra.agents.persona.PersonaRef;
import io.orchestra.agents.persona.PersonaStore;
import io.orchestra.agents.persona.StoredPersona;
import io.orchestra.agents.run.Run;
import io.orchestra.agents.run.RunStore;
import io.orchestra.core.error.ProblemException;
import io.orchestra.core.error.Validation;
import io.orchestra.core.json.Json;
import io.orchestra.gateway.Endpoint;
import io.orchestra.gateway.Gateway;
import io.orchestra.gateway.usage.RequestRecord;
import io.orchestra.server.auth.ModelAccess;
import io.orchestra.server.gateway.GatewayRoutes;
import io.orchestra.server.gateway.RequestLog;
import io.orchestra.server.http.Access;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * /ui/playground: chat with a persona or a model alias, streamed token by token. The call goes
 * through the same chat and gateway services as /api/chat and /v1/chat/completions, as the signed-in
 * key, so routing, caching, limits and cost accounting apply; the details come from the request
 * log and the run trace.
 */
public final class PlaygroundPage implements UiPage {
    static final String PERSONA = "persona:";
    static final String MODEL = "model:";

    /** One choice in the "talk to" list. */
    public record Choice(String value, String label) {}

    /** What one answer cost and how it came about, shown under the answer. */
    public record Details(RequestRecord call, Run run) {}

    private final PersonaStore personas;
    private final PersonaChat chat;
    private final Gateway gateway;
    private final RunStore runs;
    private final RequestLog log;
    private final ModelAccess access;

    public PlaygroundPage(
            PersonaStore personas,
            PersonaChat chat,
            Gateway gateway,
            RunStore runs,
            RequestLog log,
            ModelAccess access) {
        this.access = access;
        this.personas = personas;
        this.chat = chat;
        this.gateway = gateway;
        this.runs = runs;
        this.log = log;
    }

    @Override
    public String path() {
        return "/ui/playground";
    }

    @Override
    public String title() {
        return "Playground";
    }

    @Override
    public boolean adminOnly() {
        return false;
    }

    @Override
    public void show(UiRequest request) {
        // The personas this user's chats use (never another owner's, for an admin neither), plus one the link names.
        // Only what the signed-in key may use (its allowed models): the same check as /v1 and /api/chat.
        List<Choice> personaChoices = new java.util.ArrayList<>(personas.available(request.user()).stream()
                .filter(p -> access.mayChatWith(
                        request.user(), p.persona().id(), p.persona().model()))
                .map(p -> new Choice(
                        PERSONA + p.persona().id(),
                        p.persona().name() + " (" + p.persona().id() + ")"))
                .toList());
        String selected =
                request.ctx().queryParamAsClass("target", String.class).getOrDefault("");
        if (selected.startsWith(PERSONA)
                && personaChoices.stream().noneMatch(c -> c.value().equals(selected))) {
            named(selected.substring(PERSONA.length()), request).ifPresent(personaChoices::add);
        }
        List<Choice> models = access.visible(request.user(), gateway.models()).stream()
                .map(alias -> new Choice(MODEL + alias, alias))
                .toList();
        Map<String, Object> model = new HashMap<>();
        model.put("personas", personaChoices);
        model.put("models", models);
        model.put("selected", selected);
        request.page("playground.jte", title(), model);
    }

    /** A persona named explicitly ({@code owner/id}), when this user may see it. */
    private java.util.Optional<Choice> named(String reference, UiRequest request) {
        if (reference.isBlank() || reference.equals("auto")) {
            return java.util.Optional.empty();
        }
        try {
            StoredPersona p = personas.get(PersonaRef.parse(reference), request.user());
            return java.util.Optional.of(
                    new Choice(PERSONA + reference, p.persona().name() + " (" + reference + ")"));
        } catch (ProblemException e) {
            return java.util.Optional.empty();
        }
    }

    @Override
    public void addActions(JavalinDefaultRoutingApi routes, UiGuard guard) {
        routes.post("/ui/playground/chat", guard.signedIn(false, this::stream), Access.PUBLIC);
        routes.get("/ui/playground/details", guard.signedIn(false, this::details), Access.PUBLIC);
    }

    /**
     * Streams one turn as server-sent events (the same chunks as /v1). A problem before the first
     * token (unknown model, limits, every provider down) arrives as the stream's error event, the
     * same way as one after it, so the page has one way to show it.
     */
    private void stream(UiRequest request) {
        try {
            send(request);
        } catch (ProblemException e) {
            if (request.ctx().res().isCommitted()) {
                throw e;
            }
            GatewayRoutes.HttpSink sink = new GatewayRoutes.HttpSink(request.ctx());
            sink.open(Map.of());
            ObjectNode error = Json.object();
            error.putObject("error")
                    .put("message", e.errors().isEmpty() ? e.detail() : String.join("; ", e.errors()))
                    .put("type", e.type())
                    .put("status", e.status());
            sink.error(Json.write(error));
            sink.done();
        }
    }

    private void send(UiRequest request) {
        var ctx = request.ctx();
        String target = ctx.formParam("target");
        String message = ctx.formParam("message");
        Validation v = new Validation();
        v.check(message != null && !message.isBlank(), "message: type a message first");
        v.check(
                target != null
                        && (target.startsWith(PERSONA) || target.startsWith(MODEL))
                        && target.indexOf(':') < target.length() - 1,
                "target: choose a persona or a model");
        v.throwIfInvalid();
        ArrayNode messages = history(ctx.formParam("history"));
        messages.addObject().put("role", "user").put("content", message);
        GatewayRoutes.HttpSink sink = new GatewayRoutes.HttpSink(ctx);
        if (target.startsWith(PERSONA)) {
            access.requirePersonaChat(request.user(), target.substring(PERSONA.length()), personas);
            String session = ctx.formParam("session_id");
            chat.stream(
                    request.user(),
                    new PersonaChat.Request(
                            target.substring(PERSONA.length()),
                            session == null || session.isBlank() ? null : session,
                            messages,
                            true,
                            Json.object()),
                    ctx::header,
                    sink);
            return;
        }
        ObjectNode body = Json.object();
        body.put("model", target.substring(MODEL.length()));
        GatewayRoutes.requireModel(access, gateway, request.user(), Endpoint.CHAT, body);
        String system = ctx.formParam("system");
        if (system != null && !system.isBlank()) {
            // The page sends the system prompt with every turn; it is not part of the kept history.
            messages.insert(0, Json.object().put("role", "system").put("content", system));
        }
        temperature(ctx.formParam("temperature")).ifPresent(t -> body.put("temperature", t));
        body.set("messages", messages);
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        gateway.chatStream(request.user(), body, ctx::header, sink);
    }

    /** The temperature typed for an alias chat: empty for the provider's default, else a number from 0 to 2. */
    private static java.util.Optional<Double> temperature(String text) {
        if (text == null || text.isBlank()) {
            return java.util.Optional.empty();
        }
        try {
            double t = Double.parseDouble(text.strip());
            if (t >= 0 && t <= 2) {
                return java.util.Optional.of(t);
            }
        } catch (NumberFormatException e) {
            // refused below, in the form's words
        }
        throw ProblemException.invalid(List.of("temperature: a number from 0 to 2, or empty"));
    }

    /** The earlier turns of a model conversation, kept by the page (personas keep theirs in the session). */
    private static ArrayNode history(String json) {
        if (json == null || json.isBlank()) {
            return Json.mapper().createArrayNode();
        }
        JsonNode node;
        try {
            node = Json.tree(json);
        } catch (RuntimeException e) {
            throw ProblemException.badRequest("history: not valid JSON; start a new conversation");
        }
        if (!node.isArray()) {
            throw ProblemException.badRequest("history: must be a list of messages; start a new conversation");
        }
        return (ArrayNode) node;
    }

    private void details(UiRequest request) {
        var ctx = request.ctx();
        String logId = ctx.queryParam("log");
        String runId = ctx.queryParam("run");
        RequestRecord call = logId == null || logId.isBlank()
                ? null
                : log.awaitRecorded(logId, request.user()).orElse(null);
        Run run = null;
        if (runId != null && !runId.isBlank()) {
            try {
                run = runs.get(runId, request.user().owner());
            } catch (ProblemException e) {
                run = null; // not this user's run, or gone: show what the request log has
            }
        }
        request.fragment("playground-details.jte", Map.of("details", new Details(call, run)));
    }
}
