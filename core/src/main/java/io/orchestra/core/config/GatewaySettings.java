package io.orchestra.core.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The gateway's settings read from configuration properties ({@code orchestra.gateway.*}); its
 * providers and routes are the {@code gateway:} section of orchestra.yaml, parsed by the gateway.
 */
public record GatewaySettings(Optional<Path> pricesFile) {
    static GatewaySettings read(ConfigValues values) {
        return new GatewaySettings(values.path("orchestra.gateway.prices-file"));
    }
}
