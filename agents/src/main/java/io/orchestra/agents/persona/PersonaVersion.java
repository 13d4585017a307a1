package io.orchestra.agents.persona;

import java.time.Instant;

/** One saved version of a persona's definition. */
public record PersonaVersion(String personaId, int version, Persona persona, String author, Instant createdAt) {}
