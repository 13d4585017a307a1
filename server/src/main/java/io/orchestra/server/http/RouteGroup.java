package io.orchestra.server.http;

import io.javalin.router.JavalinDefaultRoutingApi;

/** One area's routes (health, keys, gateway, memory, …), listed in one place per area. */
public interface RouteGroup {
    void addRoutes(JavalinDefaultRoutingApi routes);
}
