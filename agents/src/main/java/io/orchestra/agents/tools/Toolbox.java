package io.orchestra.agents.tools;

import io.orchestra.agents.knowledge.DocumentSearch;
import io.orchestra.agents.persona.Persona;
import io.orchestra.agents.search.SearchResult;
import io.orchestra.agents.search.WebSearch;
import io.orchestra.core.json.Json;
import io.orchestra.memory.graph.Graph;
import io.orchestra.memory.graph.GraphArguments;
import io.orchestra.memory.graph.KnowledgeGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The tools a persona may use, chosen by its {@code tools} patterns ({@code memory.*},
 * {@code web.search}, exact names): memory tools over the caller's own graph, web search.
 */
public final class Toolbox {
    private final KnowledgeGraph graph;
    private final WebSearch search;
    private final DocumentSearch documents;
    private final McpServers mcpServers;

    public Toolbox(KnowledgeGraph graph, WebSearch search, DocumentSearch documents, McpServers mcpServers) {
        this.graph = graph;
        this.search = search;
        this.documents = documents;
        this.mcpServers = mcpServers;
    }

    public List<Tool> forPersona(Persona persona, String owner) {
        List<Tool> tools = new ArrayList<>(all(owner, persona).stream()
                .filter(tool -> allowed(persona.tools(), tool.name()))
                .toList());
        if (persona.tools().stream().anyMatch(t -> t.startsWith("mcp:"))) {
            tools.addAll(mcpServers.tools(persona.tools()));
        }
        return tools;
    }

    /**
     * Whether a persona's {@code tools} entry would give it at least one tool: a built-in one, or
     * {@code mcp:*} / {@code mcp:<server>.…} for a configured MCP server (its tool list is not fetched here).
     */
    public boolean knows(String pattern) {
        if (pattern.startsWith("mcp:")) {
            String rest = pattern.substring(4);
            int dot = rest.indexOf('.');
            String server = dot < 0 ? rest : rest.substring(0, dot);
            return (rest.equals("*") && !mcpServers.names().isEmpty())
                    || (dot > 0 && mcpServers.names().contains(server));
        }
        return builtInNames().stream().anyMatch(name -> allowed(List.of(pattern), name));
    }

    /** The entries a persona's {@code tools} may hold, for an error message. */
    public List<String> hints() {
        List<String> hints = new ArrayList<>(List.of("memory.*"));
        builtInNames().stream()
                .filter(name -> !name.equals("knowledge_search"))
                .map(name -> name.replaceFirst("_", "."))
                .forEach(hints::add);
        mcpServers.names().forEach(server -> hints.add("mcp:" + server + ".*"));
        return hints;
    }

    private List<String> builtInNames() {
        // The tools' functions are not called here, so no owner or persona is needed to list their names.
        return all(null, null).stream().map(Tool::name).toList();
    }

    static boolean allowed(List<String> patterns, String toolName) {
        if (toolName.equals("knowledge_search")) {
            // The blend of both sources needs both permissions.
            return allowed(patterns, "documents_search") && allowed(patterns, "web_search");
        }
        String dotted = toolName.replaceFirst("_", ".");
        for (String pattern : patterns) {
            if (pattern.equals(dotted)
                    || pattern.equals(toolName)
                    || (pattern.endsWith(".*") && dotted.startsWith(pattern.substring(0, pattern.length() - 1)))) {
                return true;
            }
        }
        return false;
    }

