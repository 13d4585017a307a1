package io.orchestra.server.memory;

import io.orchestra.core.error.ProblemException;
import io.orchestra.server.http.JsonRpcProblem;
import io.orchestra.server.http.JsonRpcProblem.Code;
import io.orchestra.server.http.LogExcerpt;
import io.orchestra.server.http.Problems;
import io.orchestra.server.http.RequestScope;
import io.orchestra.server.http.Requests;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything /mcp checks before the SDK's transport runs, answering each failure with a JSON-RPC
 * 2.0 error object and the status the MCP Streamable HTTP transport gives: 405 for anything but
 * POST, 401 without a valid key, 403 for a foreign Origin, 415 for a body that is not JSON, 400
 * for an Accept header without both media types or a body that is not one usable JSON-RPC message,
 * 413 past orchestra.http.max-body-bytes. Then it hands the checked body on and vets the answer, so
 * no Java exception the SDK serializes ever reaches a client.
 */
final class McpGuard implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger(McpGuard.class);

    private final RequestScope scope;
    private final Predicate<String> originAllowed;

    McpGuard(RequestScope scope, Predicate<String> originAllowed) {
        this.scope = scope;
        this.originAllowed = originAllowed;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        byte[] body = null;
        try {
            if (!request.getMethod().equals("POST")) {
                response.setHeader("Allow", "POST");
                throw rejected(405, "this stateless MCP endpoint answers POST only");
            }
            if (scope.authenticate(request).isEmpty()) {
                response.setHeader("WWW-Authenticate", "Bearer realm=\"orchestra\", error=\"invalid_token\"");
                throw rejected(401, Requests.KEY_REQUIRED);
            }
            String origin = request.getHeader("Origin");
            if (origin != null && !originAllowed.test(origin)) {
                throw rejected(403, "Origin " + origin + " is not allowed (orchestra.mcp.allowed-origins)");
            }
            String contentType = String.valueOf(request.getContentType()).toLowerCase(Locale.ROOT);
            if (!contentType.startsWith("application/json")) {
                throw rejected(415, "expected Content-Type application/json");
            }
            String accept = String.valueOf(request.getHeader("Accept")).toLowerCase(Locale.ROOT);
            if (!accept.contains("application/json") || !accept.contains("text/event-stream")) {
                throw rejected(400, "the Accept header must list both application/json and text/event-stream");
            }
            body = read(request);
            McpMessages.check(body);
        } catch (ProblemException problem) {
            if (body != null) {
                LOG.info("rejected an MCP message: {}; body {}", problem.detail(), LogExcerpt.of(body));
            }
            Problems.write(response, "/mcp", RequestScope.requestId(request), problem);
            return;
        }
        McpExchange.Answer answer = McpExchange.run(chain, request, response, body);
        answer.writeVetted(response, RequestScope.requestId(request));
    }

    private static ProblemException rejected(int status, String message) {
        return new JsonRpcProblem(status, Code.INVALID_REQUEST, message, null);
    }

    /** The body, up to the limit every route has; one byte past it is a 413. */
    private byte[] read(HttpServletRequest request) throws IOException {
        long limit = scope.maxBodyBytes();
        if (request.getContentLengthLong() > limit) {
            throw tooLarge(limit);
        }
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (body.length > limit) {
                throw tooLarge(limit);
            }
            return body;
        }
    }

    private static ProblemException tooLarge(long limit) {
        return new JsonRpcProblem(
                413,
                Code.INVALID_REQUEST,
                "the request body exceeds the limit of " + limit + " bytes (orchestra.http.max-body-bytes)",
                null);
    }
}
