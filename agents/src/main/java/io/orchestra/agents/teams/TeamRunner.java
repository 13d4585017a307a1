package io.orchestra.agents.teams;

import io.orchestra.agents.persona.Persona;
import io.orchestra.agents.persona.PersonaStore;
import io.orchestra.agents.persona.StoredPersona;
import io.orchestra.agents.run.RunStore;
import io.orchestra.agents.run.Usage;
import io.orchestra.core.auth.Principal;
import io.orchestra.core.error.ProblemException;
import io.orchestra.core.json.Json;
import io.orchestra.gateway.ChatResult;
import io.orchestra.gateway.Gateway;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A team task: the coordinator writes a plan of sub-tasks (structured output), specialists work
 * on them in parallel (virtual threads, bounded), and the coordinator writes one answer in its
 * own voice. Every step is traced with timings and tokens; listeners see it live.
 */
public final class TeamRunner {
    static final String PLAN_SCHEMA = """
            {"type":"object","additionalProperties":false,"required":["subtasks"],"properties":{"subtasks":{"type":"array","minItems":1,"maxItems":8,
             "items":{"type":"object","additionalProperties":false,"required":["persona","task"],
              "properties":{"persona":{"type":"string"},"task":{"type":"string"}}}}}}""";

    private final PersonaStore personas;
    private final RunStore runs;
    private final Gateway gateway;
    private final int parallelism;

    /** One sub-task of the plan. */
    public record Subtask(String persona, String task) {}

    public TeamRunner(PersonaStore personas, RunStore runs, Gateway gateway, int parallelism) {
        this.personas = personas;
        this.runs = runs;
        this.gateway = gateway;
        this.parallelism = parallelism;
    }

    static final String TRIAGE = "Decide whether this request needs several specialists working on separate sub-tasks "
            + "(complex) or one answer (simple). Answer with JSON {\"complex\": true|false, \"reason\": \"…\"}.";

    /** The coordinator's verdict on a request: team work or a single answer, and why. */
    public record Triage(boolean complex, String reason) {}

    /** Asks the coordinator's model, with a structured output, whether a request needs the team. */
    public Triage triage(Principal caller, String message) {
        Persona coordinator = coordinator(team(caller));
        ObjectNode request = request(coordinator, TRIAGE, message);
        ObjectNode format = request.putObject("response_format");
        format.put("type", "json_schema");
        format.putObject("json_schema")
                .put("name", "triage")
                .put("strict", true)
                .set("schema", Json.tree("""
                {"type":"object","additionalProperties":false,"required":["complex","reason"],
                 "properties":{"complex":{"type":"boolean"},"reason":{"type":"string"}}}"""));
        ChatResult result = gateway.chat(caller, request, name -> null);
        try {
            JsonNode verdict = Json.tree(result.body()
                    .path("choices")
                    .path(0)
                    .path("message")
                    .path("content")
                    .asString("{}"));
            return new Triage(
                    verdict.path("complex").asBoolean(false),
                    verdict.path("reason").asString(""));
        } catch (RuntimeException e) {
            return new Triage(false, "the triage answer was not valid JSON; answering directly");
        }
    }

    /** Starts the run in the background and returns its id at once. */
    public String start(Principal caller, String task) {
        List<Persona> team = team(caller);
        Persona coordinator = coordinator(team);
        String runId = runs.start(caller.owner(), "team", coordinator.id(), null, task);
        Thread.ofVirtual().name("team-" + runId).start(() -> run(caller, runId, coordinator, team, task));
        return runId;
    }

    /**
     * The caller's team: its own personas and the deployment's, never another owner's (an admin's
     * confidential task must not reach a member's persona that calls itself a coordinator).
     */
    private List<Persona> team(Principal caller) {
        return personas.available(caller).stream().map(StoredPersona::persona).toList();
    }

    /** The first coordinator of the team: the caller's own before the deployment's. */
    private static Persona coordinator(List<Persona> team) {
        return team.stream()
                .filter(Persona::coordinator)
                .findFirst()
                .orElseThrow(() ->
                        ProblemException.conflict("no coordinator persona is defined (set coordinator: true on one)"));
    }

    private void run(Principal caller, String runId, Persona coordinator, List<Persona> team, String task) {
        try {
            List<Subtask> plan = plan(caller, runId, coordinator, team, task);
            List<String> results = work(caller, runId, team, plan);
            String answer = synthesize(caller, runId, coordinator, task, plan, results);
            runs.finish(runId, answer, null);
        } catch (RuntimeException e) {
            runs.finish(runId, null, e.getMessage());
        }
    }

