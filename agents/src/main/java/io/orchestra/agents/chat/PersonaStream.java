package io.orchestra.agents.chat;

import io.orchestra.agents.run.Usage;
import io.orchestra.core.error.ProblemException;
import io.orchestra.core.json.Json;
import io.orchestra.gateway.StreamSink;
import io.orchestra.gateway.cache.StreamReplay;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The client's side of a persona's streamed turn, which may take several model rounds: text reaches
 * the client as each chunk arrives (flushed at once), while tool-call deltas stay here and are
 * assembled by index (the {@link StreamReplay.Accumulator}) so the tool loop can run them. Finish
 * and usage chunks are held back until the round turns out to be the last one.
 */
final class PersonaStream {
    private final StreamSink client;
    private final Map<String, String> extraHeaders;
    private boolean opened;
    private boolean sentRole;
    private final StringBuilder streamed = new StringBuilder();
    private Usage total = Usage.NONE;

    PersonaStream(StreamSink client, Map<String, String> extraHeaders) {
        this.client = client;
        this.extraHeaders = extraHeaders;
    }

    boolean opened() {
        return opened;
    }

    /** Every piece of text the client was sent, across rounds. */
    String streamed() {
        return streamed.toString();
    }

    /** The sink for one model round. */
    Round round() {
        return new Round();
    }

    /** Ends a successful turn: the last round's finish chunk, the usage of all rounds, then the end marker. */
    void finish(Round last) {
        last.held.forEach(client::chunk);
        ObjectNode usage = last.usageChunk == null ? null : last.usageChunk.deepCopy();
        if (usage != null) {
            usage.putObject("usage")
                    .put("prompt_tokens", total.promptTokens())
                    .put("completion_tokens", total.completionTokens())
                    .put("total_tokens", total.promptTokens() + total.completionTokens());
            client.chunk(Json.write(usage));
        }
        client.done();
    }

    /** A failure once the client has the stream: it gets the error as the stream's last event. */
    void fail(RuntimeException e) {
        ObjectNode error = Json.object();
        ObjectNode inner = error.putObject("error");
        inner.put("message", e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        inner.put("type", e instanceof ProblemException p ? p.type() : "server_error");
        inner.putNull("code");
        inner.putNull("param");
        if (e instanceof ProblemException p) {
            inner.put("status", p.status());
        }
        try {
            client.error(Json.write(error));
        } catch (java.io.UncheckedIOException gone) {
            // The client hung up (the failure itself, often): nobody is left to tell.
        }
    }

    /** One model call's stream; the gateway writes to it as to any client. */
    final class Round implements StreamSink {
        private final StreamReplay.Accumulator accumulator = new StreamReplay.Accumulator();
        private final List<String> held = new ArrayList<>();
        private ObjectNode usageChunk;
        private String error;

        /** The round's answer as one completion, tool calls assembled from their deltas. */
        ObjectNode completion() {
            return accumulator.completion();
        }

        /** The provider's error once the stream had begun, or null. */
        String error() {
            return error;
        }

        Usage usage() {
            return Usage.tokens(accumulator.completion().path("usage"), 0);
        }

        @Override
        public void open(Map<String, String> headers) {
            if (!opened) {
                Map<String, String> all = new LinkedHashMap<>(headers);
                all.putAll(extraHeaders);
                client.open(all);
                opened = true;
            }
        }

        @Override
        public void chunk(String json) {
            accumulator.add(json);
            ObjectNode chunk = (ObjectNode) Json.tree(json);
            JsonNode choices = chunk.path("choices");
            if (!choices.isArray() || choices.isEmpty()) {
                if (chunk.path("usage").isObject()) {
                    usageChunk = chunk;
                    total = total.plus(Usage.tokens(chunk.path("usage"), 0));
                }
                return;
            }
            boolean forward = false;
            for (JsonNode choice : choices) {
                ObjectNode delta = choice.path("delta").isObject() ? (ObjectNode) choice.get("delta") : null;
                if (choice.path("finish_reason").isString()) {
                    if (!choice.path("finish_reason").asString().equals("tool_calls")) {
                        streamed.append(
                                delta == null ? "" : delta.path("content").asString(""));
                        held.add(json);
                    }
                    return;
                }
                if (delta == null) {
                    continue;
                }
                delta.remove("tool_calls");
                String text =
                        delta.path("content").isString() ? delta.path("content").asString() : "";
                if (!text.isEmpty()) {
                    streamed.append(text);
                    forward = true;
                } else if (delta.has("role") && !sentRole) {
                    forward = true;
                }
                if (sentRole) {
                    // Later rounds open with a role delta again; the client has one answer, not several.
                    delta.remove("role");
                }
            }
            if (forward) {
                sentRole = true;
                chunk.remove("usage");
                client.chunk(Json.write(chunk));
            }
        }

        @Override
        public void buffer(String json) {
            // Each piece goes out as it comes: a persona's answer must be seen growing.
            chunk(json);
        }

        @Override
        public void flush() {}

        @Override
        public void error(String json) {
            error = Json.tree(json).path("error").path("message").asString("the provider's stream failed");
            client.error(json);
        }

        @Override
        public void done() {}
    }
}
