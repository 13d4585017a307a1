package io.orchestra.memory.graph;

import java.util.List;

/** A (sub)graph: entities and the relations among them. */
public record Graph(List<Entity> entities, List<Relation> relations) {}
