package io.orchestra.agents.persona;

import io.orchestra.core.auth.Principal;
import io.orchestra.core.error.Validation;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What the parser cannot know about a persona: whether the things it names exist. A model that no
 * route serves, a tool pattern that matches no tool, or a {@code read_from} naming no persona is
 * refused at save with the field's error, instead of failing at chat time.
 */
public final class PersonaCheck {
    /** The gateway's side: which model names it serves. */
    public interface Models {
        /** The aliases a persona may name, for the error message. */
        List<String> aliases();

        /** Whether a chat with this model name would reach a route or a configured provider. */
        boolean serves(String model);
    }

    private final Models models;
    private final Predicate<String> toolExists;
    private final List<String> toolHints;
    private final PersonaStore store;

    public PersonaCheck(Models models, Predicate<String> toolExists, List<String> toolHints, PersonaStore store) {
        this.models = models;
        this.toolExists = toolExists;
        this.toolHints = toolHints;
        this.store = store;
    }

    /** Adds "field: problem" for every reference of {@code persona} that names nothing, as {@code caller} sees it. */
    public void check(Persona persona, Principal caller, Validation v) {
        if (!models.serves(persona.model())) {
            List<String> aliases = models.aliases();
            v.add("model: '" + persona.model() + "' is not a model this server serves; choose one of "
                    + (aliases.isEmpty()
                            ? "the routes in orchestra.yaml (none configured)"
                            : String.join(", ", aliases)));
        }
        for (String tool : persona.tools()) {
            if (!toolExists.test(tool)) {
                v.add("tools: '" + tool + "' matches no tool; known: " + String.join(", ", toolHints));
            }
        }
        Set<String> personas =
                store.available(caller).stream().map(p -> p.persona().id()).collect(Collectors.toSet());
        personas.add(persona.id());
        for (String other : persona.memory().readFrom()) {
            if (!personas.contains(other)) {
                v.add("memory.read_from: there is no persona '" + other + "'");
            }
        }
    }
}
