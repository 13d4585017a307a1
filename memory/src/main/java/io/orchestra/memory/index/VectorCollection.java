package io.orchestra.memory.index;

/**
 * A table whose rows carry a vector (base64 float32 in {@code embedding}) and an {@code owner},
 * and the name its changes have in {@code vector_changes}.
 */
public record VectorCollection(String name, String table, String idColumn) {
    public static final VectorCollection MEMORIES = new VectorCollection("memories", "memories", "id");
    public static final VectorCollection ENTITIES =
            new VectorCollection("entities", "memory_entity_vectors", "entity_id");
}
