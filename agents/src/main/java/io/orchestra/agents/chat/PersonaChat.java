package io.orchestra.agents.chat;

import io.orchestra.agents.persona.Persona;
import io.orchestra.agents.persona.PersonaRef;
import io.orchestra.agents.persona.PersonaRouter;
import io.orchestra.agents.persona.PersonaStore;
import io.orchestra.agents.persona.StoredPersona;
import io.orchestra.agents.run.RunStore;
import io.orchestra.agents.run.Usage;
import io.orchestra.agents.session.ChatMessage;
import io.orchestra.agents.session.ChatSession;
import io.orchestra.agents.session.ContextWindow;
import io.orchestra.agents.session.SessionStore;
import io.orchestra.agents.session.Tokens;
import io.orchestra.agents.tools.Tool;
import io.orchestra.agents.tools.Toolbox;
import io.orchestra.core.auth.Principal;
import io.orchestra.core.error.ProblemException;
import io.orchestra.core.json.Json;
import io.orchestra.gateway.ChatResult;
import io.orchestra.gateway.Gateway;
import io.orchestra.gateway.StreamSink;
import io.orchestra.memory.memories.MemoryStore;
import io.orchestra.memory.memories.Recalled;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One chat turn with a persona: pick the persona (or route), load the session's history within a
 * token budget (older turns summarised, never silently dropped), call the model through the
 * gateway (so routing, caching, limits and cost apply), store both turns, and trace the run.
 */
public final class PersonaChat {
    static final String AUTO = "auto";
    /** Recalled memories below this hybrid score are noise, not context. */
    static final double RECALL_THRESHOLD = 0.35;

    private final PersonaStore personas;
    private final PersonaRouter router;
    private final SessionStore sessions;
    private final RunStore runs;
    private final Gateway gateway;
    private final ContextWindow window;
    private final Toolbox toolbox;
    private final MemoryStore memories;
    private final MemoryExtractor extractor;
    private final int maxSteps;
    private final long toolTimeoutMillis;

    /** A chat request. {@code messages} are OpenAI messages; with a session only its new user turn is used. */
    public record Request(String persona, String sessionId, ArrayNode messages, boolean stream, ObjectNode options) {}

    /** What the caller learns besides the completion. */
    public record Meta(
            String personaId, String personaName, double confidence, String reason, String sessionId, String runId) {
        public Map<String, String> headers() {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("x-orchestra-persona", personaId);
            headers.put("x-orchestra-session", sessionId);
            headers.put("x-orchestra-run", runId);
            headers.put("x-orchestra-routing", reason.replaceAll("[^\\x20-\\x7e]", "?"));
            return headers;
        }
    }

    public PersonaChat(
            PersonaStore personas,
            PersonaRouter router,
            SessionStore sessions,
            RunStore runs,
            Gateway gateway,
            ContextWindow window,
            Toolbox toolbox,
            MemoryStore memories,
            MemoryExtractor extractor,
            int maxSteps,
            long toolTimeoutMillis) {
        this.memories = memories;
        this.extractor = extractor;
        this.personas = personas;
        this.router = router;
        this.sessions = sessions;
        this.runs = runs;
        this.gateway = gateway;
        this.window = window;
        this.toolbox = toolbox;
        this.maxSteps = maxSteps;
        this.toolTimeoutMillis = toolTimeoutMillis;
    }

    private record Turn(Persona persona, Meta meta, ChatSession session, ObjectNode upstream, String userText) {}

