package io.orchestra.server.ui;

import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.orchestra.core.auth.Principal;
import io.orchestra.server.auth.ApiKeyStore;
import io.orchestra.server.http.Access;
import io.orchestra.server.http.RouteGroup;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * /ui: the admin web UI. Every path is listed here; pages are {@link UiPage}s. All routes are
 * PUBLIC to the key auth because the UI checks its own session cookie ({@link UiGuard}).
 */
public final class UiRoutes implements RouteGroup {
    private static final String HTMX = "/META-INF/resources/webjars/htmx.org/2.0.4/dist/htmx.min.js";
    private static final String LOGIN_COOKIE = "orchestra_ui_login";

    private final ApiKeyStore keys;
    private final UiSessions sessions;
    private final TrafficStats traffic;
    private final UiGuard guard;
    private final UiRenderer renderer;
    private final List<UiPage> pages;

    public UiRoutes(
            ApiKeyStore keys, UiSessions sessions, TrafficStats traffic, UiRenderer renderer, List<UiPage> pages) {
        this.keys = keys;
        this.sessions = sessions;
        this.traffic = traffic;
        this.renderer = renderer;
        this.pages = pages;
        this.guard = new UiGuard(sessions, keys, renderer);
        guard.nav(new UiNav(pages));
    }

    @Override
    public void addRoutes(JavalinDefaultRoutingApi routes) {
        // Feed the overview's per-minute aggregates from every request except the UI's own.
        routes.before(ctx -> ctx.attribute("ui.started", System.nanoTime()));
        routes.after(ctx -> {
            Long started = ctx.attribute("ui.started");
            if (started != null && !ctx.path().startsWith("/ui")) {
                traffic.record(ctx.statusCode(), (System.nanoTime() - started) / 1_000_000);
            }
        });
        routes.get("/ui/assets/htmx-2.0.4.min.js", ctx -> asset(ctx, HTMX, "text/javascript"), Access.PUBLIC);
        // Assets are cached for a year: bump the number in the path whenever the file changes.
        routes.get("/ui/assets/ui-7.css", ctx -> asset(ctx, "/ui/ui.css", "text/css"), Access.PUBLIC);
        routes.get(
                "/ui/assets/playground-3.js", ctx -> asset(ctx, "/ui/playground.js", "text/javascript"), Access.PUBLIC);
        routes.get("/ui/assets/markdown-1.js", ctx -> asset(ctx, "/ui/markdown.js", "text/javascript"), Access.PUBLIC);
        routes.get("/ui/assets/upload-2.js", ctx -> asset(ctx, "/ui/upload.js", "text/javascript"), Access.PUBLIC);
        routes.get("/ui/assets/ui-2.js", ctx -> asset(ctx, "/ui/ui.js", "text/javascript"), Access.PUBLIC);
        routes.get("/ui/docs/{page}", guard.signedIn(false, UiDocs::show), Access.PUBLIC);
        routes.get("/ui/login", this::loginForm, Access.PUBLIC);
        routes.post("/ui/login", this::login, Access.PUBLIC);
        routes.post(
                "/ui/logout",
                guard.signedIn(false, r -> {
                    sessions.close(r.session().id());
                    r.ctx()
                            .header("Set-Cookie", cookie(r.ctx(), UiGuard.COOKIE, "", 0))
                            .redirect("/ui/login");
                }),
                Access.PUBLIC);
        for (UiPage page : pages) {
            routes.get(page.path(), guard.signedIn(page.adminOnly(), page::show), Access.PUBLIC);
            page.addActions(routes, guard);
        }
    }

    private void loginForm(Context ctx) {
        String token = UiSessions.randomToken();
        ctx.header("Set-Cookie", cookie(ctx, LOGIN_COOKIE, token, 600));
        renderLogin(ctx, token, null);
    }

    private void renderLogin(Context ctx, String token, String error) {
        Map<String, Object> model = new HashMap<>();
        model.put("csrf", token);
        model.put("error", error);
        ctx.html(renderer.render("login.jte", model));
    }

    /** Sign-in is protected by a double-submit token: the form field must equal the short-lived cookie. */
    private void login(Context ctx) {
        String cookieToken = ctx.cookie(LOGIN_COOKIE);
        if (cookieToken == null || !UiGuard.csrfMatches(ctx, cookieToken)) {
            ctx.status(403);
            loginForm(ctx);
            return;
        }
        String secret = Optional.ofNullable(ctx.formParam("key")).orElse("").trim();
        Optional<Principal> principal = secret.isEmpty() ? Optional.empty() : keys.authenticate(secret);
        if (principal.isEmpty()) {
            // 200 with the form again: a failed sign-in is a normal page, not a broken resource.
            renderLogin(
                    ctx,
                    cookieToken,
                    "That key is not valid (unknown or revoked). Paste a key created with 'orchestra keys create' or by an admin.");
            return;
        }
        UiSessions.UiSession session = sessions.open(principal.get().keyId());
        ctx.header("Set-Cookie", cookie(ctx, UiGuard.COOKIE, session.id(), -1));
        ctx.redirect("/ui");
    }

    /** Session cookies: HttpOnly, SameSite=Strict, scoped to /ui, Secure when the request came over https. */
    static String cookie(Context ctx, String name, String value, int maxAgeSeconds) {
        boolean https = io.orchestra.server.http.SecurityHeaders.overHttps(ctx.req());
        return name + "=" + value + "; Path=/ui; HttpOnly; SameSite=Strict"
                + (maxAgeSeconds >= 0 ? "; Max-Age=" + maxAgeSeconds : "") + (https ? "; Secure" : "");
    }

    /** Assets carry their version in the path, so they may be cached for a year. */
    private static void asset(Context ctx, String resource, String type) {
        try (InputStream in = UiRoutes.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing UI asset " + resource);
            }
            ctx.contentType(type)
                    .header("Cache-Control", "public, max-age=31536000, immutable")
                    .result(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
