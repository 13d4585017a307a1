package io.orchestra.server.ui;

import java.util.Map;

/** A page that says something is missing and where to go instead (never a bare 404 body). */
final class UiNotice {
    private UiNotice() {}

    static void notFound(UiRequest request, String title, String message, String backPath, String backLabel) {
        request.ctx().status(404);
        request.page("notice.jte", title, Map.of("message", message, "backPath", backPath, "backLabel", backLabel));
    }
}
