package io.orchestra.server.auth;

import io.orchestra.core.auth.Principal;
import io.orchestra.core.error.ProblemException;
import java.util.List;

/**
 * The allowed-models part of a key's grant, checked where /v1 takes the model name (before the
 * gateway or a persona sees the request): a key limited to some models is refused any other with a
 * 403 in OpenAI's error shape, and /v1/models lists only what it may use.
 */
public final class ModelAccess {
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

    /** The names of {@code models} that {@code caller}'s key may use. */
    public List<String> visible(Principal caller, List<String> models) {
        KeyGrant grant = keys.grant(caller.keyId());
        return models.stream().filter(grant::allows).toList();
    }
}
