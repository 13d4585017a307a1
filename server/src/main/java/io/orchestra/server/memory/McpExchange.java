package io.orchestra.server.memory;

import io.orchestra.core.json.Json;
import io.orchestra.server.http.JsonRpcProblem;
import io.orchestra.server.http.JsonRpcProblem.Code;
import io.orchestra.server.http.LogExcerpt;
import io.orchestra.server.http.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One checked message through the SDK's servlet: the body it reads is the one already read and
 * checked, and its answer is held (stateless answers are one small JSON) so an error the SDK
 * renders as a serialized exception, or an internal error carrying an exception's message, is
 * replaced by a plain JSON-RPC error before anything reaches the client.
 */
final class McpExchange {
    private static final Logger LOG = LoggerFactory.getLogger(McpExchange.class);

    private McpExchange() {}

    static Answer run(FilterChain chain, HttpServletRequest request, HttpServletResponse response, byte[] body)
            throws IOException, ServletException {
        Held held = new Held(response);
        chain.doFilter(new Replayed(request, body), held);
        return new Answer(held.status(), held.contentType(), held.bytes());
    }

    record Answer(int status, String contentType, byte[] body) {
        void writeVetted(HttpServletResponse response, String requestId) throws IOException {
            JsonNode json = parse(body);
            boolean rpcError = json != null && json.path("error").path("code").isInt() && json.has("jsonrpc");
            if (status >= 400 && !rpcError) {
                LOG.warn("the MCP transport answered {}: {}", status, LogExcerpt.of(body));
                Problems.write(response, "/mcp", requestId, replacement(status));
                return;
            }
            if (rpcError && json.path("error").path("code").asInt() == Code.INTERNAL_ERROR.value()) {
                // The SDK puts the exception's message here; log it, answer with the request id instead.
                LOG.warn(
                        "an MCP request failed: {}",
                        json.path("error").path("message").asString(""));
                ((ObjectNode) json.get("error"))
                        .put("message", "internal error; quote request id " + requestId)
                        .remove("data");
                byte[] vetted = Json.writeBytes(json);
                send(response, status, contentType, vetted);
                return;
            }
            send(response, status, contentType, body);
        }

        private static JsonRpcProblem replacement(int status) {
            String message = switch (status) {
                case 503 -> "the server is shutting down; retry on another replica";
                case 413 -> "the request body is too large";
                default -> status >= 500 ? "internal error" : "the request was not accepted";
            };
            return new JsonRpcProblem(
                    status, status >= 500 ? Code.INTERNAL_ERROR : Code.INVALID_REQUEST, message, null);
        }

        private static void send(HttpServletResponse response, int status, String contentType, byte[] body)
                throws IOException {
            response.setStatus(status);
            if (contentType != null) {
                response.setContentType(contentType);
            }
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        }

        private static JsonNode parse(byte[] body) {
            if (body.length == 0) {
                return null;
            }
            try {
                return Json.mapper().readTree(body);
            } catch (JacksonException e) {
                return null;
            }
        }
    }

    /** The checked body, readable again by the SDK. */
    private static final class Replayed extends HttpServletRequestWrapper {
        private final byte[] body;

        Replayed(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("blocking reads only");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }

    /** Holds the SDK's status and body instead of sending them. */
    private static final class Held extends HttpServletResponseWrapper {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private int status = 200;
        private String contentType;
        private PrintWriter writer;

        Held(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void setStatus(int sc) {
            status = sc;
        }

        @Override
        public void sendError(int sc) {
            status = sc;
        }

        @Override
        public void sendError(int sc, String msg) {
            status = sc;
        }

        @Override
        public int getStatus() {
            return status;
        }

        @Override
        public void setContentType(String type) {
            contentType = type;
        }

        @Override
        public String getContentType() {
            return contentType;
        }

        @Override
        public void setContentLength(int len) {}

        @Override
        public void setContentLengthLong(long len) {}

        @Override
        public void flushBuffer() {}

        @Override
        public ServletOutputStream getOutputStream() {
            return new ServletOutputStream() {
                @Override
                public void write(int b) {
                    buffer.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    buffer.write(b, off, len);
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                    throw new UnsupportedOperationException("blocking writes only");
                }
            };
        }

        @Override
        public PrintWriter getWriter() {
            if (writer == null) {
                writer = new PrintWriter(new OutputStreamWriter(buffer, StandardCharsets.UTF_8));
            }
            return writer;
        }

        int status() {
            return status;
        }

        String contentType() {
            return contentType;
        }

        byte[] bytes() {
            if (writer != null) {
                writer.flush();
            }
            return buffer.toByteArray();
        }
    }
}
