package io.orchestra.memory.graph;

import java.util.List;

/** Observations to add to (or delete from) one entity; the result lists what was actually added. */
public record ObservationBatch(String entityName, List<String> contents) {}
