package io.orchestra.gateway;

import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/** A non-streamed answer and the headers that say how it was produced. */
public record ChatResult(ObjectNode body, Map<String, String> headers) {}
