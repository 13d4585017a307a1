package io.orchestra.gateway.usage;

/** A call's request and response bodies as stored while body logging is on (masked and cut); either may be null. */
public record LoggedBodies(String request, String response) {}
