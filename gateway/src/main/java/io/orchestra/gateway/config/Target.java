package io.orchestra.gateway.config;

/** One place a model alias can be served from. */
public record Target(String provider, String model, int weight, long timeoutMillis) {
    public String key() {
        return provider + "/" + model;
    }
}
