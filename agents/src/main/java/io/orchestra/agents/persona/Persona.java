package io.orchestra.agents.persona;

import java.util.List;

/**
 * A named assistant: who it is (prompt, voice), what it knows (domains), which model route it
 * uses, what it may remember and read, which tools and search it may use.
 */
public record Persona(
        String id,
        String name,
        String description,
        String systemPrompt,
        String model,
        double temperature,
        List<String> domains,
        MemoryPolicy memory,
        List<String> tools,
        SearchPreferences search,
        boolean coordinator) {

    /** Where the persona's memories go and whose shared memories it may read. */
    public record MemoryPolicy(String scope, List<String> readFrom, boolean shared) {}

    /** Which web search providers it uses and how web results blend with document results. */
    public record SearchPreferences(List<String> providers, String blend, int maxResults) {}
}
