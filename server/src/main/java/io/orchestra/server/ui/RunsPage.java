package io.orchestra.server.ui;

import io.javalin.router.JavalinDefaultRoutingApi;
import io.orchestra.agents.run.Run;
import io.orchestra.agents.run.RunStore;
import io.orchestra.core.error.ProblemException;
import io.orchestra.server.auth.ApiKeyStore;
import io.orchestra.server.http.Access;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** /ui/runs: team runs and chat turns of one owner, newest first, and one run's step timeline (live while it runs). */
public final class RunsPage implements UiPage {
    static final int SHOWN = 100;

    private final RunStore runs;
    private final ApiKeyStore keys;
    private final Clock clock;

    public RunsPage(RunStore runs, ApiKeyStore keys, Clock clock) {
        this.runs = runs;
        this.keys = keys;
        this.clock = clock;
    }

    @Override
    public String path() {
        return "/ui/runs";
    }

    @Override
    public String title() {
        return "Runs";
    }

    @Override
    public boolean adminOnly() {
        return false;
    }

    @Override
    public void show(UiRequest request) {
        UiInput input = UiInput.query(request.ctx());
        OwnerScope scope = OwnerScope.of(request, keys, input);
        Map<String, Object> view = new HashMap<>();
        view.put("scope", scope);
        view.put(
                "runs",
                runs.list(scope.owner(), SHOWN).stream().map(RunSummary::of).toList());
        view.put("errors", input.errors());
        request.page("runs.jte", title(), view);
    }

    @Override
    public void addActions(JavalinDefaultRoutingApi routes, UiGuard guard) {
        routes.get(
                "/ui/runs/{id}",
                guard.signedIn(
                        false,
                        r -> timeline(r).ifPresent(t -> r.page("run.jte", "Run", Map.of("scope", scope(r), "t", t)))),
                Access.PUBLIC);
        routes.get(
                "/ui/runs/{id}/timeline",
                guard.signedIn(
                        false,
                        r -> timeline(r)
                                .ifPresent(t -> r.fragment("run-timeline.jte", Map.of("scope", scope(r), "t", t)))),
                Access.PUBLIC);
    }

    private OwnerScope scope(UiRequest request) {
        return OwnerScope.of(request, keys, UiInput.query(request.ctx()));
    }

    /** The run if this owner has it; otherwise a not-found page has been rendered. */
    private Optional<RunTimeline> timeline(UiRequest request) {
        OwnerScope scope = scope(request);
        try {
            Run run = runs.get(request.ctx().pathParam("id"), scope.owner());
            return Optional.of(RunTimeline.of(run, clock.instant()));
        } catch (ProblemException e) {
            UiNotice.notFound(
                    request,
                    "Run not found",
                    "There is no run with this id for " + scope.owner() + ".",
                    "/ui/runs?" + scope.param(),
                    "the runs");
            return Optional.empty();
        }
    }
}
