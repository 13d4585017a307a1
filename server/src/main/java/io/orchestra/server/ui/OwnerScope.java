package io.orchestra.server.ui;

import io.orchestra.server.auth.ApiKey;
import io.orchestra.server.auth.ApiKeyStore;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Whose memory, documents or runs a page shows. The services scope everything by owner; a member
 * always gets their own, an admin may pick any owner that has a key (their own by default).
 */
public record OwnerScope(String owner, List<String> choices) {

    /** Reads the {@code owner} field through {@code input}, so a bad one is reported inline. */
    static OwnerScope of(UiRequest request, ApiKeyStore keys, UiInput input) {
        String own = request.user().owner();
        if (!request.user().isAdmin()) {
            String asked = input.text("owner", "Owner", 200);
            if (asked != null && !asked.equals(own)) {
                input.error("Owner: a member key sees only its own owner's data (" + own + ")");
            }
            return new OwnerScope(own, List.of(own));
        }
        TreeSet<String> others =
                new TreeSet<>(keys.list().stream().map(ApiKey::owner).toList());
        others.remove(own);
        List<String> choices = new ArrayList<>();
        choices.add(own);
        choices.addAll(others);
        return new OwnerScope(input.choice("owner", "Owner", choices, own), List.copyOf(choices));
    }

    /** The keys a user may see on the data pages: every key for an admin, their owner's keys for a member. */
    static List<ApiKey> keysVisibleTo(ApiKeyStore keys, io.orchestra.core.auth.Principal user) {
        return keys.list().stream()
                .filter(k -> user.isAdmin() || k.owner().equals(user.owner()))
                .toList();
    }

    public boolean canChoose() {
        return choices.size() > 1;
    }

    /** {@code owner=...} for links and redirects that keep the scope. */
    public String param() {
        return "owner=" + URLEncoder.encode(owner, StandardCharsets.UTF_8);
    }
}
