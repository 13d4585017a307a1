package io.orchestra.server.http;

import io.javalin.http.Context;
import io.orchestra.core.error.ProblemException;
import io.orchestra.core.json.Json;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes errors: RFC 9457 problem+json everywhere, except under /v1 where OpenAI clients expect
 * {@code {"error":{"message","type","code","param"}}} (the request id rides along in both).
 */
public final class Problems {
    public static final String TYPE_BASE = "https://orchestra.dev/problems/";

    private Problems() {}

    public static void write(Context ctx, ProblemException problem) {
        ctx.status(problem.status());
        problem.headers().forEach(ctx::header);
        if (ctx.path().startsWith("/v1/")) {
            ctx.contentType("application/json").result(Json.write(openAi(ctx, problem)));
        } else {
            ctx.contentType("application/problem+json").result(Json.write(problemJson(ctx, problem)));
        }
    }

    public static ObjectNode problemJson(Context ctx, ProblemException problem) {
        ObjectNode body = Json.object();
        body.put("type", TYPE_BASE + problem.type());
        body.put("title", problem.title());
        body.put("status", problem.status());
        body.put("detail", problem.detail());
        body.put("instance", ctx.path());
        body.put("request_id", Requests.requestId(ctx));
        if (!problem.errors().isEmpty()) {
            ArrayNode errors = body.putArray("errors");
            problem.errors().forEach(errors::add);
        }
        return body;
    }

    static ObjectNode openAi(Context ctx, ProblemException problem) {
        ObjectNode body = Json.object();
        ObjectNode error = body.putObject("error");
        error.put("message", problem.detail());
        error.put("type", openAiType(problem.status()));
        error.put("code", problem.type().replace('-', '_'));
        error.putNull("param");
        error.put("request_id", Requests.requestId(ctx));
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
