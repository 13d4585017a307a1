package io.orchestra.memory.memories;

/** A memory and how well it matched. */
public record Recalled(Memory memory, double score) {}
