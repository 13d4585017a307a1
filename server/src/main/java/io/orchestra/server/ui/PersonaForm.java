package io.orchestra.server.ui;

import io.javalin.http.Context;
import io.orchestra.agents.persona.Persona;
import io.orchestra.core.json.Json;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The persona editor's fields as the user typed them. {@link #toDefinition()} turns them into the
 * same JSON document /api/personas takes, so PersonaParser judges the form exactly as it judges the API.
 */
public record PersonaForm(
        String id,
        String name,
        String description,
        String systemPrompt,
        String model,
        String temperature,
        String domains,
        String tools,
        String memoryScope,
        String readFrom,
        boolean memoryShared,
        List<String> searchProviders,
        String searchBlend,
        String searchMaxResults,
        boolean coordinator) {

    public static PersonaForm empty() {
        return new PersonaForm(
                "",
                "",
                "",
                "",
                "default",
                "0.7",
                "",
                "",
                "persona",
                "",
                true,
                List.of("wikipedia"),
                "balanced",
                "5",
                false);
    }

    public static PersonaForm of(Persona p) {
        return new PersonaForm(
                p.id(),
                p.name(),
                p.description(),
                p.systemPrompt(),
                p.model(),
                String.valueOf(p.temperature()),
                String.join(", ", p.domains()),
                String.join(", ", p.tools()),
                p.memory().scope(),
                String.join(", ", p.memory().readFrom()),
                p.memory().shared(),
                p.search().providers(),
                p.search().blend(),
                String.valueOf(p.search().maxResults()),
                p.coordinator());
    }

    public static PersonaForm from(Context ctx) {
        return new PersonaForm(
                text(ctx, "id"),
                text(ctx, "name"),
                text(ctx, "description"),
                text(ctx, "system_prompt"),
                text(ctx, "model"),
                text(ctx, "temperature"),
                text(ctx, "domains"),
                text(ctx, "tools"),
                text(ctx, "memory_scope"),
                text(ctx, "read_from"),
                ctx.formParam("memory_shared") != null,
                ctx.formParams("search_providers"),
                text(ctx, "search_blend"),
                text(ctx, "search_max_results"),
                ctx.formParam("coordinator") != null);
    }

    /** The definition in the API's snake_case shape; numbers that do not parse stay text so the parser names the field. */
    public ObjectNode toDefinition() {
        ObjectNode node = Json.object();
        node.put("id", id.trim());
        node.put("name", name);
        node.put("description", description);
        node.put("system_prompt", systemPrompt);
        node.put("model", model.trim());
        if (!temperature.isBlank()) {
            number(node, "temperature", temperature.trim());
        }
        list(node.putArray("domains"), domains);
        list(node.putArray("tools"), tools);
        ObjectNode memory = node.putObject("memory");
        memory.put("scope", memoryScope);
        list(memory.putArray("read_from"), readFrom);
        memory.put("shared", memoryShared);
        ObjectNode search = node.putObject("search");
        ArrayNode providers = search.putArray("providers");
        searchProviders.forEach(providers::add);
        search.put("blend", searchBlend);
        if (!searchMaxResults.isBlank()) {
            number(search, "max_results", searchMaxResults.trim());
        }
        node.put("coordinator", coordinator);
        return node;
    }

    private static void number(ObjectNode node, String field, String value) {
        try {
            if (value.matches("-?\\d+")) {
                node.put(field, Long.parseLong(value));
            } else {
                node.put(field, Double.parseDouble(value));
            }
        } catch (NumberFormatException e) {
            node.put(field, value);
        }
    }

    /** Comma- or newline-separated entries, blanks dropped. */
    private static void list(ArrayNode array, String text) {
        Arrays.stream(text.split("[,\\n]"))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .forEach(array::add);
    }

    private static String text(Context ctx, String field) {
        return Objects.requireNonNullElse(ctx.formParam(field), "");
    }
}
