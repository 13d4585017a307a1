package io.orchestra.server.cli;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.orchestra.core.json.Json;
import io.orchestra.memory.MemoryModule;
import io.orchestra.memory.mcp.MemoryTools;
import io.orchestra.memory.mcp.StdioStatelessTransport;
import io.orchestra.server.Version;
import io.orchestra.server.auth.ApiKeyStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "mcp",
        mixinStandardHelpOptions = true,
        description = "Serve the memory tools over MCP on stdin/stdout (for Claude Desktop and other desktop clients).")
final class McpCommand implements Callable<Integer> {
    @Option(
            names = "--stdio",
            required = true,
            description = "Use stdin/stdout (the only transport of this command; HTTP is /mcp on the server).")
    boolean stdio;

    @Option(names = "--key", description = "An API key whose owner's memory to serve (default: env ORCHESTRA_MCP_KEY).")
    String key;

    @Option(
            names = "--owner",
            description = "Serve this owner's memory without a key (single-user installs; default: admin).")
    String owner;

    @Override
    public Integer call() {
        // stdout belongs to the protocol: anything else that prints there (a library's warning) goes to stderr.
        java.io.PrintStream protocol = System.out;
        System.setOut(System.err);
        return CliDatabase.with((config, db) -> {
            String apiKey = key != null ? key : System.getenv("ORCHESTRA_MCP_KEY");
            String who;
            if (apiKey != null && !apiKey.isBlank()) {
                who = new ApiKeyStore(db, Clock.systemUTC())
                        .authenticate(apiKey)
                        .map(p -> p.owner())
                        .orElseThrow(() -> new IllegalArgumentException("the API key is not valid"));
            } else {
                who = owner == null || owner.isBlank() ? "admin" : owner;
            }
            McpJsonMapper mapper = new JacksonMcpJsonMapper(Json.mapper());
            StdioStatelessTransport transport = new StdioStatelessTransport(
                    System.in, protocol, mapper, McpTransportContext.create(Map.of("owner", who)));
            MemoryModule memory = new MemoryModule(db, config.memory(), config.dataDir(), Clock.systemUTC());
            memory.start();
            MemoryTools tools = new MemoryTools(
                    memory.graph(),
                    memory.search(),
                    memory.memories(),
                    context -> (String) context.get("owner"),
                    mapper);
            // Each request already has its own virtual thread (see the transport): run the tool on it.
            McpStatelessSyncServer server = tools.register(McpServer.sync(transport)
                            .immediateExecution(true)
                            .serverInfo("orchestra-memory", Version.current()))
                    .build();
            try {
                transport.serve();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                server.close();
                memory.close();
            }
            return 0;
        });
    }
}
