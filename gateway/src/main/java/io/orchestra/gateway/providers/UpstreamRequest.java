package io.orchestra.gateway.providers;

/**
 * What to send upstream: the translation's output, before any network is involved. Headers are
 * not part of it: {@code Upstream} applies the provider's {@link Provider#headers} to every call.
 */
public record UpstreamRequest(String url, byte[] body) {}
