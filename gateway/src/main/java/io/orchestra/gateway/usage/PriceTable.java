package io.orchestra.gateway.usage;

import io.orchestra.core.json.Json;
import io.orchestra.gateway.providers.TokenUsage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Prices per million tokens, from the versioned table shipped in the jar, with entries from an
 * optional override file on top. Cost always comes from the provider's reported usage.
 */
public final class PriceTable {
    /** USD per million tokens; cached and cache-write prices default to the input price. */
    public record Price(double input, double cachedInput, double cacheWrite, double output) {}

    private final Map<String, Price> prices;
    private final String version;

    private PriceTable(Map<String, Price> prices, String version) {
        this.prices = Map.copyOf(prices);
        this.version = version;
    }

    public static PriceTable load(Optional<Path> override) {
        Map<String, Price> prices = new HashMap<>();
        String version;
        try (InputStream in = PriceTable.class.getResourceAsStream("/gateway/prices.json")) {
            JsonNode shipped = Json.mapper().readTree(in);
            version = shipped.path("version").asString("unknown");
            read(shipped, prices);
            if (override.isPresent()) {
                JsonNode extra = Json.mapper().readTree(Files.readString(override.get()));
                read(extra, prices);
                version += "+" + extra.path("version").asString("override");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the price table", e);
        }
        return new PriceTable(prices, version);
    }

    private static void read(JsonNode table, Map<String, Price> prices) {
        table.path("models").properties().forEach(e -> {
            JsonNode p = e.getValue();
            double input = p.path("input").asDouble(0);
            prices.put(
                    e.getKey(),
                    new Price(
                            input,
                            p.path("cached_input").asDouble(input),
                            p.path("cache_write").asDouble(input),
                            p.path("output").asDouble(0)));
        });
    }

    public String version() {
        return version;
    }

    /** The price for a model name, trying dated variants ("gpt-4o-2024-08-06" → "gpt-4o"). */
    public Optional<Price> price(String model) {
        if (model == null) {
            return Optional.empty();
        }
        String name = model.contains("/") ? model.substring(model.lastIndexOf('/') + 1) : model;
        while (true) {
            Price price = prices.get(name);
            if (price != null) {
                return Optional.of(price);
            }
            int dash = name.lastIndexOf('-');
            if (dash <= 0) {
                return Optional.empty();
            }
            name = name.substring(0, dash);
        }
    }

    public double cost(String model, TokenUsage usage) {
        return price(model)
                .map(p -> {
                    double uncached =
                            Math.max(0, usage.promptTokens() - usage.cachedTokens() - usage.cacheWriteTokens());
                    return (uncached * p.input()
                                    + usage.cachedTokens() * p.cachedInput()
                                    + usage.cacheWriteTokens() * p.cacheWrite()
                                    + usage.completionTokens() * p.output())
                            / 1_000_000.0;
                })
                .orElse(0.0);
    }
}
