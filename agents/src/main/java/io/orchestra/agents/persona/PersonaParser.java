package io.orchestra.agents.persona;

import io.orchestra.core.error.Validation;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Turns a persona definition (from YAML or JSON, in snake_case) into a {@link Persona}, collecting
 * every problem instead of stopping at the first, so an author fixes a file in one pass.
 */
public final class PersonaParser {
    public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern TOOL = Pattern.compile("[A-Za-z0-9_.:*-]{1,100}");
    static final Set<String> FIELDS = Set.of(
            "id",
            "name",
            "description",
            "system_prompt",
            "model",
            "temperature",
            "domains",
            "memory",
            "tools",
            "search",
            "coordinator");
    static final Set<String> MEMORY_FIELDS = Set.of("scope", "read_from", "shared");
    static final Set<String> SEARCH_FIELDS = Set.of("providers", "blend", "max_results");
    public static final Set<String> SCOPES = Set.of("persona", "user");
    public static final Set<String> SEARCH_PROVIDERS = Set.of("wikipedia", "searxng", "brave", "tavily");
    public static final Set<String> BLENDS = Set.of("documents_first", "web_first", "balanced");

    private PersonaParser() {}

    /** Parses and validates; {@code expectedId} (from a URL or file name) must match when given. */
    public static Persona parse(JsonNode node, String expectedId, Validation v) {
        if (node == null || !node.isObject()) {
            v.add("definition: must be an object");
            return null;
        }
        unknownFields(node, FIELDS, "", v);
        String id = text(node, "id", true, 64, v);
        if (id != null && !ID.matcher(id).matches()) {
            v.add("id: lowercase letters, digits and dashes, starting with a letter or digit, at most 63");
        }
        if (expectedId != null && id != null && !expectedId.equals(id)) {
            v.add("id: '" + id + "' does not match '" + expectedId + "'");
        }
        String name = text(node, "name", true, 100, v);
        String description = text(node, "description", true, 2000, v);
        String prompt = text(node, "system_prompt", true, 20000, v);
        String model = text(node, "model", true, 200, v);
        double temperature = 0.7;
        JsonNode t = node.get("temperature");
        if (t != null && !t.isNull()) {
            if (!t.isNumber() || t.asDouble() < 0 || t.asDouble() > 2) {
                v.add("temperature: a number from 0 to 2");
            } else {
                temperature = t.asDouble();
            }
        }
        List<String> domains = strings(node, "domains", 50, 100, null, v);
        List<String> tools = strings(node, "tools", 100, 100, TOOL, v);
        boolean coordinator = bool(node, "coordinator", false, v);

        Persona.MemoryPolicy memory = new Persona.MemoryPolicy("persona", List.of(), true);
        JsonNode m = node.get("memory");
        if (m != null && !m.isNull()) {
            if (!m.isObject()) {
                v.add("memory: must be an object with scope, read_from, shared");
            } else {
                unknownFields(m, MEMORY_FIELDS, "memory.", v);
                String scope = text(m, "scope", false, 20, v, "memory.");
                if (scope != null && !SCOPES.contains(scope)) {
                    v.add("memory.scope: one of " + SCOPES);
                }
                List<String> readFrom = strings(m, "read_from", 50, 64, ID, v, "memory.");
                memory = new Persona.MemoryPolicy(
                        scope == null ? "persona" : scope, readFrom, bool(m, "shared", true, v));
            }
        }
        Persona.SearchPreferences search = new Persona.SearchPreferences(List.of("wikipedia"), "balanced", 5);
        JsonNode s = node.get("search");
        if (s != null && !s.isNull()) {
            if (!s.isObject()) {
                v.add("search: must be an object with providers, blend, max_results");
            } else {
                unknownFields(s, SEARCH_FIELDS, "search.", v);
                List<String> providers = strings(s, "providers", 4, 20, null, v, "search.");
                providers.stream()
                        .filter(p -> !SEARCH_PROVIDERS.contains(p))
                        .forEach(p -> v.add("search.providers: '" + p + "' is not one of " + SEARCH_PROVIDERS));
                String blend = text(s, "blend", false, 20, v, "search.");
                if (blend != null && !BLENDS.contains(blend)) {
                    v.add("search.blend: one of " + BLENDS);
                }
                int max = 5;
                JsonNode mr = s.get("max_results");
                if (mr != null && !mr.isNull()) {
                    if (!mr.isIntegralNumber() || !mr.canConvertToInt() || mr.asInt() < 1 || mr.asInt() > 50) {
                        v.add("search.max_results: a whole number from 1 to 50");
                    } else {
                        max = mr.asInt();
                    }
                }
                search = new Persona.SearchPreferences(
                        s.has("providers") ? providers : List.of("wikipedia"), blend == null ? "balanced" : blend, max);
            }
        }
        if (!v.ok()) {
            return null;
        }
        return new Persona(
                id,
                name.strip(),
                description.strip(),
                prompt,
                model,
                temperature,
                domains,
                memory,
                tools,
                search,
                coordinator);
    }

    private static void unknownFields(JsonNode node, Set<String> known, String prefix, Validation v) {
        Set<String> unknown = new LinkedHashSet<>(node.propertyNames());
        unknown.removeAll(known);
        unknown.forEach(field -> v.add(prefix + field + ": unknown field (known: "
                + String.join(", ", known.stream().sorted().toList()) + ")"));
    }

    private static String text(JsonNode node, String field, boolean required, int max, Validation v) {
        return text(node, field, required, max, v, "");
    }

    private static String text(JsonNode node, String field, boolean required, int max, Validation v, String prefix) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                v.add(prefix + field + ": required");
            }
            return null;
        }
        if (!value.isString()) {
            v.add(prefix + field + ": must be text");
            return null;
        }
        String text = value.asString();
        if (required && text.isBlank()) {
            v.add(prefix + field + ": required");
            return null;
        }
        if (text.length() > max) {
            v.add(prefix + field + ": at most " + max + " characters");
        }
        return text;
    }

    private static boolean bool(JsonNode node, String field, boolean fallback, Validation v) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            v.add(field + ": true or false");
            return fallback;
        }
        return value.asBoolean();
    }

    private static List<String> strings(
            JsonNode node, String field, int maxItems, int maxLength, Pattern pattern, Validation v) {
        return strings(node, field, maxItems, maxLength, pattern, v, "");
    }

    private static List<String> strings(
            JsonNode node, String field, int maxItems, int maxLength, Pattern pattern, Validation v, String prefix) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            v.add(prefix + field + ": must be a list");
            return List.of();
        }
        if (value.size() > maxItems) {
            v.add(prefix + field + ": at most " + maxItems + " entries");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isString() || item.asString().isBlank() || item.asString().length() > maxLength) {
                v.add(prefix + field + ": each entry must be text of 1 to " + maxLength + " characters");
            } else if (pattern != null && !pattern.matcher(item.asString()).matches()) {
                v.add(prefix + field + ": '" + item.asString() + "' is not a valid entry");
            } else {
                out.add(item.asString());
            }
        }
        return List.copyOf(out);
    }
}