    private Turn prepare(Principal caller, Request request, Function<String, String> headers) {
        if (request.messages() == null || request.messages().isEmpty()) {
            throw ProblemException.badRequest("'messages' must hold at least one message");
        }
        String userText = lastUserText(request.messages());
        String wanted = request.persona() == null || request.persona().isBlank() ? AUTO : request.persona();
        Persona persona;
        double confidence = 1.0;
        String reason;
        if (wanted.equals(AUTO)) {
            PersonaRouter.Choice choice = router.route(
                    userText,
                    personas.available(caller).stream()
                            .map(StoredPersona::persona)
                            .toList());
            if (choice.persona() == null) {
                throw ProblemException.notFound("no persona is available to answer");
            }
            persona = choice.persona();
            confidence = choice.confidence();
            reason = choice.reason();
        } else {
            persona = personas.get(PersonaRef.parse(wanted), caller).persona();
            reason = "asked for " + persona.name();
        }
        ChatSession session;
        List<ChatMessage> history;
        ArrayNode fresh;
        if (request.sessionId() != null && !request.sessionId().isBlank()) {
            session = sessions.get(request.sessionId(), caller.owner());
            history = sessions.messages(session.id(), caller.owner());
            fresh = Json.mapper().createArrayNode();
            fresh.addObject().put("role", "user").put("content", userText);
        } else {
            session = sessions.create(
                    caller.owner(), persona.id(), userText.length() > 80 ? userText.substring(0, 80) : userText);
            history = List.of();
            fresh = request.messages();
        }
        String runId = runs.start(caller.owner(), "chat", persona.id(), session.id(), userText);
        if (wanted.equals(AUTO)) {
            int step = runs.beginStep(runId, null, "route", "route", persona.id(), userText);
            runs.endStep(runId, step, reason, Usage.NONE, null);
        }
        session = summarizeOverflow(caller, persona, session, history, runId, headers);
        ContextWindow.Plan plan = window.plan(session, history);

        ObjectNode upstream =
                request.options() == null ? Json.object() : request.options().deepCopy();
        upstream.put("model", persona.model());
        if (!upstream.has("temperature")) {
            upstream.put("temperature", persona.temperature());
        }
        ArrayNode messages = upstream.putArray("messages");
        StringBuilder system = new StringBuilder(persona.systemPrompt());
        if (plan.summary() != null && !plan.summary().isBlank()) {
            system.append("\n\nSummary of the earlier conversation:\n").append(plan.summary());
        }
        List<String> scope = new java.util.ArrayList<>(persona.memory().readFrom());
        scope.add(persona.id());
        List<Recalled> recalled = memories.recall(caller.owner(), userText, 5, scope, List.of(), null, null).stream()
                .filter(r -> r.score() >= RECALL_THRESHOLD)
                .toList();
        if (!recalled.isEmpty()) {
            system.append("\n\nWhat you remember about the user (cite by id when you use it):");
            recalled.forEach(r -> system.append("\n- [")
                    .append(r.memory().id())
                    .append("] ")
                    .append(r.memory().text()));
            int step = runs.beginStep(runId, null, "recall", "recall", persona.id(), userText);
            // One line per memory with its text, so a trace (and the UI playground) shows what was recalled, not only
            // ids.
            runs.endStep(
                    runId,
                    step,
                    recalled.stream()
                            .map(r -> "[" + r.memory().id() + "] " + r.memory().text()
                                    + String.format(java.util.Locale.ROOT, " (score %.2f)", r.score()))
                            .collect(java.util.stream.Collectors.joining("\n")),
                    Usage.NONE,
                    null);
        }
        messages.addObject().put("role", "system").put("content", system.toString());
        for (ChatMessage message : plan.recent()) {
            messages.addObject().put("role", message.role()).put("content", message.content());
        }
        for (JsonNode message : fresh) {
            if (!message.path("role").asString("").equals("system")) {
                messages.add(message);
            }
        }
        return new Turn(
                persona,
                new Meta(persona.id(), persona.name(), confidence, reason, session.id(), runId),
                session,
                upstream,
                userText);
    }

    /** Folds turns that no longer fit into the session's summary, through the persona's own model. */
    private ChatSession summarizeOverflow(
            Principal caller,
            Persona persona,
            ChatSession session,
            List<ChatMessage> history,
            String runId,
            Function<String, String> headers) {
        ContextWindow.Plan plan = window.plan(session, history);
        if (plan.toSummarize().isEmpty()) {
            return session;
        }
        StringBuilder transcript = new StringBuilder();
        if (session.summary() != null) {
            transcript.append("Earlier summary: ").append(session.summary()).append("\n\n");
        }
        plan.toSummarize()
                .forEach(m -> transcript
                        .append(m.role())
                        .append(": ")
                        .append(m.content())
                        .append('\n'));
        ObjectNode request = Json.object();
        request.put("model", persona.model());
        request.put("temperature", 0);
        ArrayNode messages = request.putArray("messages");
        messages.addObject()
                .put("role", "system")
                .put(
                        "content",
                        "Summarise this conversation in a few sentences, keeping names, numbers, decisions and open questions.");
        messages.addObject().put("role", "user").put("content", transcript.toString());
        int step = runs.beginStep(runId, null, "summary", "summarise history", persona.id(), null);
        try {
            ChatResult result = gateway.chat(caller, request, headers);
            String summary = result.body()
                    .path("choices")
                    .path(0)
                    .path("message")
                    .path("content")
                    .asString("");
            int upto = plan.toSummarize().getLast().seq();
            sessions.summarize(session.id(), caller.owner(), summary, upto);
            runs.endStep(runId, step, summary, Usage.of(result), null);
            return sessions.get(session.id(), caller.owner());
        } catch (RuntimeException e) {
            runs.endStep(runId, step, null, Usage.NONE, e.getMessage());
            throw e;
        }
    }

