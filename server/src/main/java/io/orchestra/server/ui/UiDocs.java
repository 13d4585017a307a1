package io.orchestra.server.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * /ui/docs/{page}.md: a page of docs/ as shipped in the jar (server/pom.xml copies them), so empty
 * states can link the docs of this very version. The Markdown is shown as text in the layout.
 */
final class UiDocs {
    /** Only top-level page names: no path, so nothing outside the docs can be named. */
    private static final Pattern PAGE = Pattern.compile("[a-z0-9-]{1,40}\\.md");

    private UiDocs() {}

    static void show(UiRequest request) {
        String page = request.ctx().pathParam("page");
        InputStream in = PAGE.matcher(page).matches()
                ? UiDocs.class.getResourceAsStream("/io/orchestra/server/docs/" + page)
                : null;
        if (in == null) {
            request.ctx().status(404);
            request.page(
                    "notice.jte",
                    "No such page",
                    Map.of(
                            "message", "The docs have no page by that name.",
                            "backPath", "/ui/docs/gateway.md",
                            "backLabel", "the gateway docs"));
            return;
        }
        String text;
        try (in) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String title = text.lines()
                .filter(l -> l.startsWith("# "))
                .findFirst()
                .map(l -> l.substring(2).trim())
                .orElse(page);
        request.page("doc.jte", title, Map.of("page", page, "text", text));
    }
}