    private List<Tool> all(String owner, Persona persona) {
        List<Tool> tools = new ArrayList<>();
        tools.add(new Tool(
                "memory_search_nodes",
                "Search the user's memory graph (names, types, observations); best matches first.",
                schema("{\"query\":{\"type\":\"string\",\"description\":\"Words to look for\"}}", "query"),
                args -> render(graph.searchNodes(owner, GraphArguments.text(args, "query"), 10, 0))));
        tools.add(new Tool(
                "memory_open_nodes",
                "Read specific entities of the user's memory graph by name.",
                schema("{\"names\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}}", "names"),
                args -> render(graph.openNodes(owner, GraphArguments.strings(args.path("names"))))));
        tools.add(new Tool(
                "memory_create_entities",
                "Remember new entities (people, organisations, projects…) with observations.",
                schema(
                        "{\"entities\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},"
                                + "\"entityType\":{\"type\":\"string\"},\"observations\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}},"
                                + "\"required\":[\"name\",\"entityType\",\"observations\"]}}}",
                        "entities"),
                args -> Json.write(Map.of(
                        "created", graph.createEntities(owner, GraphArguments.entities(args.path("entities")))))));
        tools.add(new Tool(
                "memory_add_observations",
                "Remember new facts about existing entities.",
                schema(
                        "{\"observations\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{\"entityName\":{\"type\":\"string\"},"
                                + "\"contents\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}},\"required\":[\"entityName\",\"contents\"]}}}",
                        "observations"),
                args -> Json.write(Map.of(
                        "added",
                        graph.addObservations(owner, GraphArguments.batches(args.path("observations"), "contents"))))));
        tools.add(new Tool(
                "knowledge_search",
                "Search the user's documents and the web together, blended by this persona's preference.",
                schema("{\"query\":{\"type\":\"string\"}}", "query"),
                args -> blended(owner, persona, GraphArguments.text(args, "query"))));
        tools.add(new Tool(
                "documents_search",
                "Search the user's uploaded documents; cite results as [filename#chunk].",
                schema("{\"query\":{\"type\":\"string\"}}", "query"),
                args -> {
                    List<DocumentSearch.Citation> found =
                            documents.search(owner, GraphArguments.text(args, "query"), 5, persona.id());
                    StringBuilder out = new StringBuilder();
                    for (DocumentSearch.Citation c : found) {
                        out.append("[")
                                .append(c.filename())
                                .append("#")
                                .append(c.chunk())
                                .append("] ")
                                .append(c.excerpt())
                                .append('\n');
                    }
                    return out.isEmpty() ? "no matching documents" : out.toString();
                }));
        tools.add(new Tool(
                "web_search",
                "Search the web; returns titles, URLs and snippets.",
                schema("{\"query\":{\"type\":\"string\"}}", "query"),
                args -> {
                    WebSearch.Outcome outcome = search.search(
                            GraphArguments.text(args, "query"),
                            persona.search().providers(),
                            persona.search().maxResults());
                    StringBuilder out = new StringBuilder();
                    for (SearchResult r : outcome.results()) {
                        out.append("- ")
                                .append(r.title())
                                .append(" <")
                                .append(r.url())
                                .append(">: ")
                                .append(r.snippet())
                                .append('\n');
                    }
                    outcome.errors()
                            .values()
                            .forEach(e -> out.append("(").append(e).append(")\n"));
                    return out.isEmpty() ? "no results" : out.toString();
                }));
        return tools;
    }

    /**
     * Document citations and web results in one list, ordered by the persona's {@code search.blend}:
     * documents first, web first, or alternating (balanced).
     */
    String blended(String owner, Persona persona, String query) {
        int max = persona.search().maxResults();
        List<String> docs = new ArrayList<>();
        for (DocumentSearch.Citation c : documents.search(owner, query, max, persona.id())) {
            docs.add("[" + c.filename() + "#" + c.chunk() + "] " + c.excerpt());
        }
        List<String> web = new ArrayList<>();
        WebSearch.Outcome outcome = search.search(query, persona.search().providers(), max);
        for (SearchResult r : outcome.results()) {
            web.add("[web] " + r.title() + " <" + r.url() + ">: " + r.snippet());
        }
        List<String> merged = new ArrayList<>();
        switch (persona.search().blend()) {
            case "documents_first" -> {
                merged.addAll(docs);
                merged.addAll(web);
            }
            case "web_first" -> {
                merged.addAll(web);
                merged.addAll(docs);
            }
            default -> {
                for (int i = 0; i < Math.max(docs.size(), web.size()); i++) {
                    if (i < docs.size()) {
                        merged.add(docs.get(i));
                    }
                    if (i < web.size()) {
                        merged.add(web.get(i));
                    }
                }
            }
        }
        return merged.isEmpty()
                ? "nothing found"
                : String.join("\n", merged.subList(0, Math.min(merged.size(), 2 * max)));
    }

    private static String render(Graph graph) {
        return Json.write(Map.of("entities", graph.entities(), "relations", graph.relations()));
    }

    private static ObjectNode schema(String properties, String required) {
        ObjectNode schema = Json.object();
        schema.put("type", "object");
        schema.set("properties", Json.tree(properties));
        schema.putArray("required").add(required);
        return schema;
    }

    /** The OpenAI {@code tools} array for these tools. */
    public static List<JsonNode> declarations(List<Tool> tools) {
        List<JsonNode> out = new ArrayList<>();
        for (Tool tool : tools) {
            ObjectNode declaration = Json.object();
            declaration.put("type", "function");
            ObjectNode function = declaration.putObject("function");
            function.put("name", tool.name());
            function.put("description", tool.description());
            function.set("parameters", tool.parameters());
            out.add(declaration);
        }
        return out;
    }
}