    /** A non-streamed turn: the completion (with an {@code orchestra} block) and headers. */
    public ChatResult chat(Principal caller, Request request, Function<String, String> headers) {
        Turn turn = prepare(caller, request, headers);
        try {
            Completed completed = complete(caller, turn, headers);
            return finish(caller, turn, completed);
        } catch (RuntimeException e) {
            runs.finish(turn.meta().runId(), null, e.getMessage());
            throw e;
        }
    }

    private record Completed(ChatResult result, boolean stoppedAtLimit) {}

    /**
     * The model turn, with the tool loop when the persona has tools: the model may call tools,
     * each call runs with a timeout and is recorded as a step, results go back to the model,
     * until it answers or the step limit is reached.
     */
    private Completed complete(Principal caller, Turn turn, Function<String, String> headers) {
        List<Tool> tools = toolbox.forPersona(turn.persona(), caller.owner());
        ObjectNode request = turn.upstream();
        if (!tools.isEmpty()) {
            ArrayNode declarations = request.putArray("tools");
            Toolbox.declarations(tools).forEach(declarations::add);
        }
        ArrayNode messages = (ArrayNode) request.get("messages");
        ChatResult result = null;
        for (int stepNo = 1; stepNo <= maxSteps; stepNo++) {
            int step = runs.beginStep(
                    turn.meta().runId(),
                    null,
                    "model",
                    turn.persona().model(),
                    turn.persona().id(),
                    null);
            try {
                result = gateway.chat(caller, request, headers);
            } catch (RuntimeException e) {
                runs.endStep(turn.meta().runId(), step, null, Usage.NONE, e.getMessage());
                throw e;
            }
            JsonNode message = result.body().path("choices").path(0).path("message");
            runs.endStep(turn.meta().runId(), step, message.path("content").asString(""), Usage.of(result), null);
            JsonNode calls = message.path("tool_calls");
            if (tools.isEmpty() || !calls.isArray() || calls.isEmpty()) {
                return new Completed(result, false);
            }
            messages.add(message);
            for (JsonNode call : calls) {
                messages.add(runTool(turn, tools, call));
            }
        }
        return new Completed(result, true);
    }

    private ObjectNode runTool(Turn turn, List<Tool> tools, JsonNode call) {
        String name = call.path("function").path("name").asString("");
        String arguments = call.path("function").path("arguments").asString("{}");
        int step = runs.beginStep(
                turn.meta().runId(), null, "tool", name, turn.persona().id(), arguments);
        Tool tool =
                tools.stream().filter(t -> t.name().equals(name)).findFirst().orElse(null);
        ToolOutcome outcome;
        if (tool == null) {
            outcome = ToolOutcome.failed("no tool named '" + name + "' is available");
        } else {
            outcome = parseArguments(arguments)
                    .map(args -> callWithTimeout(tool, args))
                    .orElseGet(() -> ToolOutcome.failed("the arguments are not valid JSON"));
        }
        String output = outcome.output();
        String error = outcome.failed() ? output : null;
        runs.endStep(turn.meta().runId(), step, output, Usage.NONE, error);
        ObjectNode message = Json.object();
        message.put("role", "tool");
        message.put("tool_call_id", call.path("id").asString(""));
        message.put("content", output);
        return message;
    }

    /** What a tool call gave the model: its output, or an error message (also recorded on the step). */
    private record ToolOutcome(String output, boolean failed) {
        static ToolOutcome failed(String why) {
            return new ToolOutcome("error: " + why, true);
        }
    }

