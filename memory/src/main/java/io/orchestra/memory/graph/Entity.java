package io.orchestra.memory.graph;

import java.util.List;

/** An entity as the reference MCP memory server shapes it. */
public record Entity(String name, String entityType, List<String> observations) {}
