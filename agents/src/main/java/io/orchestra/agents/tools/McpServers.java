package io.orchestra.agents.tools;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.orchestra.core.json.Json;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Tools of external MCP servers (the {@code mcp_servers} section of orchestra.yaml), reached over
 * Streamable HTTP with the official MCP Java SDK client. Tool lists are cached for a minute; a
 * server that is down contributes no tools and is retried on the next list.
 */
public final class McpServers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(McpServers.class);

    /** One configured server. */
    public record Server(String name, String url, Map<String, String> headers) {}

    private record Listed(List<McpSchema.Tool> tools, long expiresAt) {}

    private final List<Server> servers;
    private final Clock clock;
    private final Map<String, McpSyncClient> clients = new ConcurrentHashMap<>();
    private final Map<String, Listed> listed = new ConcurrentHashMap<>();

    public McpServers(List<Server> servers, Clock clock) {
        this.servers = List.copyOf(servers);
        this.clock = clock;
    }

    /**
     * The {@code mcp_servers} section of orchestra.yaml, header values' {@code ${VAR}} resolved from
     * the environment; every problem is reported at once.
     */
    public static List<Server> fromConfigFile(java.util.Optional<java.nio.file.Path> file) {
        if (file.isEmpty() || !java.nio.file.Files.isRegularFile(file.get())) {
            return List.of();
        }
        JsonNode root;
        try {
            root = tools.jackson.dataformat.yaml.YAMLMapper.builder()
                    .build()
                    .readTree(file.get().toFile());
        } catch (tools.jackson.core.JacksonException e) {
            throw new io.orchestra.core.config.ConfigException(List.of("mcp_servers: cannot read " + file.get()));
        }
        List<String> problems = new ArrayList<>();
        List<Server> servers = parse(
                root == null ? tools.jackson.databind.node.MissingNode.getInstance() : root.path("mcp_servers"),
                problems);
        if (!problems.isEmpty()) {
            throw new io.orchestra.core.config.ConfigException(problems);
        }
        io.orchestra.gateway.config.GatewayConfigParser env =
                new io.orchestra.gateway.config.GatewayConfigParser(System::getenv);
        return servers.stream()
                .map(s -> new Server(
                        s.name(),
                        s.url(),
                        s.headers().entrySet().stream()
                                .collect(java.util.stream.Collectors.toMap(
                                        Map.Entry::getKey, e -> env.resolve(e.getValue())))))
                .toList();
    }

    /** Reads the {@code mcp_servers} list: {@code [{name, url, headers}]}. */
    public static List<Server> parse(JsonNode section, List<String> problems) {
        List<Server> out = new ArrayList<>();
        int i = 0;
        for (JsonNode node : section) {
            String name = node.path("name").asString("");
            String url = node.path("url").asString("");
            if (!name.matches("[a-z0-9_]{1,30}")) {
                problems.add("mcp_servers[" + i + "].name: 1 to 30 lowercase letters, digits or _");
            }
            if (!url.startsWith("http://") && !url.startsWith("https://")) {
                problems.add("mcp_servers[" + i + "].url: an http(s) URL of a Streamable HTTP MCP endpoint");
            }
            Map<String, String> headers = new java.util.LinkedHashMap<>();
            node.path("headers")
                    .properties()
                    .forEach(h -> headers.put(h.getKey(), h.getValue().asString("")));
            out.add(new Server(name, url, Map.copyOf(headers)));
            i++;
        }
        return out;
    }

    /** The configured servers' names. */
    public List<String> names() {
        return servers.stream().map(Server::name).toList();
    }

    /** Tools of every server whose pattern ({@code mcp:*}, {@code mcp:server.*}, {@code mcp:server.tool}) the persona allows. */
    public List<Tool> tools(List<String> patterns) {
        List<Tool> tools = new ArrayList<>();
        for (Server server : servers) {
            for (McpSchema.Tool tool : list(server)) {
                if (allowed(patterns, server.name(), tool.name())) {
                    tools.add(adapt(server, tool));
                }
            }
        }
        return tools;
    }

    static boolean allowed(List<String> patterns, String server, String tool) {
        for (String pattern : patterns) {
            if (pattern.equals("mcp:*")
                    || pattern.equals("mcp:" + server + ".*")
                    || pattern.equals("mcp:" + server + "." + tool)) {
                return true;
            }
        }
        return false;
    }

    private List<McpSchema.Tool> list(Server server) {
        Listed cached = listed.get(server.name());
        if (cached != null && cached.expiresAt() > clock.millis()) {
            return cached.tools();
        }
        try {
            List<McpSchema.Tool> tools = client(server).listTools().tools();
            listed.put(server.name(), new Listed(tools, clock.millis() + 60_000));
            return tools;
        } catch (RuntimeException e) {
            LOG.warn("MCP server {} is not answering: {}", server.name(), e.toString());
            McpSyncClient broken = clients.remove(server.name());
            if (broken != null) {
                broken.closeGracefully();
            }
            return List.of();
        }
    }

    private Tool adapt(Server server, McpSchema.Tool tool) {
        ObjectNode parameters = tool.inputSchema() == null
                ? Json.object().put("type", "object")
                : (ObjectNode) Json.mapper().valueToTree(tool.inputSchema());
        String name = ("mcp_" + server.name() + "_" + tool.name()).replaceAll("[^A-Za-z0-9_-]", "_");
        return new Tool(
                name,
                (tool.description() == null ? "" : tool.description()) + " (from MCP server " + server.name() + ")",
                parameters,
                args -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> arguments = Json.mapper().convertValue(args, Map.class);
                    McpSchema.CallToolResult result =
                            client(server).callTool(new McpSchema.CallToolRequest(tool.name(), arguments));
                    StringBuilder out = new StringBuilder(Boolean.TRUE.equals(result.isError()) ? "error: " : "");
                    for (McpSchema.Content content : result.content()) {
                        if (content instanceof McpSchema.TextContent text) {
                            out.append(text.text());
                        }
                    }
                    return out.toString();
                });
    }

    private McpSyncClient client(Server server) {
        return clients.computeIfAbsent(server.name(), n -> {
            HttpRequest.Builder request = HttpRequest.newBuilder();
            server.headers().forEach(request::header);
            HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(
                            baseOf(server.url()))
                    .endpoint(pathOf(server.url()))
                    .jsonMapper(new JacksonMcpJsonMapper(Json.mapper()))
                    .requestBuilder(request)
                    .build();
            McpSyncClient client = McpClient.sync(transport)
                    .requestTimeout(Duration.ofSeconds(30))
                    .build();
            client.initialize();
            return client;
        });
    }

    private static String baseOf(String url) {
        java.net.URI uri = java.net.URI.create(url);
        return uri.getScheme() + "://" + uri.getAuthority();
    }

    private static String pathOf(String url) {
        String path = java.net.URI.create(url).getRawPath();
        return path == null || path.isEmpty() ? "/mcp" : path;
    }

    @Override
    public void close() {
        clients.values().forEach(McpSyncClient::closeGracefully);
    }
}
