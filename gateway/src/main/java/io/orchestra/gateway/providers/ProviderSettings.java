package io.orchestra.gateway.providers;

import io.orchestra.core.config.Secrets;
import java.util.Map;

/** One configured provider: its kind (which translation), where it is, and its key. */
public record ProviderSettings(String name, String kind, String baseUrl, String apiKey, Map<String, String> headers) {
    public boolean hasKey() {
        return apiKey != null && !apiKey.isBlank();
    }

    /** Removes the key from any text before it leaves the process (errors, logs). */
    public String scrub(String text) {
        if (text == null || !hasKey() || apiKey.length() < 4) {
            return text;
        }
        return text.replace(apiKey, Secrets.mask(apiKey));
    }

    @Override
    public String toString() {
        return "ProviderSettings[name=" + name + ", kind=" + kind + ", baseUrl=" + baseUrl + ", apiKey="
                + Secrets.mask(apiKey) + "]";
    }
}
