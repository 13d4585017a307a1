package io.orchestra.gateway.providers;

import java.util.Map;

/** What to send upstream: the translation's output, before any network is involved. */
public record UpstreamRequest(String url, Map<String, String> headers, byte[] body) {}
