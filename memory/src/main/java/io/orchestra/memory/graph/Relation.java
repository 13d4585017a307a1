package io.orchestra.memory.graph;

/** A directed, typed relation between two entities (active voice: "from works_at to"). */
public record Relation(String from, String to, String relationType) {}