    private List<Subtask> plan(Principal caller, String runId, Persona coordinator, List<Persona> team, String task) {
        StringBuilder roster = new StringBuilder();
        for (Persona p : team) {
            if (!p.coordinator()) {
                roster.append("- ")
                        .append(p.id())
                        .append(": ")
                        .append(p.description())
                        .append('\n');
            }
        }
        ObjectNode request = request(
                coordinator,
                coordinator.systemPrompt() + "\n\nWrite a plan: split the user's request into sub-tasks, "
                        + "each for one specialist from this list (use their ids):\n" + roster,
                task);
        ObjectNode format = request.putObject("response_format");
        format.put("type", "json_schema");
        ObjectNode schema = format.putObject("json_schema");
        schema.put("name", "plan");
        schema.put("strict", true);
        schema.set("schema", Json.tree(PLAN_SCHEMA));
        int step = runs.beginStep(runId, null, "plan", "plan", coordinator.id(), task);
        JsonNode answer;
        try {
            ChatResult result = gateway.chat(caller, request, name -> null);
            String content = result.body()
                    .path("choices")
                    .path(0)
                    .path("message")
                    .path("content")
                    .asString("");
            answer = Json.tree(content);
            runs.endStep(runId, step, content, Usage.of(result), null);
        } catch (RuntimeException e) {
            runs.endStep(runId, step, null, Usage.NONE, "the plan was not valid JSON: " + e.getMessage());
            throw e;
        }
        List<Subtask> plan = new ArrayList<>();
        for (JsonNode item : answer.path("subtasks")) {
            String persona = item.path("persona").asString("");
            boolean known = team.stream().anyMatch(p -> p.id().equals(persona) && !p.coordinator());
            plan.add(new Subtask(
                    known ? persona : coordinator.id(), item.path("task").asString("")));
        }
        if (plan.isEmpty()) {
            throw new IllegalStateException("the plan has no sub-tasks");
        }
        return plan;
    }

    private List<String> work(Principal caller, String runId, List<Persona> team, List<Subtask> plan) {
        Semaphore slots = new Semaphore(parallelism);
        List<Future<String>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Subtask subtask : plan) {
                futures.add(pool.submit(() -> {
                    slots.acquire();
                    try {
                        return subtask(caller, runId, team, subtask);
                    } finally {
                        slots.release();
                    }
                }));
            }
            List<String> results = new ArrayList<>();
            for (Future<String> future : futures) {
                try {
                    results.add(future.get());
                } catch (Exception e) {
                    results.add("(this sub-task failed: " + e.getMessage() + ")");
                }
            }
            return results;
        }
    }

    private String subtask(Principal caller, String runId, List<Persona> team, Subtask subtask) {
        Persona persona = team.stream()
                .filter(p -> p.id().equals(subtask.persona()))
                .findFirst()
                .orElseThrow();
        int step = runs.beginStep(
                runId,
                1,
                "subtask",
                subtask.task().length() > 120 ? subtask.task().substring(0, 120) : subtask.task(),
                persona.id(),
                subtask.task());
        try {
            ChatResult result =
                    gateway.chat(caller, request(persona, persona.systemPrompt(), subtask.task()), name -> null);
            String answer = result.body()
                    .path("choices")
                    .path(0)
                    .path("message")
                    .path("content")
                    .asString("");
            runs.endStep(runId, step, answer, Usage.of(result), null);
            return answer;
        } catch (RuntimeException e) {
            runs.endStep(runId, step, null, Usage.NONE, e.getMessage());
            throw e;
        }
    }

    private String synthesize(
            Principal caller,
            String runId,
            Persona coordinator,
            String task,
            List<Subtask> plan,
            List<String> results) {
        StringBuilder work =
                new StringBuilder("The user asked: ").append(task).append("\n\nYour specialists reported:\n");
        for (int i = 0; i < plan.size(); i++) {
            work.append("\n## ")
                    .append(plan.get(i).persona())
                    .append(": ")
                    .append(plan.get(i).task())
                    .append('\n')
                    .append(results.get(i))
                    .append('\n');
        }
        ObjectNode request = request(
                coordinator,
                coordinator.systemPrompt()
                        + "\n\nCombine your specialists' reports into one answer for the user, in your own voice.",
                work.toString());
        int step = runs.beginStep(runId, null, "synthesis", "synthesis", coordinator.id(), null);
        ChatResult result = gateway.chat(caller, request, name -> null);
        String answer = result.body()
                .path("choices")
                .path(0)
                .path("message")
                .path("content")
                .asString("");
        runs.endStep(runId, step, answer, Usage.of(result), null);
        return answer;
    }

    private static ObjectNode request(Persona persona, String system, String user) {
        ObjectNode request = Json.object();
        request.put("model", persona.model());
        request.put("temperature", persona.temperature());
        ArrayNode messages = request.putArray("messages");
        messages.addObject().put("role", "system").put("content", system);
        messages.addObject().put("role", "user").put("content", user);
        return request;
    }
}
