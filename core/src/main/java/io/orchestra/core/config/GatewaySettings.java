package io.orchestra.core.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The gateway's settings read from configuration properties ({@code orchestra.gateway.*}); its
 * providers and routes are the {@code gateway:} section of orchestra.yaml, parsed by the gateway.
 * {@code logBodies}: whether the request log keeps request and response bodies (off by default:
 * they hold prompts and answers), each cut to {@code logBodiesMaxBytes}.
 */
public record GatewaySettings(Optional<Path> pricesFile, boolean logBodies, int logBodiesMaxBytes) {
    public static final int DEFAULT_LOG_BODIES_MAX_BYTES = 16_384;

    static GatewaySettings read(ConfigValues values) {
        return new GatewaySettings(
                values.path("orchestra.gateway.prices-file"),
                values.bool("orchestra.gateway.log-bodies", false),
                values.integer("orchestra.gateway.log-bodies-max-bytes", DEFAULT_LOG_BODIES_MAX_BYTES, 256, 1_048_576));
    }
}