    private static java.util.Optional<JsonNode> parseArguments(String arguments) {
        try {
            return java.util.Optional.of(Json.tree(arguments.isBlank() ? "{}" : arguments));
        } catch (RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * Runs the tool on its own virtual thread and waits at most the timeout: on time-out the task is
     * interrupted and the turn goes on at once (an executor's close() would wait for the tool to end).
     */
    private ToolOutcome callWithTimeout(Tool tool, JsonNode args) {
        java.util.concurrent.FutureTask<String> task =
                new java.util.concurrent.FutureTask<>(() -> tool.call().apply(args));
        Thread.ofVirtual().name("tool-" + tool.name()).start(task);
        try {
            return new ToolOutcome(task.get(toolTimeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS), false);
        } catch (java.util.concurrent.TimeoutException e) {
            task.cancel(true);
            return ToolOutcome.failed("the tool did not answer within " + toolTimeoutMillis + " ms");
        } catch (java.util.concurrent.ExecutionException e) {
            String message = e.getCause().getMessage();
            return ToolOutcome.failed(message == null ? e.getCause().getClass().getSimpleName() : message);
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            return ToolOutcome.failed("interrupted");
        }
    }

    private ChatResult finish(Principal caller, Turn turn, Completed completed) {
        ObjectNode body = completed.result().body().deepCopy();
        String answer =
                body.path("choices").path(0).path("message").path("content").asString("");
        store(caller, turn, answer, Usage.tokens(body.path("usage"), 0));
        runs.finish(turn.meta().runId(), answer, null);
        ObjectNode meta = meta(turn.meta());
        if (completed.stoppedAtLimit()) {
            meta.put("stopped", "the tool loop reached its limit of " + maxSteps + " model calls");
        }
        body.set("orchestra", meta);
        Map<String, String> out = new LinkedHashMap<>(completed.result().headers());
        out.putAll(turn.meta().headers());
        return new ChatResult(body, out);
    }

    /**
     * A streamed turn. Every model round streams from the provider: text goes to the client as it
     * arrives, tool calls are assembled from the streamed deltas and run, and the next round streams
     * the answer. The reply is stored once the stream ends.
     */
    public void stream(Principal caller, Request request, Function<String, String> headers, StreamSink sink) {
        Turn turn = prepare(caller, request, headers);
        String runId = turn.meta().runId();
        List<Tool> tools = toolbox.forPersona(turn.persona(), caller.owner());
        ObjectNode upstream = turn.upstream();
        if (!tools.isEmpty()) {
            ArrayNode declarations = upstream.putArray("tools");
            Toolbox.declarations(tools).forEach(declarations::add);
        }
        upstream.put("stream", true);
        upstream.putObject("stream_options").put("include_usage", true);
        ArrayNode messages = (ArrayNode) upstream.get("messages");
        PersonaStream out = new PersonaStream(sink, turn.meta().headers());
        Usage usage = Usage.NONE;
        for (int stepNo = 1; stepNo <= maxSteps; stepNo++) {
            int step = runs.beginStep(
                    runId, null, "model", turn.persona().model(), turn.persona().id(), null);
            PersonaStream.Round round = out.round();
            try {
                gateway.chatStream(caller, upstream, headers, round);
            } catch (RuntimeException e) {
                runs.endStep(runId, step, null, Usage.NONE, e.getMessage());
                runs.finish(runId, null, e.getMessage());
                if (!out.opened()) {
                    throw e; // nothing sent yet: the caller answers with a plain error
                }
                out.fail(e);
                return;
            }
            JsonNode message = round.completion().path("choices").path(0).path("message");
            usage = usage.plus(round.usage());
            runs.endStep(runId, step, message.path("content").asString(""), round.usage(), round.error());
            if (round.error() != null) {
                runs.finish(runId, null, round.error());
                return;
            }
            JsonNode calls = message.path("tool_calls");
            if (tools.isEmpty() || !calls.isArray() || calls.isEmpty() || stepNo == maxSteps) {
                out.finish(round);
                String answer = out.streamed();
                store(caller, turn, answer, usage);
                runs.finish(runId, answer, null);
                return;
            }
            messages.add(message);
            for (JsonNode call : calls) {
                messages.add(runTool(turn, tools, call));
            }
        }
    }

    private void store(Principal caller, Turn turn, String answer, Usage usage) {
        if (extractor != null) {
            extractor.enqueue(caller, turn.persona(), turn.session().id(), turn.userText(), answer);
        }
        sessions.append(turn.session(), "user", turn.userText(), null, Tokens.estimate(turn.userText()), null);
        sessions.append(
                turn.session(),
                "assistant",
                answer,
                turn.persona().id(),
                usage.completionTokens() > 0 ? usage.completionTokens() : Tokens.estimate(answer),
                Json.write(Map.of("run_id", turn.meta().runId())));
    }

    static ObjectNode meta(Meta meta) {
        ObjectNode node = Json.object();
        node.put("persona", meta.personaId());
        node.put("persona_name", meta.personaName());
        node.put("confidence", Math.round(meta.confidence() * 1000) / 1000.0);
        node.put("reason", meta.reason());
        node.put("session_id", meta.sessionId());
        node.put("run_id", meta.runId());
        return node;
    }

    private static String lastUserText(ArrayNode messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode message = messages.get(i);
            if (message.path("role").asString("").equals("user")) {
                JsonNode content = message.get("content");
                if (content != null && content.isString()) {
                    return content.asString();
                }
                if (content != null && content.isArray()) {
                    StringBuilder text = new StringBuilder();
                    content.forEach(part -> text.append(part.path("text").asString("")));
                    return text.toString();
                }
            }
        }
        throw ProblemException.badRequest("the conversation needs a user message");
    }
}
