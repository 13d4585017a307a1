package io.orchestra.agents.persona;

import io.orchestra.core.json.Json;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Writes a persona in the same snake_case shape that {@link PersonaParser} reads. */
public final class PersonaJson {
    private PersonaJson() {}

    public static ObjectNode write(Persona p) {
        ObjectNode node = Json.object();
        node.put("id", p.id());
        node.put("name", p.name());
        node.put("description", p.description());
        node.put("system_prompt", p.systemPrompt());
        node.put("model", p.model());
        node.put("temperature", p.temperature());
        strings(node.putArray("domains"), p.domains());
        ObjectNode memory = node.putObject("memory");
        memory.put("scope", p.memory().scope());
        strings(memory.putArray("read_from"), p.memory().readFrom());
        memory.put("shared", p.memory().shared());
        strings(node.putArray("tools"), p.tools());
        ObjectNode search = node.putObject("search");
        strings(search.putArray("providers"), p.search().providers());
        search.put("blend", p.search().blend());
        search.put("max_results", p.search().maxResults());
        node.put("coordinator", p.coordinator());
        return node;
    }

    private static void strings(ArrayNode array, java.util.List<String> values) {
        values.forEach(array::add);
    }
}
