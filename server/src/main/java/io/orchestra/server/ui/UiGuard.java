package io.orchestra.server.ui;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.orchestra.core.auth.Principal;
import io.orchestra.server.auth.ApiKey;
import io.orchestra.server.auth.ApiKeyStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The UI's own session check (its routes are PUBLIC to Javalin's key auth): no session redirects
 * to sign-in, a revoked key ends the session, admin pages refuse members, and every non-GET must
 * carry the session's CSRF token (form field {@code _csrf} or header {@code X-CSRF-Token}).
 */
public final class UiGuard {
    static final String COOKIE = "orchestra_ui";

    private final UiSessions sessions;
    private final ApiKeyStore keys;
    private final UiRenderer renderer;
    private UiNav nav = new UiNav(java.util.List.of());

    public UiGuard(UiSessions sessions, ApiKeyStore keys, UiRenderer renderer) {
        this.sessions = sessions;
        this.keys = keys;
        this.renderer = renderer;
    }

    void nav(UiNav nav) {
        this.nav = nav;
    }

    public Handler signedIn(boolean adminOnly, Consumer<UiRequest> action) {
        return ctx -> {
            Optional<UiSessions.UiSession> session = sessions.find(ctx.cookie(COOKIE));
            Optional<ApiKey> key =
                    session.flatMap(s -> keys.find(s.keyId())).filter(k -> k.active(java.time.Instant.now()));
            if (session.isEmpty() || key.isEmpty()) {
                session.ifPresent(s -> sessions.close(s.id()));
                if (ctx.header("HX-Request") != null) {
                    ctx.header("HX-Redirect", "/ui/login").status(401);
                } else {
                    ctx.redirect("/ui/login");
                }
                return;
            }
            if (!ctx.method().name().equals("GET")
                    && !csrfMatches(ctx, session.get().csrf())) {
                ctx.status(403)
                        .html(
                                "<!doctype html><title>Forbidden</title><p>The form was stale or forged (CSRF token missing or wrong). Reload the page and try again.</p>");
                return;
            }
            Principal user = key.get().principal();
            if (adminOnly && !user.isAdmin()) {
                ctx.status(403)
                        .html(
                                "<!doctype html><title>Forbidden</title><p>This page is for admins. <a href=\"/ui\">Back to the overview</a></p>");
                return;
            }
            action.accept(new UiRequest(ctx, user, session.get(), renderer, nav));
        };
    }

    static boolean csrfMatches(Context ctx, String expected) {
        String given = ctx.header("X-CSRF-Token");
        if (given == null) {
            given = ctx.formParam("_csrf");
        }
        return given != null
                && MessageDigest.isEqual(
                        given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }
}
