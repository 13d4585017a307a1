package io.orchestra.server.ui;

import io.javalin.router.JavalinDefaultRoutingApi;
import io.orchestra.core.auth.Role;
import io.orchestra.core.error.ProblemException;
import io.orchestra.core.error.Validation;
import io.orchestra.server.auth.ApiKeyStore;
import io.orchestra.server.auth.CreatedKey;
import io.orchestra.server.auth.KeyGrant;
import io.orchestra.server.auth.KeyRoutes;
import io.orchestra.server.http.Access;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * /ui/keys: list, create (the secret is shown once; optionally with an expiry, allowed models and tags)
 * and revoke API keys (confirmed first; the last active admin key is refused). Admins only.
 */
public final class KeysPage implements UiPage {
    private final ApiKeyStore keys;
    private final Clock clock;

    public KeysPage(ApiKeyStore keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    @Override
    public String path() {
        return "/ui/keys";
    }

    @Override
    public String title() {
        return "Keys";
    }

    @Override
    public boolean adminOnly() {
        return true;
    }

    @Override
    public void show(UiRequest request) {
        render(request, null, List.of());
    }

    @Override
    public void addActions(JavalinDefaultRoutingApi routes, UiGuard guard) {
        routes.post("/ui/keys", guard.signedIn(true, this::create), Access.PUBLIC);
        routes.post("/ui/keys/{id}/revoke", guard.signedIn(true, this::revoke), Access.PUBLIC);
    }

    /**
     * Revokes after the page asked for confirmation (htmx's hx-confirm); the last active admin key is
     * refused and the page says why. The answer is a redirect either way (HX-Redirect for htmx).
     */
    private void revoke(UiRequest request) {
        String id = io.orchestra.server.http.Requests.pathId(request.ctx(), "id");
        String to;
        try {
            to = "/ui/keys?revoked=" + encode(keys.revoke(id).name());
        } catch (ProblemException e) {
            to = "/ui/keys?refused=" + encode(e.detail());
        }
        if (request.ctx().header("HX-Request") != null) {
            request.ctx().header("HX-Redirect", to);
            return;
        }
        request.ctx().redirect(to);
    }

    private static String encode(String text) {
        return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8);
    }

    private void create(UiRequest request) {
        var ctx = request.ctx();
        String name = ctx.formParam("name");
        String role = ctx.formParam("role");
        String owner = blankToNull(ctx.formParam("owner"));
        List<String> tags = list(ctx.formParam("tags"));
        // The same rules as POST /api/keys.
        Validation v = KeyRoutes.validate(name, role, owner, tags);
        String expires = blankToNull(ctx.formParam("expires"));
        KeyGrant grant = KeyRoutes.grant(
                list(ctx.formParam("models")),
                null,
                expires == null ? null : expires + (expires.length() == 10 ? "T00:00:00Z" : ""),
                clock.instant(),
                v);
        if (!v.ok()) {
            request.ctx().status(422);
            render(request, null, v.errors());
            return;
        }
        CreatedKey created = keys.create(name.trim(), Role.parse(role).orElseThrow(), owner, tags, grant);
        request.ctx().status(201);
        render(request, created, List.of());
    }

    private static List<String> list(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return List.of();
        }
        return java.util.Arrays.stream(commaSeparated.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    private void render(UiRequest request, CreatedKey created, List<String> errors) {
        Map<String, Object> model = new HashMap<>();
        model.put("keys", keys.list());
        model.put("created", created);
        model.put("errors", errors);
        model.put("now", clock.instant());
        model.put("revoked", request.ctx().queryParam("revoked"));
        model.put("refused", request.ctx().queryParam("refused"));
        request.page("keys.jte", title(), model);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
