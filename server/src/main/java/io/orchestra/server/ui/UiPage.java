package io.orchestra.server.ui;

import io.javalin.router.JavalinDefaultRoutingApi;

/** One page of the admin UI: a nav entry, a GET handler, and optionally form actions under its path. */
public interface UiPage {
    String path();

    String title();

    boolean adminOnly();

    /** Renders the page for a signed-in user who may see it. */
    void show(UiRequest request);

    /** Extra routes (form posts, htmx fragments); each handler must go through {@code guard}. */
    default void addActions(JavalinDefaultRoutingApi routes, UiGuard guard) {}
}
