package io.orchestra.server.auth;

import io.orchestra.agents.persona.Persona;
import io.orchestra.agents.persona.PersonaRef;
import io.orchestra.agents.persona.PersonaStore;
import io.orchestra.core.auth.Principal;
import io.orchestra.core.error.ProblemException;
import java.util.List;

/**
 * The allowed-models part of a key's grant, checked where /v1 and /api/chat take the model or
 * persona name (before the gateway or a persona sees the request): a key limited to some models is
 * refused any other with a 403 (OpenAI's error shape on /v1, problem+json on /api), and /v1/models
 * lists only what it may use.
 */
public final class ModelAccess {
    public static final String PERSONA = "persona:";
    private static final String AUTO = "auto";
    private final ApiKeyStore keys;

    public ModelAccess(ApiKeyStore keys) {
        this.keys = keys;
    }

    /** Throws 403 unless {@code caller}'s key may use {@code model} ({@code persona:<id>} included). */
    public void require(Principal caller, String model) {
        KeyGrant grant = keys.grant(caller.keyId());
        if (!grant.allows(model)) {
            throw new ProblemException(
                    403,
                    "model-not-allowed",
                    "Model not allowed",
                    "key '" + caller.keyName() + "' may not use the model '" + model + "'; it may use: "
                            + String.join(", ", grant.models()));
        }
    }

    /**
     * Throws 403 unless {@code caller}'s key may chat with the persona {@code id} whose model is
     * {@code model} (POST /api/chat): the key names the persona ({@code persona:<id>}, {@code
     * persona:*}) or may use the persona's model. A key limited to alias {@code a} thus chats with a
     * persona on {@code a}, never with one on {@code b}.
     */
    public void requirePersona(Principal caller, String id, String model) {
        KeyGrant grant = keys.grant(caller.keyId());
        if (!mayChatWith(caller, id, model)) {
            throw new ProblemException(
                    403,
                    "model-not-allowed",
                    "Model not allowed",
                    "key '" + caller.keyName() + "' may not use the persona '" + id + "' (its model is '" + model
                            + "'); it may use: " + String.join(", ", grant.models()));
        }
    }

    /** Whether {@code caller}'s key names the persona {@code id} or may use its {@code model}. */
    public boolean mayChatWith(Principal caller, String id, String model) {
        KeyGrant grant = keys.grant(caller.keyId());
        return grant.allows(PERSONA + id) || grant.allows(model);
    }

    /**
     * Throws 403 unless {@code caller}'s key may chat with {@code persona}: a reference ({@code id}
     * or {@code owner/id}, which must exist for the caller) or {@code auto}, the router's pick.
     */
    public void requirePersonaChat(Principal caller, String persona, PersonaStore personas) {
        if (unlimited(caller)) {
            return;
        }
        if (persona.equals(AUTO)) {
            requireChosenPersona(caller, PERSONA + AUTO, "persona 'auto' (the router picks any persona)");
            return;
        }
        Persona named = personas.get(PersonaRef.parse(persona), caller).persona();
        requirePersona(caller, named.id(), named.model());
    }

    /**
     * Throws 403 unless {@code caller}'s key may reach whichever persona the server picks: the
     * router ({@code persona: auto}, needs {@code persona:auto}) or a team ({@code mode: team|auto},
     * which may call every persona, needs {@code persona:*}).
     */
    public void requireChosenPersona(Principal caller, String needed, String what) {
        KeyGrant grant = keys.grant(caller.keyId());
        if (!grant.allows(needed)) {
            throw new ProblemException(
                    403,
                    "model-not-allowed",
                    "Model not allowed",
                    "key '" + caller.keyName() + "' may not use " + what + " (it needs '" + needed
                            + "' among its models); name a persona whose model the key may use. It may use: "
                            + String.join(", ", grant.models()));
        }
    }

    /** Whether {@code caller}'s key may use every model (no list of allowed models). */
    public boolean unlimited(Principal caller) {
        return keys.grant(caller.keyId()).models().isEmpty();
    }

    /** The names of {@code models} that {@code caller}'s key may use. */
    public List<String> visible(Principal caller, List<String> models) {
        KeyGrant grant = keys.grant(caller.keyId());
        return models.stream().filter(grant::allows).toList();
    }
}
