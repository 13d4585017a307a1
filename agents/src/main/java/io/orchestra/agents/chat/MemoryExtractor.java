package io.orchestra.agents.chat;

import io.orchestra.agents.persona.Persona;
import io.orchestra.core.auth.Principal;
import io.orchestra.core.auth.Role;
import io.orchestra.core.jobs.Job;
import io.orchestra.core.jobs.JobHandler;
import io.orchestra.core.jobs.JobQueue;
import io.orchestra.core.jobs.PermanentJobFailure;
import io.orchestra.core.json.Json;
import io.orchestra.gateway.ChatResult;
import io.orchestra.gateway.Gateway;
import io.orchestra.memory.memories.MemoryStore;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * After a reply, asks the persona's model (through the gateway, so limits and cost apply) for
 * the durable facts the user revealed, and remembers them; near-duplicates merge into existing
 * memories. Runs as a background job so the reply is never delayed.
 */
public final class MemoryExtractor {
    public static final String JOB = "memory.extract";
    static final String PROMPT =
            "Extract durable facts about the user from this exchange (preferences, people, plans, constraints). "
                    + "Answer with JSON {\"facts\": [\"…\"]}; an empty list when there is nothing worth remembering.";
    static final String SCHEMA = """
            {"type":"object","additionalProperties":false,"required":["facts"],
             "properties":{"facts":{"type":"array","maxItems":10,"items":{"type":"string"}}}}""";

    private final JobQueue jobs;
    private final Gateway gateway;
    private final MemoryStore memories;
    private final Runnable wake;

    public MemoryExtractor(JobQueue jobs, Gateway gateway, MemoryStore memories, Runnable wake) {
        this.jobs = jobs;
        this.gateway = gateway;
        this.memories = memories;
        this.wake = wake;
    }

    public void enqueue(Principal caller, Persona persona, String sessionId, String userText, String answer) {
        ObjectNode payload = Json.object();
        payload.put("key_id", caller.keyId())
                .put("key_name", caller.keyName())
                .put("role", caller.role().wire());
        payload.put("model", persona.model()).put("agent", persona.memory().shared() ? null : persona.id());
        payload.put("session_id", sessionId).put("user", userText).put("answer", answer);
        jobs.enqueue(JOB, caller.owner(), Json.write(payload), 2);
        wake.run();
    }

    public JobHandler handler() {
        return (Job job, JobHandler.Progress progress) -> {
            JsonNode p = Json.tree(job.payload());
            Principal caller = new Principal(
                    p.path("key_id").asString(),
                    p.path("key_name").asString(),
                    Role.parse(p.path("role").asString()).orElse(Role.MEMBER),
                    job.owner(),
                    List.of());
            ObjectNode request = Json.object();
            request.put("model", p.path("model").asString());
            request.put("temperature", 0);
            ArrayNode messages = request.putArray("messages");
            messages.addObject().put("role", "system").put("content", PROMPT);
            messages.addObject()
                    .put("role", "user")
                    .put(
                            "content",
                            "User: " + p.path("user").asString() + "\nAssistant: "
                                    + p.path("answer").asString());
            ObjectNode format = request.putObject("response_format");
            format.put("type", "json_schema");
            format.putObject("json_schema")
                    .put("name", "facts")
                    .put("strict", true)
                    .set("schema", Json.tree(SCHEMA));
            ChatResult result = gateway.chat(caller, request, name -> null);
            String content = result.body()
                    .path("choices")
                    .path(0)
                    .path("message")
                    .path("content")
                    .asString("");
            JsonNode facts;
            try {
                facts = Json.tree(content).path("facts");
            } catch (JacksonException e) {
                throw new PermanentJobFailure("the model did not answer with JSON facts");
            }
            String agent = p.path("agent").isString() ? p.path("agent").asString() : null;
            String session = p.path("session_id").asString(null);
            int stored = 0;
            for (JsonNode fact : facts) {
                if (fact.isString() && !fact.asString().isBlank()) {
                    memories.remember(job.owner(), agent, session, fact.asString(), List.of("extracted"), 0.5, null);
                    stored++;
                }
            }
            progress.report(1.0, stored + " facts");
        };
    }
}
