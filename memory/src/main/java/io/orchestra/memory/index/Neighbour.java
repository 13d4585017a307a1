package io.orchestra.memory.index;

/** One search hit: the item's id in its table and its cosine similarity to the query. */
public record Neighbour(String id, double score) {}
