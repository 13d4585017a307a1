package io.orchestra.server.http;

import io.orchestra.core.error.ProblemException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.List;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers itself, before any route runs (a {@code %00} or {@code ..;} in the path, a
 * bad URI encoding, a malformed request line or headers): the same shapes as every other error
 * instead of Jetty's HTML page. One handler for the server, one for the servlet context (the ee10
 * handler is its own class), both rendering through {@link Problems}.
 */
public final class JettyErrors {
    private JettyErrors() {}

    /** For the Jetty server: errors outside any context, and HTTP parser failures. */
    public static final class ServerHandler extends org.eclipse.jetty.server.handler.ErrorHandler {
        @Override
        protected boolean generateAcceptableResponse(
                Request request,
                Response response,
                Callback callback,
                String contentType,
                List<Charset> charsets,
                int code,
                String message,
                Throwable cause) {
            return JettyErrors.write(request, response, callback, code, message);
        }

        @Override
        public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
            Problems.Rendered rendered = Problems.render("/", Requests.requestIdFor(null), problem(status, reason));
            fields.put(new HttpField(HttpHeader.CONTENT_TYPE, rendered.contentType()));
            return ByteBuffer.wrap(rendered.body());
        }
    }

    /** For the servlet context Javalin and /mcp run in. */
    public static final class ContextHandler extends org.eclipse.jetty.ee10.servlet.ErrorHandler {
        @Override
        protected boolean generateAcceptableResponse(
                Request request,
                Response response,
                Callback callback,
                String contentType,
                List<Charset> charsets,
                int code,
                String message,
                Throwable cause) {
            return JettyErrors.write(request, response, callback, code, message);
        }
    }

    static boolean write(Request request, Response response, Callback callback, int code, String message) {
        String path = path(request);
        String requestId = Requests.requestIdFor(request.getHeaders().get(Requests.REQUEST_ID_HEADER));
        Problems.Rendered rendered = Problems.render(path, requestId, problem(code, message));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, rendered.contentType());
        response.getHeaders().put(Requests.REQUEST_ID_HEADER, requestId);
        SecurityHeaders.apply(path, request.isSecure(), response.getHeaders()::put);
        response.write(true, ByteBuffer.wrap(rendered.body()), callback);
        return true;
    }

    /** The status and Jetty's reason, without any cause (a cause names Java classes). */
    static ProblemException problem(int code, String message) {
        int status = code < 400 || code > 599 ? 400 : code;
        String title = HttpStatus.getMessage(status);
        String detail = message == null || message.isBlank() || message.length() > 200
                ? title
                : message.replaceAll("[^\\p{Print}]", "?");
        return new ProblemException(status, title.toLowerCase().replace(' ', '-'), title, detail);
    }

    private static String path(Request request) {
        try {
            String path = request.getHttpURI().getPath();
            return path == null || path.isEmpty() ? "/" : path;
        } catch (RuntimeException e) {
            return "/";
        }
    }
}
