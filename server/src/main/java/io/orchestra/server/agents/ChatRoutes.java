package io.orchestra.server.agents;

import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.orchestra.agents.chat.PersonaChat;
import io.orchestra.core.error.ProblemException;
import io.orchestra.core.json.Json;
import io.orchestra.gateway.ChatResult;
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
 * answered, why, and the session and run ids.
 */
public final class ChatRoutes implements RouteGroup {
    private static final Set<String> FIELDS = Set.of("persona", "message", "messages", "session_id", "stream", "temperature", "max_tokens");

    private final PersonaChat chat;

    public ChatRoutes(PersonaChat chat) {
        this.chat = chat;
    }

    @Override
    public void addRoutes(JavalinDefaultRoutingApi routes) {
        routes.post("/api/chat", this::chat);
    }

    private void chat(Context ctx) {
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
            messages.addObject().put("role", "user").put("content", body.path("message").asString());
        } else if (body.path("messages").isArray()) {
            messages = (ArrayNode) body.path("messages");
        } else {
            throw ProblemException.badRequest("send 'message' (text) or 'messages' (OpenAI messages)");
        }
        ObjectNode options = Json.object();
        if (body.has("temperature")) {
            options.set("temperature", body.get("temperature"));
        }
        if (body.has("max_tokens")) {
            options.set("max_tokens", body.get("max_tokens"));
        }
        PersonaChat.Request request = new PersonaChat.Request(body.path("persona").asString("auto"),
                body.path("session_id").isString() ? body.path("session_id").asString() : null, messages, body.path("stream").asBoolean(false), options);
        if (request.stream()) {
            chat.stream(Requests.principal(ctx), request, name -> ctx.header(name), new io.orchestra.server.gateway.GatewayRoutes.HttpSink(ctx));
            return;
        }
        ChatResult result = chat.chat(Requests.principal(ctx), request, name -> ctx.header(name));
        result.headers().forEach(ctx::header);
        ctx.contentType("application/json").result(Json.writeBytes(result.body()));
    }
}
