package io.orchestra.memory.graph;

/** One page of a larger answer; {@code nextOffset} is where the next page starts, null on the last. */
public record Page(Graph graph, Integer nextOffset) {}
