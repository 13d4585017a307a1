package io.orchestra.server.ui;

import io.javalin.http.Context;
import io.orchestra.core.auth.Principal;
import java.util.HashMap;
import java.util.Map;

/** A request from a signed-in user: the context, who they are, their session, and the renderer. */
public record UiRequest(Context ctx, Principal user, UiSessions.UiSession session, UiRenderer renderer, UiNav nav) {
    /** Renders a full page in the layout; {@code model} holds the template's own parameters. */
    public void page(String template, String title, Map<String, Object> model) {
        Map<String, Object> params = new HashMap<>(model);
        params.put("chrome", new UiChrome(title, ctx.path(), user, session.csrf(), nav.visibleTo(user), origin()));
        ctx.html(renderer.render(template, params));
    }

    /** Scheme and host as the browser sent them (escaped where shown; only ever displayed, never followed). */
    public String origin() {
        String host = ctx.header("Host");
        boolean https = io.orchestra.server.http.SecurityHeaders.overHttps(ctx.req());
        return (https ? "https://" : "http://") + (host == null || host.isBlank() ? "localhost:8000" : host);
    }

    public void fragment(String template, Map<String, Object> model) {
        ctx.html(renderer.render(template, model));
    }
}
