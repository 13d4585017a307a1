package io.orchestra.server.http;

import jakarta.servlet.http.HttpServletRequest;
import java.util.function.BiConsumer;

/**
 * Headers every response carries. The UI's policy allows only its own scripts, styles and images
 * (it has no inline script or style) and no framing; everything else is data, so its policy allows
 * nothing at all. HSTS only over HTTPS, decided as the UI's Secure cookie is.
 */
public final class SecurityHeaders {
    static final String UI_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";
    static final String DATA_POLICY = "default-src 'none'; frame-ancestors 'none'";

    private SecurityHeaders() {}

    public static void apply(String path, boolean https, BiConsumer<String, String> header) {
        header.accept("X-Content-Type-Options", "nosniff");
        header.accept("Referrer-Policy", "no-referrer");
        header.accept("X-Frame-Options", "DENY");
        header.accept(
                "Content-Security-Policy", path.equals("/ui") || path.startsWith("/ui/") ? UI_POLICY : DATA_POLICY);
        if (https) {
            header.accept("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
        }
    }

    /** Over HTTPS, or behind a proxy that terminated it and says so (Cloud Run, a load balancer). */
    public static boolean overHttps(HttpServletRequest request) {
        return request.isSecure() || "https".equalsIgnoreCase(request.getHeader("X-Forwarded-Proto"));
    }
}
