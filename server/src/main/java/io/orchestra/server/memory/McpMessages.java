package io.orchestra.server.memory;

import io.orchestra.core.error.ProblemException;
import io.orchestra.core.json.Json;
import io.orchestra.server.http.Bodies;
import io.orchestra.server.http.JsonRpcProblem;
import io.orchestra.server.http.JsonRpcProblem.Code;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Checks one POSTed MCP message before the SDK sees it: JSON, a single JSON-RPC 2.0 request or
 * notification (MCP 2025-06-18 dropped batches), a usable id, a string method, object params, and
 * the params our methods need. The SDK answers anything else by serializing a Java exception.
 */
final class McpMessages {
    private McpMessages() {}

    /** The message as a JSON object, or a {@link JsonRpcProblem} that says what is wrong with it. */
    static JsonNode check(byte[] body) {
        JsonNode message = parse(body);
        if (message.isArray()) {
            throw invalid("JSON-RPC batches are not supported: send one message per request", null);
        }
        if (!message.isObject()) {
            throw invalid("a JSON-RPC message must be a JSON object", null);
        }
        JsonNode id = usableId(message);
        if (!"2.0"
                .equals(
                        message.path("jsonrpc").isString()
                                ? message.path("jsonrpc").asString()
                                : null)) {
            throw invalid("'jsonrpc' must be \"2.0\"", id);
        }
        JsonNode method = message.get("method");
        if (method == null) {
            throw invalid(
                    message.has("result") || message.has("error")
                            ? "this server sends no requests, so it accepts no JSON-RPC responses"
                            : "'method' is required",
                    id);
        }
        if (!method.isString() || method.asString().isBlank()) {
            throw invalid("'method' must be a non-empty string", id);
        }
        JsonNode params = message.get("params");
        if (params != null && !params.isNull() && !params.isObject()) {
            throw invalidParams("'params' must be an object", id);
        }
        if (id != null) {
            checkParams(method.asString(), params == null || params.isNull() ? Json.object() : params, id);
        }
        return message;
    }

    private static JsonNode parse(byte[] body) {
        JsonNode message;
        try {
            message = Json.mapper().readTree(body);
        } catch (JacksonException e) {
            ProblemException problem = Bodies.malformed(e);
            throw JsonRpcProblem.badRequest(Code.PARSE_ERROR, problem.detail(), null);
        }
        if (message == null || message.isMissingNode()) {
            throw JsonRpcProblem.badRequest(
                    Code.PARSE_ERROR, "the request body is empty; expected a JSON-RPC message", null);
        }
        return message;
    }

    /** A string or an integer that fits a long; MCP forbids null ids. Absent means a notification. */
    private static JsonNode usableId(JsonNode message) {
        JsonNode id = message.get("id");
        if (id == null) {
            return null;
        }
        boolean ok = id.isString() && id.asString().length() <= 200 || id.isIntegralNumber() && id.canConvertToLong();
        if (!ok) {
            throw invalid("'id' must be a string (at most 200 characters) or an integer", null);
        }
        return id;
    }

    /** What the SDK would otherwise fail on while converting params (answering with Java type names). */
    private static void checkParams(String method, JsonNode params, JsonNode id) {
        switch (method) {
            case "initialize" -> {
                requireString(params, "protocolVersion", id);
                requireObject(params, "clientInfo", id);
                requireString(params.get("clientInfo"), "name", id);
                optionalObject(params, "capabilities", id);
            }
            case "tools/call" -> {
                requireString(params, "name", id);
                optionalObject(params, "arguments", id);
            }
            case "tools/list" -> {
                if (params.has("cursor")
                        && !params.get("cursor").isString()
                        && !params.get("cursor").isNull()) {
                    throw invalidParams("'params.cursor' must be a string", id);
                }
            }
            default -> {}
        }
        optionalObject(params, "_meta", id);
    }

    private static void requireString(JsonNode params, String field, JsonNode id) {
        if (!params.path(field).isString()) {
            throw invalidParams("'" + field + "' is required and must be a string", id);
        }
    }

    private static void requireObject(JsonNode params, String field, JsonNode id) {
        if (!params.path(field).isObject()) {
            throw invalidParams("'" + field + "' is required and must be an object", id);
        }
    }

    private static void optionalObject(JsonNode params, String field, JsonNode id) {
        JsonNode value = params.get(field);
        if (value != null && !value.isNull() && !value.isObject()) {
            throw invalidParams("'" + field + "' must be an object", id);
        }
    }

    private static JsonRpcProblem invalid(String message, JsonNode id) {
        return JsonRpcProblem.badRequest(Code.INVALID_REQUEST, message, id);
    }

    private static JsonRpcProblem invalidParams(String message, JsonNode id) {
        return JsonRpcProblem.badRequest(Code.INVALID_PARAMS, message, id);
    }
}
