package io.orchestra.server.agents;

import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.orchestra.agents.run.Run;
import io.orchestra.agents.run.RunEvent;
import io.orchestra.agents.run.RunStore;
import io.orchestra.core.json.Json;
import io.orchestra.server.http.Requests;
import io.orchestra.server.http.RouteGroup;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** /api/runs: traces of chat turns and team tasks, and their live event stream. */
public final class RunRoutes implements RouteGroup {
    private final RunStore runs;

    public RunRoutes(RunStore runs) {
        this.runs = runs;
    }

    @Override
    public void addRoutes(JavalinDefaultRoutingApi routes) {
        routes.get(
                "/api/runs",
                ctx -> ctx.json(Map.of(
                        "data",
                        runs.list(Requests.principal(ctx).owner(), Requests.queryInt(ctx, "limit", 50, 1, 500)))));
        routes.get(
                "/api/runs/{id}",
                ctx -> ctx.json(runs.get(
                        Requests.pathId(ctx, "id"), Requests.principal(ctx).owner())));
        routes.get("/api/runs/{id}/events", this::events);
    }

    /**
     * Server-sent events: first the steps recorded so far, then each change as it happens, until
     * the run finishes (or at once, for a finished run).
     */
    private void events(Context ctx) throws IOException, InterruptedException {
        String owner = Requests.principal(ctx).owner();
        String id = Requests.pathId(ctx, "id");
        LinkedBlockingQueue<RunEvent> queue = new LinkedBlockingQueue<>();
        Runnable stop = runs.listen(id, queue::add);
        try {
            Run run = runs.get(id, owner);
            ctx.contentType("text/event-stream")
                    .header("Cache-Control", "no-cache")
                    .header("X-Accel-Buffering", "no");
            OutputStream out = ctx.res().getOutputStream();
            for (Run.Step step : run.steps()) {
                send(
                        out,
                        "step",
                        new RunEvent(
                                id,
                                "step.snapshot",
                                step.seq(),
                                step.kind(),
                                step.name(),
                                step.status(),
                                step.output()));
            }
            if (!run.status().equals("running")) {
                send(out, "run", new RunEvent(id, "run.finished", null, null, null, run.status(), run.output()));
                return;
            }
            while (true) {
                RunEvent event = queue.poll(15, TimeUnit.SECONDS);
                if (event == null) {
                    out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    continue;
                }
                send(out, event.type().startsWith("run") ? "run" : "step", event);
                if (event.type().equals("run.finished")) {
                    return;
                }
            }
        } finally {
            stop.run();
        }
    }

    private static void send(OutputStream out, String name, RunEvent event) throws IOException {
        out.write(("event: " + name + "\ndata: " + Json.write(event) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
