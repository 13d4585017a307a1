package io.orchestra.server.ui;

import io.orchestra.core.auth.Principal;
import java.util.List;

/** The navigation: every page, filtered by what the user may see. */
public record UiNav(List<UiPage> pages) {
    public record Item(String path, String title) {}

    public List<Item> visibleTo(Principal user) {
        return pages.stream()
                .filter(p -> !p.adminOnly() || user.isAdmin())
                .map(p -> new Item(p.path(), p.title()))
                .toList();
    }
}
