package io.orchestra.server.agents;

import io.javalin.router.JavalinDefaultRoutingApi;
import io.orchestra.agents.session.ChatSession;
import io.orchestra.agents.session.SessionStore;
import io.orchestra.server.http.Requests;
import io.orchestra.server.http.RouteGroup;
import java.util.Map;

/** /api/sessions: a caller's conversations and their history. */
public final class SessionRoutes implements RouteGroup {
    private final SessionStore sessions;

    public SessionRoutes(SessionStore sessions) {
        this.sessions = sessions;
    }

    @Override
    public void addRoutes(JavalinDefaultRoutingApi routes) {
        routes.get(
                "/api/sessions",
                ctx -> ctx.json(Map.of(
                        "data",
                        sessions.list(
                                Requests.principal(ctx).owner(),
                                Requests.queryInt(ctx, "limit", 50, 1, 500),
                                Requests.queryInt(ctx, "offset", 0, 0, Integer.MAX_VALUE)))));
        routes.get("/api/sessions/{id}", ctx -> {
            String owner = Requests.principal(ctx).owner();
            ChatSession session = sessions.get(Requests.pathId(ctx, "id"), owner);
            ctx.json(Map.of("session", session, "messages", sessions.messages(session.id(), owner)));
        });
        routes.delete("/api/sessions/{id}", ctx -> {
            sessions.delete(Requests.pathId(ctx, "id"), Requests.principal(ctx).owner());
            ctx.status(204);
        });
    }
}
