package io.orchestra.server.http;

import io.javalin.http.Context;
import io.orchestra.core.error.ProblemException;
import io.orchestra.core.json.Json;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes errors, in the shape each route family promises: RFC 9457 problem+json by default, OpenAI's
 * {@code {"error":{"message","type","code","param"}}} under /v1, and a JSON-RPC 2.0 error object on
 * /mcp (the request id rides along in all three). Javalin's handlers, the mounted servlets and
 * Jetty's own error handler all come here, so the shape is chosen in one place.
 */
public final class Problems {
    public static final String TYPE_BASE = "https://orchestra.dev/problems/";

    private Problems() {}

    /** An error body ready to send. */
    public record Rendered(String contentType, byte[] body) {}

    public static void write(Context ctx, ProblemException problem) {
        Rendered rendered = render(ctx.path(), Requests.requestId(ctx), problem);
        ctx.status(problem.status());
        problem.headers().forEach(ctx::header);
        ctx.contentType(rendered.contentType()).result(rendered.body());
    }

    /** For a servlet outside Javalin (/mcp) and for Jetty's error handler. */
    public static void write(HttpServletResponse response, String path, String requestId, ProblemException problem)
            throws IOException {
        Rendered rendered = render(path, requestId, problem);
        response.setStatus(problem.status());
        problem.headers().forEach(response::setHeader);
        response.setContentType(rendered.contentType());
        response.setContentLength(rendered.body().length);
        response.getOutputStream().write(rendered.body());
    }

    public static Rendered render(String path, String requestId, ProblemException problem) {
        if (path.startsWith("/v1/")) {
            return new Rendered("application/json", Json.writeBytes(openAi(requestId, problem)));
        }
        if (path.equals("/mcp")) {
            return new Rendered("application/json", Json.writeBytes(jsonRpc(requestId, problem)));
        }
        return new Rendered("application/problem+json", Json.writeBytes(problemJson(path, requestId, problem)));
    }

    public static ObjectNode problemJson(Context ctx, ProblemException problem) {
        return problemJson(ctx.path(), Requests.requestId(ctx), problem);
    }

    static ObjectNode problemJson(String path, String requestId, ProblemException problem) {
        ObjectNode body = Json.object();
        body.put("type", TYPE_BASE + problem.type());
        body.put("title", problem.title());
        body.put("status", problem.status());
        body.put("detail", problem.detail());
        body.put("instance", path);
        body.put("request_id", requestId);
        if (!problem.errors().isEmpty()) {
            ArrayNode errors = body.putArray("errors");
            problem.errors().forEach(errors::add);
        }
        return body;
    }

    static ObjectNode openAi(String requestId, ProblemException problem) {
        ObjectNode body = Json.object();
        ObjectNode error = body.putObject("error");
        error.put("message", problem.detail());
        error.put("type", openAiType(problem.status()));
        error.put("code", problem.type().replace('-', '_'));
        error.putNull("param");
        error.put("request_id", requestId);
        return body;
    }

    static ObjectNode jsonRpc(String requestId, ProblemException problem) {
        ObjectNode body = Json.object();
        body.put("jsonrpc", "2.0");
        JsonRpcProblem rpc = problem instanceof JsonRpcProblem p ? p : null;
        if (rpc != null && rpc.id() != null) {
            body.set("id", rpc.id());
        } else {
            body.putNull("id");
        }
        ObjectNode error = body.putObject("error");
        error.put("code", (rpc != null ? rpc.code() : JsonRpcProblem.Code.forStatus(problem.status())).value());
        error.put("message", problem.detail());
        error.putObject("data").put("status", problem.status()).put("request_id", requestId);
        return body;
    }

    private static String openAiType(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 429 -> "rate_limit_error";
            default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
    }
}
