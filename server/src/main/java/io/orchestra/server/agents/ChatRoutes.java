package io.orchestra.server.agents;

import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.orchestra.agents.chat.PersonaChat;
import io.orchestra.agents.persona.PersonaStore;
import io.orchestra.agents.run.Run;
import io.orchestra.agents.run.RunStore;
import io.orchestra.agents.teams.TeamRunner;
import io.orchestra.core.auth.Principal;
import io.orchestra.core.error.ProblemException;
import io.orchestra.core.json.Json;
import io.orchestra.gateway.ChatResult;
import io.orchestra.server.auth.ModelAccess;
import io.orchestra.server.http.Bodies;
import io.orchestra.server.http.Requests;
import io.orchestra.server.http.RouteGroup;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * POST /api/chat: {@code {"persona": "sophia"|"auto", "message": "…", "session_id": "…", "stream": false}}.
 * The answer is an OpenAI chat.completion with an {@code orchestra} block saying which persona
 * answered, why, and the session and run ids. A key limited to some models reaches only personas
 * it names or whose model it may use ({@link ModelAccess#requirePersona}).
 */
public final class ChatRoutes implements RouteGroup {
    private static final String AUTO = "auto";
    private static final Set<String> FIELDS =
            Set.of("persona", "message", "messages", "session_id", "stream", "temperature", "max_tokens", "mode");

    private final PersonaChat chat;
    private final TeamRunner teams;
    private final RunStore runs;
    private final PersonaStore personas;
    private final ModelAccess access;

    public ChatRoutes(PersonaChat chat, TeamRunner teams, RunStore runs, PersonaStore personas, ModelAccess access) {
        this.chat = chat;
        this.teams = teams;
        this.runs = runs;
        this.personas = personas;
        this.access = access;
    }

    @Override
    public void addRoutes(JavalinDefaultRoutingApi routes) {
        routes.post("/api/chat", this::chat);
    }

    private void chat(Context ctx) throws InterruptedException {
        JsonNode body = Bodies.tree(ctx);
        if (!body.isObject()) {
            throw ProblemException.badRequest("the request body must be a JSON object");
        }
        for (String field : body.propertyNames()) {
            if (!FIELDS.contains(field)) {
                throw ProblemException.badRequest("unknown field '" + field + "'; known fields: " + FIELDS);
            }
        }
        ArrayNode messages;
        if (body.path("message").isString() && !body.path("message").asString().isBlank()) {
            messages = Json.mapper().createArrayNode();
            messages.addObject()
                    .put("role", "user")
                    .put("content", body.path("message").asString());
        } else if (body.path("messages").isArray() && !body.path("messages").isEmpty()) {
            messages = (ArrayNode) body.path("messages");
        } else {
            throw ProblemException.badRequest(
                    "send 'message' (text) or 'messages' (a non-empty array of OpenAI messages)");
        }
        ObjectNode options = Json.object();
        if (body.has("temperature")) {
            options.set("temperature", body.get("temperature"));
        }
        if (body.has("max_tokens")) {
            options.set("max_tokens", body.get("max_tokens"));
        }
        String mode = body.path("mode").asString("chat");
        if (!Set.of("chat", "team", "auto").contains(mode)) {
            throw ProblemException.badRequest("'mode' must be chat, team or auto");
        }
        String persona = body.path("persona").isString()
                        && !body.path("persona").asString().isBlank()
                ? body.path("persona").asString()
                : AUTO;
        requireAccess(Requests.principal(ctx), persona, mode);
        if (!mode.equals("chat")) {
            String text = messages.get(messages.size() - 1).path("content").asString("");
            TeamRunner.Triage triage = mode.equals("team")
                    ? new TeamRunner.Triage(true, "team mode was asked for")
                    : teams.triage(Requests.principal(ctx), text);
            if (triage.complex()) {
                teamAnswer(ctx, text, triage);
                return;
            }
        }
        PersonaChat.Request request = new PersonaChat.Request(
                persona,
                body.path("session_id").isString() ? body.path("session_id").asString() : null,
                messages,
                body.path("stream").asBoolean(false),
                options);
        if (request.stream()) {
            chat.stream(
                    Requests.principal(ctx),
                    request,
                    name -> ctx.header(name),
                    new io.orchestra.server.gateway.GatewayRoutes.HttpSink(ctx));
            return;
        }
        ChatResult result = chat.chat(Requests.principal(ctx), request, name -> ctx.header(name));
        result.headers().forEach(ctx::header);
        ctx.contentType("application/json").result(Json.writeBytes(result.body()));
    }

    /** The key's allowed models, checked before any model is called: a persona, the router, or a team. */
    private void requireAccess(Principal caller, String persona, String mode) {
        if (access.unlimited(caller)) {
            return;
        }
        if (!mode.equals("chat")) {
            access.requireChosenPersona(
                    caller, ModelAccess.PERSONA + "*", "mode '" + mode + "' (a team may call every persona)");
        }
        access.requirePersonaChat(caller, persona, personas);
    }

    /** Runs the team to the end and answers in the chat.completion shape, with the run's id. */
    private void teamAnswer(Context ctx, String task, TeamRunner.Triage triage) throws InterruptedException {
        String owner = Requests.principal(ctx).owner();
        String id = teams.start(Requests.principal(ctx), task);
        Run run = runs.get(id, owner);
        long deadline = System.nanoTime() + 300_000_000_000L;
        while (run.status().equals("running") && System.nanoTime() < deadline) {
            Thread.sleep(50);
            run = runs.get(id, owner);
        }
        if (!run.status().equals("done")) {
            throw new ProblemException(
                    502,
                    "team-failed",
                    "Team run failed",
                    "the team run " + id + " ended " + run.status() + (run.error() == null ? "" : ": " + run.error()));
        }
        ObjectNode body = Json.object();
        body.put("id", "chatcmpl-" + id);
        body.put("object", "chat.completion");
        body.put("created", run.startedAt().getEpochSecond());
        body.put("model", "team");
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", run.output());
        choice.put("finish_reason", "stop");
        body.putObject("usage")
                .put("prompt_tokens", run.promptTokens())
                .put("completion_tokens", run.completionTokens())
                .put("total_tokens", run.promptTokens() + run.completionTokens());
        body.putObject("orchestra")
                .put("mode", "team")
                .put("run_id", id)
                .put("persona", run.personaId())
                .put("reason", triage.reason());
        ctx.header("x-orchestra-run", id).json(body);
    }
}
