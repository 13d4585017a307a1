package io.orchestra.server.memory;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStatelessServerTransport;
import io.modelcontextprotocol.server.transport.ServerTransportSecurityException;
import io.orchestra.core.auth.Principal;
import io.orchestra.core.json.Json;
import io.orchestra.memory.graph.KnowledgeGraph;
import io.orchestra.memory.mcp.MemoryTools;
import io.orchestra.server.Version;
import io.orchestra.server.http.Requests;
import io.orchestra.server.http.ServletMount;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * MCP over Streamable HTTP at /mcp, stateless (any replica answers any request; the caller's
 * scope comes from its API key). The servlet bypasses Javalin: the HTTP server's request scope
 * gives it a request id, the in-flight count and metrics, and {@link McpGuard} authenticates and
 * checks each message before the SDK sees it.
 */
public final class McpEndpoint {
    static final String PRINCIPAL = "orchestra.principal";

    private final List<String> allowedOrigins;
    private final McpStatelessSyncServer server;
    private final HttpServletStatelessServerTransport transport;

    public McpEndpoint(
            KnowledgeGraph graph,
            io.orchestra.memory.graph.GraphSearch search,
            io.orchestra.memory.memories.MemoryStore memories,
            List<String> allowedOrigins,
            long maxBodyBytes) {
        this.allowedOrigins = List.copyOf(allowedOrigins);
        McpJsonMapper mapper = new JacksonMcpJsonMapper(Json.mapper());
        this.transport = HttpServletStatelessServerTransport.builder()
                .jsonMapper(mapper)
                .messageEndpoint("/mcp")
                .maxRequestSize((int) Math.min(Integer.MAX_VALUE, maxBodyBytes))
                .contextExtractor(request -> McpTransportContext.create(Map.of(PRINCIPAL, Requests.principal(request))))
                .httpHeaderValidator(headers -> {
                    List<String> origin = headers.getHeader("Origin");
                    if (origin != null && !origin.isEmpty() && !originAllowed(origin.get(0))) {
                        throw new ServerTransportSecurityException(403, "Origin " + origin.get(0) + " is not allowed");
                    }
                })
                .build();
        MemoryTools tools = new MemoryTools(
                graph, search, memories, context -> ((Principal) context.get(PRINCIPAL)).owner(), mapper);
        // immediateExecution: a tool runs on the request's virtual thread instead of hopping to
        // Reactor's boundedElastic pool and back (the tools are plain blocking calls).
        this.server = tools.register(McpServer.sync(transport)
                        .immediateExecution(true)
                        .serverInfo("orchestra-memory", Version.current()))
                .build();
    }

    /** Loopback origins on any port are always allowed; others must be listed in orchestra.mcp.allowed-origins. */
    boolean originAllowed(String origin) {
        if (allowedOrigins.contains(origin)) {
            return true;
        }
        try {
            String host = URI.create(origin).getHost();
            return "localhost".equals(host) || "127.0.0.1".equals(host) || "[::1]".equals(host) || "::1".equals(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The transport at /mcp behind its guard; the exact mapping wins over Javalin's catch-all. */
    public ServletMount mount() {
        return new ServletMount("/mcp", transport, scope -> new McpGuard(scope, this::originAllowed));
    }

    public void close() {
        server.close();
    }
}
