package io.orchestra.server.gateway;

import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.orchestra.agents.chat.PersonaChat;
import io.orchestra.core.auth.Principal;
import io.orchestra.core.error.ProblemException;
import io.orchestra.core.json.Json;
import io.orchestra.gateway.ChatResult;
import io.orchestra.gateway.Endpoint;
import io.orchestra.gateway.Gateway;
import io.orchestra.gateway.StreamSink;
import io.orchestra.gateway.routing.Router;
import io.orchestra.server.auth.ModelAccess;
import io.orchestra.server.http.Bodies;
import io.orchestra.server.http.ClientGone;
import io.orchestra.server.http.Requests;
import io.orchestra.server.http.RouteGroup;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The OpenAI-compatible surface: /v1/chat/completions, /v1/embeddings, /v1/models. */
public final class GatewayRoutes implements RouteGroup {
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.UTF_8);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] LINE_DATA = "\ndata: ".getBytes(StandardCharsets.UTF_8);
    static final String PERSONA_PREFIX = "persona:";
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);

    private final Gateway gateway;
    private final PersonaChat personas;
    private final ModelAccess access;

    public GatewayRoutes(Gateway gateway, PersonaChat personas, ModelAccess access) {
        this.gateway = gateway;
        this.personas = personas;
        this.access = access;
    }

    @Override
    public void addRoutes(JavalinDefaultRoutingApi routes) {
        routes.post("/v1/chat/completions", this::chat);
        routes.post("/v1/embeddings", this::embeddings);
        routes.get("/v1/models", this::models);
        // <id>, not {id}: the id may hold slashes (openai/gpt-4o).
        routes.get("/v1/models/<id>", this::model);
    }

    /** The request body; a body that is not a JSON object is refused, and the refusal logged like any other. */
    private ObjectNode object(Context ctx, Endpoint endpoint) {
        try {
            return object(ctx);
        } catch (ProblemException e) {
            throw gateway.refused(Requests.principal(ctx), endpoint, e);
        }
    }

    private void requireAccess(Context ctx, Endpoint endpoint, ObjectNode request) {
        requireModel(access, gateway, Requests.principal(ctx), endpoint, request);
    }

    /**
     * The key's allowed models, for {@code /v1} and the Playground alike; a refusal is logged like any other (the
     * caller finds its 403 and the reason).
     */
    public static void requireModel(
            ModelAccess access, Gateway gateway, Principal caller, Endpoint endpoint, ObjectNode request) {
        try {
            access.require(caller, request.path("model").asString(""));
        } catch (ProblemException e) {
            throw gateway.refused(caller, endpoint, request, e);
        }
    }

    private static ObjectNode object(Context ctx) {
        JsonNode body = Bodies.tree(ctx);
        if (!body.isObject()) {
            throw ProblemException.badRequest("the request body must be a JSON object");
        }
        return (ObjectNode) body;
    }

    private void chat(Context ctx) {
        ObjectNode request = object(ctx, Endpoint.CHAT);
        String model = request.path("model").asString("");
        requireAccess(ctx, Endpoint.CHAT, request);
        if (model.startsWith(PERSONA_PREFIX)) {
            personaChat(ctx, model.substring(PERSONA_PREFIX.length()), request);
            return;
        }
        if (request.path("stream").asBoolean(false)) {
            gateway.chatStream(Requests.principal(ctx), request, name -> ctx.header(name), new HttpSink(ctx));
            return;
        }
        ChatResult result = gateway.chat(Requests.principal(ctx), request, name -> ctx.header(name));
        result.headers().forEach(ctx::header);
        ctx.contentType("application/json").result(result.bytes());
    }

    /** {@code model: "persona:<id>"} (or {@code persona:auto}) talks to a persona through any OpenAI client. */
    private void personaChat(Context ctx, String persona, ObjectNode request) {
        String session = request.path("session_id").isString()
                ? request.path("session_id").asString()
                : ctx.header("x-orchestra-session");
        ObjectNode options = request.deepCopy();
        for (String field : new String[] {"model", "messages", "stream", "stream_options", "session_id"}) {
            options.remove(field);
        }
        JsonNode messages = request.path("messages");
        if (!messages.isArray()) {
            throw ProblemException.badRequest("'messages' must be an array");
        }
        PersonaChat.Request chat = new PersonaChat.Request(
                persona, session, (ArrayNode) messages, request.path("stream").asBoolean(false), options);
        if (chat.stream()) {
            personas.stream(Requests.principal(ctx), chat, name -> ctx.header(name), new HttpSink(ctx));
            return;
        }
        ChatResult result = personas.chat(Requests.principal(ctx), chat, name -> ctx.header(name));
        result.headers().forEach(ctx::header);
        ctx.contentType("application/json").result(Json.writeBytes(result.body()));
    }

    private void embeddings(Context ctx) {
        ObjectNode request = object(ctx, Endpoint.EMBEDDINGS);
        requireAccess(ctx, Endpoint.EMBEDDINGS, request);
        ChatResult result = gateway.embeddings(Requests.principal(ctx), request, name -> ctx.header(name));
        result.headers().forEach(ctx::header);
        ctx.contentType("application/json").result(Json.writeBytes(result.body()));
    }

    private void models(Context ctx) {
        ObjectNode body = Json.object();
        body.put("object", "list");
        ArrayNode data = body.putArray("data");
        access.visible(Requests.principal(ctx), gateway.models()).forEach(id -> data.add(model(id)));
        ctx.json(body);
    }

    /** GET /v1/models/{id}: one model of the list, or OpenAI's 404 {@code model_not_found}. */
    private void model(Context ctx) {
        String id = ctx.pathParam("id");
        if (!access.visible(Requests.principal(ctx), gateway.models()).contains(id)) {
            throw Router.modelNotFound(id); // a model the key may not use is as absent as an unknown one
        }
        ctx.json(model(id));
    }

    /** OpenAI's model object: an alias is Orchestra's, a provider/model name its provider's. */
    private static ObjectNode model(String id) {
        ObjectNode model = Json.object();
        model.put("id", id);
        model.put("object", "model");
        model.put("created", 0);
        model.put("owned_by", id.contains("/") ? id.substring(0, id.indexOf('/')) : "orchestra");
        return model;
    }

    /** Writes server-sent events straight to the response (also used for persona streams). */
    public static final class HttpSink implements StreamSink {
        private final Context ctx;
        private OutputStream out;
        private boolean buffered;

        public HttpSink(Context ctx) {
            this.ctx = ctx;
        }

        @Override
        public void open(Map<String, String> headers) {
            headers.forEach(ctx::header);
            ctx.contentType("text/event-stream; charset=utf-8");
            ctx.header("Cache-Control", "no-cache");
            ctx.header("X-Accel-Buffering", "no");
            try {
                // The servlet stream, not ctx.outputStream(): Javalin buffers the latter until the handler returns.
                out = ctx.res().getOutputStream();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void chunk(String json) {
            buffer(json);
            flush();
        }

        @Override
        public void buffer(String json) {
            try {
                if (json.indexOf('\n') < 0) {
                    out.write(DATA);
                    out.write(json.getBytes(StandardCharsets.UTF_8));
                } else {
                    // JSON a provider wrote over several lines: one data line each, or the event would end early.
                    String[] lines = json.split("\n", -1);
                    for (int i = 0; i < lines.length; i++) {
                        out.write(i == 0 ? DATA : LINE_DATA);
                        out.write(lines[i].getBytes(StandardCharsets.UTF_8));
                    }
                }
                out.write(END);
                buffered = true;
            } catch (IOException e) {
                throw new ClientGone(e);
            }
        }

        @Override
        public void flush() {
            if (!buffered) {
                return;
            }
            try {
                out.flush();
                buffered = false;
            } catch (IOException e) {
                throw new ClientGone(e);
            }
        }

        /** The error event, then the end of the response without {@code [DONE]}: the answer is not complete. */
        @Override
        public void error(String json) {
            buffer(json);
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException("client went away", e);
            }
        }

        @Override
        public void done() {
            try {
                out.write(DONE);
                // Closing ends the response now, in one write with the terminating chunk, before the
                // gateway's bookkeeping (usage, cache store) runs.
                out.close();
            } catch (IOException e) {
                throw new ClientGone(e);
            }
        }
    }
}
