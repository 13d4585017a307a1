package io.orchestra.agents.persona;

import java.util.Optional;

/**
 * How a caller names a persona: a bare {@code id} means the caller's own persona, else the
 * deployment's; {@code owner/id} names one owner's persona explicitly (an admin reaching a member's
 * persona, or a member reaching the deployment's {@code system/id} that one of theirs shadows).
 * Ids never contain '/', so the last '/' separates the owner, which may.
 */
public record PersonaRef(Optional<String> owner, String id) {
    public static PersonaRef parse(String reference) {
        int slash = reference.lastIndexOf('/');
        if (slash < 0) {
            return new PersonaRef(Optional.empty(), reference);
        }
        return new PersonaRef(Optional.of(reference.substring(0, slash)), reference.substring(slash + 1));
    }

    public static PersonaRef of(String id, Optional<String> owner) {
        return new PersonaRef(owner.filter(o -> !o.isEmpty()), id);
    }

    @Override
    public String toString() {
        return owner.map(o -> o + "/" + id).orElse(id);
    }
}
