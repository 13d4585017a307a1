package io.orchestra.agents.run;

import io.orchestra.core.error.ProblemException;
import io.orchestra.core.storage.Database;
import io.orchestra.core.util.Ids;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Writes traces as runs progress and tells live listeners (the SSE route) about each change. Step
 * numbers are allocated under the run's row, so parallel sub-tasks never collide.
 */
public final class RunStore {
    private final Database database;
    private final Clock clock;
    private final Map<String, List<Consumer<RunEvent>>> listeners = new ConcurrentHashMap<>();

    public RunStore(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    public String start(String owner, String kind, String personaId, String sessionId, String input) {
        String id = Ids.newId("run");
        database.jdbi()
                .useHandle(h -> h.createUpdate("""
                        INSERT INTO agent_runs (id, owner, kind, persona_id, session_id, input, status, started_at)
                        VALUES (:id, :owner, :kind, :persona, :session, :input, 'running', :now)""")
                        .bind("id", id)
                        .bind("owner", owner)
                        .bind("kind", kind)
                        .bind("persona", personaId)
                        .bind("session", sessionId)
                        .bind("input", input)
                        .bind("now", clock.millis())
                        .execute());
        return id;
    }

    /** Opens a step and returns its sequence number. */
    public synchronized int beginStep(
            String runId, Integer parentSeq, String kind, String name, String personaId, String input) {
        int seq = database.jdbi().inTransaction(h -> {
            int next = h.createQuery("SELECT COALESCE(MAX(seq), 0) + 1 FROM agent_run_steps WHERE run_id = :run")
                    .bind("run", runId)
                    .mapTo(Integer.class)
                    .one();
            h.createUpdate("""
                            INSERT INTO agent_run_steps (id, run_id, seq, parent_seq, kind, name, persona_id, input, status, started_at)
                            VALUES (:id, :run, :seq, :parent, :kind, :name, :persona, :input, 'running', :now)""")
                    .bind("id", Ids.newId("stp"))
                    .bind("run", runId)
                    .bind("seq", next)
                    .bind("parent", parentSeq)
                    .bind("kind", kind)
                    .bind("name", name)
                    .bind("persona", personaId)
                    .bind("input", input)
                    .bind("now", clock.millis())
                    .execute();
            return next;
        });
        publish(new RunEvent(runId, "step.started", seq, kind, name, "running", null));
        return seq;
    }

    public void endStep(String runId, int seq, String output, Usage usage, String error) {
        String status = error == null ? "done" : "failed";
        database.jdbi()
                .useHandle(h -> h.createUpdate("""
                        UPDATE agent_run_steps SET output = :output, status = :status, error = :error, prompt_tokens = :pt,
                               completion_tokens = :ct, cost_usd = :cost, finished_at = :now WHERE run_id = :run AND seq = :seq""")
                        .bind("output", output)
                        .bind("status", status)
                        .bind("error", error)
                        .bind("pt", usage.promptTokens())
                        .bind("ct", usage.completionTokens())
                        .bind("cost", usage.costUsd())
                        .bind("now", clock.millis())
                        .bind("run", runId)
                        .bind("seq", seq)
                        .execute());
        publish(new RunEvent(runId, "step.finished", seq, null, null, status, output));
    }

    public void finish(String runId, String output, String error) {
        database.jdbi()
                .useHandle(h -> h.createUpdate("""
                        UPDATE agent_runs SET output = :output, status = :status, error = :error, finished_at = :now,
                               prompt_tokens = (SELECT COALESCE(SUM(prompt_tokens), 0) FROM agent_run_steps WHERE run_id = :id),
                               completion_tokens = (SELECT COALESCE(SUM(completion_tokens), 0) FROM agent_run_steps WHERE run_id = :id),
                               cost_usd = (SELECT COALESCE(SUM(cost_usd), 0) FROM agent_run_steps WHERE run_id = :id)
                        WHERE id = :id""")
                        .bind("output", output)
                        .bind("status", error == null ? "done" : "failed")
                        .bind("error", error)
                        .bind("now", clock.millis())
                        .bind("id", runId)
                        .execute());
        publish(new RunEvent(runId, "run.finished", null, null, null, error == null ? "done" : "failed", output));
        listeners.remove(runId);
    }

    public Run get(String id, String owner) {
        return database.jdbi().withHandle(h -> {
            var run = h.createQuery("SELECT * FROM agent_runs WHERE id = :id AND owner = :owner")
                    .bind("id", id)
                    .bind("owner", owner)
                    .mapToMap()
                    .findOne()
                    .orElseThrow(() -> ProblemException.notFound("no run with id '" + id + "'"));
            List<Run.Step> steps = h.createQuery("SELECT * FROM agent_run_steps WHERE run_id = :id ORDER BY seq")
                    .bind("id", id)
                    .map((rs, ctx) -> step(rs))
                    .list();
            return new Run(
                    id,
                    owner,
                    (String) run.get("kind"),
                    (String) run.get("persona_id"),
                    (String) run.get("session_id"),
                    (String) run.get("input"),
                    (String) run.get("output"),
                    (String) run.get("status"),
                    (String) run.get("error"),
                    ((Number) run.get("prompt_tokens")).intValue(),
                    ((Number) run.get("completion_tokens")).intValue(),
                    ((Number) run.get("cost_usd")).doubleValue(),
                    Instant.ofEpochMilli(((Number) run.get("started_at")).longValue()),
                    run.get("finished_at") == null
                            ? null
                            : Instant.ofEpochMilli(((Number) run.get("finished_at")).longValue()),
                    steps);
        });
    }

    public List<Map<String, Object>> list(String owner, int limit) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("""
                        SELECT id, kind, persona_id, session_id, status, prompt_tokens, completion_tokens, cost_usd, started_at, finished_at
                        FROM agent_runs WHERE owner = :owner ORDER BY started_at DESC LIMIT :limit""")
                        .bind("owner", owner)
                        .bind("limit", limit)
                        .mapToMap()
                        .list());
    }

    /** Listens to a running run's events until it finishes; returns a handle that stops listening. */
    public Runnable listen(String runId, Consumer<RunEvent> listener) {
        listeners.computeIfAbsent(runId, k -> new CopyOnWriteArrayList<>()).add(listener);
        return () -> {
            List<Consumer<RunEvent>> list = listeners.get(runId);
            if (list != null) {
                list.remove(listener);
            }
        };
    }

    private void publish(RunEvent event) {
        List<Consumer<RunEvent>> list = listeners.get(event.runId());
        if (list != null) {
            list.forEach(l -> l.accept(event));
        }
    }

    private static Run.Step step(ResultSet rs) throws SQLException {
        int parent = rs.getInt("parent_seq");
        Integer parentSeq = rs.wasNull() ? null : parent;
        long finished = rs.getLong("finished_at");
        Instant finishedAt = rs.wasNull() ? null : Instant.ofEpochMilli(finished);
        return new Run.Step(
                rs.getInt("seq"),
                parentSeq,
                rs.getString("kind"),
                rs.getString("name"),
                rs.getString("persona_id"),
                rs.getString("input"),
                rs.getString("output"),
                rs.getString("status"),
                rs.getString("error"),
                rs.getInt("prompt_tokens"),
                rs.getInt("completion_tokens"),
                rs.getDouble("cost_usd"),
                Instant.ofEpochMilli(rs.getLong("started_at")),
                finishedAt,
                finishedAt == null ? null : finishedAt.toEpochMilli() - rs.getLong("started_at"));
    }
}
