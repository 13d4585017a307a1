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
import io.orchestra.server.auth.ApiKeyStore;
import io.orchestra.server.http.Requests;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.slf4j.MDC;

/**
 * MCP over Streamable HTTP at /mcp, stateless (any replica answers any request; the caller's
 * scope comes from its API key). The servlet bypasses Javalin, so this filter does what the
 * Javalin side does for every request: request id, bearer auth (401 with WWW-Authenticate), and
 * Origin checks against DNS rebinding.
 */
public final class McpEndpoint {
    static final String PRINCIPAL = "orchestra.principal";

    private final ApiKeyStore keys;
    private final List<String> allowedOrigins;
    private final McpStatelessSyncServer server;
    private final HttpServletStatelessServerTransport transport;

    public McpEndpoint(
            KnowledgeGraph graph,
            io.orchestra.memory.graph.GraphSearch search,
            io.orchestra.memory.memories.MemoryStore memories,
            ApiKeyStore keys,
            List<String> allowedOrigins) {
        this.keys = keys;
        this.allowedOrigins = List.copyOf(allowedOrigins);
        McpJsonMapper mapper = new JacksonMcpJsonMapper(Json.mapper());
        this.transport = HttpServletStatelessServerTransport.builder()
                .jsonMapper(mapper)
                .messageEndpoint("/mcp")
                .contextExtractor(
                        request -> McpTransportContext.create(Map.of(PRINCIPAL, request.getAttribute(PRINCIPAL))))
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

    /** Mounts the servlet and its filter; the exact /mcp mapping wins over Javalin's catch-all. */
    public Consumer<ServletContextHandler> mount() {
        return context -> {
            context.addFilter(new FilterHolder(new AuthFilter()), "/mcp", EnumSet.of(DispatcherType.REQUEST));
            context.addServlet(new ServletHolder("mcp", transport), "/mcp");
        };
    }

    public void close() {
        server.close();
    }

    private final class AuthFilter implements Filter {
        @Override
        public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
                throws IOException, ServletException {
            HttpServletRequest request = (HttpServletRequest) req;
            HttpServletResponse response = (HttpServletResponse) res;
            String requestId = Requests.requestIdFor(request.getHeader(Requests.REQUEST_ID_HEADER));
            response.setHeader(Requests.REQUEST_ID_HEADER, requestId);
            MDC.put("request_id", requestId);
            try {
                Optional<Principal> principal = keys.authenticateHeader(request.getHeader("Authorization"));
                if (principal.isEmpty()) {
                    response.setStatus(401);
                    response.setHeader("WWW-Authenticate", "Bearer realm=\"orchestra\", error=\"invalid_token\"");
                    response.setContentType("application/problem+json");
                    response.getOutputStream()
                            .write(
                                    ("{\"type\":\"https://orchestra.dev/problems/unauthorized\",\"title\":\"Unauthorized\","
                                                    + "\"status\":401,\"detail\":\"a valid API key is required: send 'Authorization: Bearer <key>'\",\"instance\":\"/mcp\","
                                                    + "\"request_id\":\"" + requestId + "\"}")
                                            .getBytes(StandardCharsets.UTF_8));
                    return;
                }
                request.setAttribute(PRINCIPAL, principal.get());
                chain.doFilter(req, res);
            } finally {
                MDC.clear();
            }
        }
    }
}
