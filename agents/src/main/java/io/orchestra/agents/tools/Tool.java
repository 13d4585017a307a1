package io.orchestra.agents.tools;

import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** A function the model may call: OpenAI-style name, description and JSON-schema parameters. */
public record Tool(String name, String description, ObjectNode parameters, Function<JsonNode, String> call) {}
