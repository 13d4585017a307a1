package io.orchestra.server.agents;

/**
 * An orchestra.yaml with a {@code default} route whose provider is never called: for servers whose
 * tests save personas (a persona must name a model the server serves) but never chat.
 */
public final class ServedRoutes {
    public static final String YAML = """
            gateway:
              providers:
                openai: { kind: openai, base_url: "http://127.0.0.1:1/v1", api_key: "sk-unused" }
              routes:
                - { alias: default, targets: [ { provider: openai, model: gpt-4o-mini } ] }
            """;

    private ServedRoutes() {}
}
