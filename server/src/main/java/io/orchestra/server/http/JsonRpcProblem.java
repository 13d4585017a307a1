package io.orchestra.server.http;

import io.orchestra.core.error.ProblemException;
import tools.jackson.databind.JsonNode;

/**
 * A failure of a JSON-RPC message on /mcp: the HTTP status the MCP Streamable HTTP transport gives
 * (400 for a body or Accept header it cannot accept), the JSON-RPC error code, and the request's id
 * when it had a usable one.
 */
public final class JsonRpcProblem extends ProblemException {
    /** The JSON-RPC 2.0 error codes we answer with. */
    public enum Code {
        PARSE_ERROR(-32700),
        INVALID_REQUEST(-32600),
        METHOD_NOT_FOUND(-32601),
        INVALID_PARAMS(-32602),
        INTERNAL_ERROR(-32603);

        private final int value;

        Code(int value) {
            this.value = value;
        }

        public int value() {
            return value;
        }

        /** For an HTTP-level failure on /mcp (auth, size, method): what JSON-RPC calls it. */
        static Code forStatus(int status) {
            return status >= 500 ? INTERNAL_ERROR : INVALID_REQUEST;
        }
    }

    private final Code code;
    private final JsonNode id;

    public JsonRpcProblem(int status, Code code, String message, JsonNode id) {
        super(status, code.name().toLowerCase().replace('_', '-'), "JSON-RPC error", message);
        this.code = code;
        this.id = id;
    }

    public static JsonRpcProblem badRequest(Code code, String message, JsonNode id) {
        return new JsonRpcProblem(400, code, message, id);
    }

    public Code code() {
        return code;
    }

    /** The request's id, or null when it had none usable (the error then carries {@code "id": null}). */
    public JsonNode id() {
        return id;
    }
}
