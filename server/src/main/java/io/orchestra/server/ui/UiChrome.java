package io.orchestra.server.ui;

import io.orchestra.core.auth.Principal;
import java.util.List;

/**
 * What the layout needs on every page: title, current path, user, CSRF token, nav, and the origin
 * the browser reached this server at (for copyable examples such as the empty Requests page's curl).
 */
public record UiChrome(String title, String path, Principal user, String csrf, List<UiNav.Item> nav, String origin) {}
