package io.orchestra.memory.mcp;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * MCP over stdio for the stateless server. The SDK's own stdio transport can drop responses when
 * several are emitted at once (java-sdk PR #935); here each request runs on its own virtual thread
 * and every response is written whole under one lock, so concurrent calls cannot lose or
 * interleave messages.
 */
public final class StdioStatelessTransport implements McpStatelessServerTransport {
    private static final Logger LOG = LoggerFactory.getLogger(StdioStatelessTransport.class);

    private final InputStream in;
    private final OutputStream out;
    private final McpJsonMapper mapper;
    private final McpTransportContext context;
    private final Object writeLock = new Object();
    private volatile McpStatelessServerHandler handler;
    private volatile boolean closed;

    public StdioStatelessTransport(
            InputStream in, OutputStream out, McpJsonMapper mapper, McpTransportContext context) {
        this.in = in;
        this.out = out;
        this.mapper = mapper;
        this.context = context;
    }

    @Override
    public void setMcpHandler(McpStatelessServerHandler handler) {
        this.handler = handler;
    }

    /** Reads messages until stdin closes, then waits for the calls in flight to answer. */
    public void serve() throws IOException {
        try (ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while (!closed && (line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String message = line;
                calls.submit(() -> handle(message));
            }
        }
    }

    private void handle(String line) {
        McpSchema.JSONRPCMessage message;
        try {
            message = McpSchema.deserializeJsonRpcMessage(mapper, line);
        } catch (IOException | RuntimeException e) {
            write(new McpSchema.JSONRPCResponse(
                    McpSchema.JSONRPC_VERSION,
                    null,
                    null,
                    new McpSchema.JSONRPCResponse.JSONRPCError(
                            McpSchema.ErrorCodes.PARSE_ERROR, "parse error: " + e.getMessage(), null)));
            return;
        }
        try {
            if (message instanceof McpSchema.JSONRPCRequest request) {
                McpSchema.JSONRPCResponse response = handler.handleRequest(context, request)
                        .onErrorResume(e -> Mono.just(new McpSchema.JSONRPCResponse(
                                McpSchema.JSONRPC_VERSION,
                                request.id(),
                                null,
                                new McpSchema.JSONRPCResponse.JSONRPCError(
                                        McpSchema.ErrorCodes.INTERNAL_ERROR, e.getMessage(), null))))
                        .block();
                write(response != null ? response : internalError(request, "the request produced no answer"));
            } else if (message instanceof McpSchema.JSONRPCNotification notification) {
                handler.handleNotification(context, notification).block();
            }
        } catch (RuntimeException e) {
            LOG.warn("stdio message failed: {}", e.toString());
            // A request always gets its answer: a client waits for every id it sent.
            if (message instanceof McpSchema.JSONRPCRequest request) {
                write(internalError(request, e.getMessage()));
            }
        }
    }

    private static McpSchema.JSONRPCResponse internalError(McpSchema.JSONRPCRequest request, String message) {
        return new McpSchema.JSONRPCResponse(
                McpSchema.JSONRPC_VERSION,
                request.id(),
                null,
                new McpSchema.JSONRPCResponse.JSONRPCError(
                        McpSchema.ErrorCodes.INTERNAL_ERROR, message == null ? "internal error" : message, null));
    }

    private void write(McpSchema.JSONRPCResponse response) {
        try {
            byte[] bytes = (mapper.writeValueAsString(response) + "\n").getBytes(StandardCharsets.UTF_8);
            synchronized (writeLock) {
                out.write(bytes);
                out.flush();
            }
        } catch (IOException e) {
            LOG.warn("cannot write to stdout: {}", e.toString());
        }
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.fromRunnable(() -> closed = true);
    }
}
