package io.orchestra.server.http;

import io.javalin.security.RouteRole;

/** Who may call a route. Routes without a role need any valid key. */
public enum Access implements RouteRole {
    /** No key needed (health, readiness, metrics, and the UI's sign-in page). */
    PUBLIC,
    /** Any valid key. */
    MEMBER,
    /** Only admin keys. */
    ADMIN
}
