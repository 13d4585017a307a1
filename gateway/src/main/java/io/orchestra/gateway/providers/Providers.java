package io.orchestra.gateway.providers;

import io.orchestra.gateway.providers.anthropic.AnthropicProvider;
import io.orchestra.gateway.providers.gemini.GeminiProvider;
import io.orchestra.gateway.providers.ollama.OllamaProvider;
import io.orchestra.gateway.providers.openai.OpenAiProvider;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The registry: one line per provider folder. */
public final class Providers {
    // Guarded: what a provider answers is untrusted input, read only through the gateway's typed errors.
    private static final Map<String, Provider> BY_KIND = Map.of(
            "openai", new GuardedProvider(new OpenAiProvider("openai")),
            "openai_compatible", new GuardedProvider(new OpenAiProvider("openai_compatible")),
            "anthropic", new GuardedProvider(new AnthropicProvider()),
            "gemini", new GuardedProvider(new GeminiProvider()),
            "ollama", new GuardedProvider(new OllamaProvider()));

    private Providers() {}

    public static Optional<Provider> byKind(String kind) {
        return Optional.ofNullable(BY_KIND.get(kind));
    }

    public static Set<String> kinds() {
        return BY_KIND.keySet();
    }

    /** Default base URLs for the providers that have a public one. */
    public static String defaultBaseUrl(String kind) {
        return switch (kind) {
            case "openai" -> "https://api.openai.com/v1";
            case "anthropic" -> "https://api.anthropic.com";
            case "gemini" -> "https://generativelanguage.googleapis.com";
            case "ollama" -> "http://127.0.0.1:11434";
            default -> null;
        };
    }
}
