package io.orchestra.server.agents;

import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.orchestra.agents.run.Run;
import io.orchestra.agents.run.RunStore;
import io.orchestra.agents.teams.TeamRunner;
import io.orchestra.core.error.ProblemException;
import io.orchestra.server.http.Bodies;
import io.orchestra.server.http.Requests;
import io.orchestra.server.http.RouteGroup;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * POST /api/teams/runs {"task": "…"}: starts a team run and answers 202 with its id; follow it at
 * /api/runs/{id}/events, or pass {"wait": true} to get the finished trace in the response.
 */
public final class TeamRoutes implements RouteGroup {
    private final TeamRunner teams;
    private final RunStore runs;

    public TeamRoutes(TeamRunner teams, RunStore runs) {
        this.teams = teams;
        this.runs = runs;
    }

    @Override
    public void addRoutes(JavalinDefaultRoutingApi routes) {
        routes.post("/api/teams/runs", this::start);
    }

    private void start(Context ctx) throws InterruptedException {
        JsonNode body = Bodies.tree(ctx);
        String task = body.path("task").asString("");
        if (task.isBlank() || task.length() > 20_000) {
            throw ProblemException.badRequest("'task' must be 1 to 20000 characters");
        }
        String owner = Requests.principal(ctx).owner();
        String id = teams.start(Requests.principal(ctx), task);
        if (!body.path("wait").asBoolean(false)) {
            ctx.status(202)
                    .header("Location", "/api/runs/" + id)
                    .json(Map.of("run_id", id, "events", "/api/runs/" + id + "/events"));
            return;
        }
        long deadline = System.nanoTime() + 300_000_000_000L;
        Run run = runs.get(id, owner);
        while (run.status().equals("running") && System.nanoTime() < deadline) {
            Thread.sleep(50);
            run = runs.get(id, owner);
        }
        ctx.json(run);
    }
}
