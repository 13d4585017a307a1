package io.orchestra.memory.graph;

import java.util.List;

/**
 * Observations to add to (or delete from) one entity; the result lists what was actually added.
 * When adding, {@code supersedes} names current observations the new ones end, and
 * {@code supersedeSameKey} ends those that give another value for the same key ("Role: CTO" ends
 * "Role: engineer"): contradictions found without a language model.
 */
public record ObservationBatch(
        String entityName, List<String> contents, List<String> supersedes, boolean supersedeSameKey) {
    public ObservationBatch(String entityName, List<String> contents) {
        this(entityName, contents, List.of(), false);
    }
}
