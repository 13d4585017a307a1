package io.orchestra.agents.persona;

import java.time.Instant;

/** A persona with its bookkeeping: who owns it, where it came from, which version is current. */
public record StoredPersona(
        Persona persona, String owner, String source, int version, Instant createdAt, Instant updatedAt) {
    public static final String SYSTEM_OWNER = "system";

    public boolean system() {
        return SYSTEM_OWNER.equals(owner);
    }
}
