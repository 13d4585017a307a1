package io.orchestra.core.config;

import java.util.List;

/** The /mcp endpoint's settings ({@code orchestra.mcp.*}). */
public record McpSettings(List<String> allowedOrigins) {
    static McpSettings read(ConfigValues values) {
        List<String> origins = values.list("orchestra.mcp.allowed-origins", "");
        for (String origin : origins) {
            try {
                java.net.URI uri = new java.net.URI(origin);
                if (uri.getScheme() == null || uri.getHost() == null) {
                    values.problem("orchestra.mcp.allowed-origins", origin, "origins like https://app.example.com");
                }
            } catch (java.net.URISyntaxException e) {
                values.problem("orchestra.mcp.allowed-origins", origin, "origins like https://app.example.com");
            }
        }
        return new McpSettings(origins);
    }
}
