package io.orchestra.server.ui;

import io.javalin.router.JavalinDefaultRoutingApi;
import io.orchestra.core.auth.Role;
import io.orchestra.core.error.Validation;
import io.orchestra.server.auth.ApiKeyStore;
import io.orchestra.server.auth.CreatedKey;
import io.orchestra.server.auth.KeyRoutes;
import io.orchestra.server.http.Access;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** /ui/keys: list, create (the secret is shown once) and revoke API keys. Admins only. */
public final class KeysPage implements UiPage {
    private final ApiKeyStore keys;

    public KeysPage(ApiKeyStore keys) {
        this.keys = keys;
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
        routes.post(
                "/ui/keys/{id}/revoke",
                guard.signedIn(true, r -> {
                    keys.revoke(io.orchestra.server.http.Requests.pathId(r.ctx(), "id"));
                    r.ctx().redirect("/ui/keys");
                }),
                Access.PUBLIC);
    }

    private void create(UiRequest request) {
        String name = request.ctx().formParam("name");
        String role = request.ctx().formParam("role");
        String owner = blankToNull(request.ctx().formParam("owner"));
        // The same rules as POST /api/keys.
        Validation v = KeyRoutes.validate(name, role, owner, List.of());
        if (!v.ok()) {
            request.ctx().status(422);
            render(request, null, v.errors());
            return;
        }
        CreatedKey created = keys.create(name.trim(), Role.parse(role).orElseThrow(), owner, List.of());
        request.ctx().status(201);
        render(request, created, List.of());
    }

    private void render(UiRequest request, CreatedKey created, List<String> errors) {
        Map<String, Object> model = new HashMap<>();
        model.put("keys", keys.list());
        model.put("created", created);
        model.put("errors", errors);
        request.page("keys.jte", title(), model);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
