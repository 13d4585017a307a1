package io.orchestra.server.http;

import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;
import java.util.function.Function;

/**
 * A servlet mounted beside Javalin on one exact path (the MCP transport at /mcp). The HTTP server
 * puts its request scope in front of it (id, in-flight count, metrics, access log); {@code guard}
 * is the servlet's own filter, given that scope for auth and limits.
 */
public record ServletMount(String path, Servlet servlet, Function<RequestScope, Filter> guard) {}
