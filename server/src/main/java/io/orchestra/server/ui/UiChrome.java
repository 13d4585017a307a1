package io.orchestra.server.ui;

import io.orchestra.core.auth.Principal;
import java.util.List;

/** What the layout needs on every page: title, current path, user, CSRF token, nav. */
public record UiChrome(String title, String path, Principal user, String csrf, List<UiNav.Item> nav) {}
