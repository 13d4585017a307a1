package io.orchestra.gateway;

import io.orchestra.core.json.Json;
import io.orchestra.gateway.cache.StreamReplay;
import io.orchestra.gateway.providers.ProviderSettings;
import io.orchestra.gateway.providers.StreamFormat;
import io.orchestra.gateway.providers.StreamTranslator;
import io.orchestra.gateway.providers.TokenUsage;
import io.orchestra.gateway.providers.Translation;
import io.orchestra.gateway.providers.UpstreamStreamError;
import io.orchestra.gateway.routing.Upstream;
import io.orchestra.gateway.routing.UpstreamFailure;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.node.ObjectNode;

/**
 * Relays one provider stream to a sink: frames its events (SSE or NDJSON; LF, CRLF and bytes split
 * anywhere, the reader decodes whole lines), translates them, holds chunks back until the first
 * content so an early failure can still fall back, decides whether the stream really ended, and
 * appends the usage chunk a client asked for from the translator's usage.
 */
final class StreamRelay {
    /**
     * How a relayed stream ended: status 200 for a complete answer, 502 (error event or cut off)
     * or 504 (stalled) after it began; {@code completion} is the whole answer for the cache, null
     * unless asked for and complete.
     */
    record Relayed(
            int status, String model, TokenUsage usage, Double firstTokenMs, String error, ObjectNode completion) {}

    private StreamRelay() {}

    /**
     * @param headers the response headers for the answering model, asked once, just before the first chunk
     * @throws UpstreamFailure when the stream failed before any content reached the client (fallback is possible)
     */
    static Relayed relay(
            Upstream.Streaming streaming,
            StreamFormat format,
            StreamTranslator translator,
            StreamSink sink,
            boolean includeUsage,
            boolean accumulate,
            long callStartNanos,
            ProviderSettings settings,
            String requestedModel,
            Function<String, Map<String, String>> headers)
            throws UpstreamFailure {
        StreamReplay.Accumulator accumulator = accumulate ? new StreamReplay.Accumulator() : null;
        List<String> held = new ArrayList<>();
        boolean opened = false;
        Double firstTokenMs = null;
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(streaming.body(), StandardCharsets.UTF_8))) {
            String event = null;
            StringBuilder data = new StringBuilder();
            String line;
            // Finished is checked first: a line read after the provider's last event would wait for nothing.
            while (!translator.finished() && (line = nextLine(reader, sink)) != null) {
                String payload = null;
                String eventName = null;
                if (format == StreamFormat.NDJSON) {
                    if (!line.isBlank()) {
                        payload = line;
                    }
                } else if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        payload = data.toString();
                        eventName = event;
                    }
                    data.setLength(0);
                    event = null;
                } else if (line.startsWith("data:")) {
                    data.append(data.isEmpty() ? "" : "\n")
                            .append(line, line.startsWith("data: ") ? 6 : 5, line.length());
                } else if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                }
                if (payload == null) {
                    continue;
                }
                List<String> chunks;
                try {
                    chunks = translator.onEvent(eventName, payload);
                } catch (UpstreamStreamError e) {
                    if (!opened) {
                        throw new UpstreamFailure(
                                UpstreamFailure.Kind.STREAM, e.status(), settings.scrub(e.getMessage()), null);
                    }
                    sink.error(Gateway.errorJson(settings.scrub(e.getMessage()), "upstream_error"));
                    return ended(502, translator, requestedModel, firstTokenMs, settings.scrub(e.getMessage()));
                } catch (JacksonException e) {
                    continue;
                }
                for (String chunk : chunks) {
                    if (accumulator != null) {
                        accumulator.add(chunk);
                    }
                    if (opened) {
                        sink.buffer(chunk);
                    } else {
                        held.add(chunk);
                    }
                }
                if (!opened && translator.sentContent()) {
                    opened = true;
                    firstTokenMs = (System.nanoTime() - callStartNanos) / 1e6;
                    sink.open(headers.apply(modelOf(translator, requestedModel)));
                    held.forEach(sink::buffer);
                    held.clear();
                }
            }
        } catch (IOException e) {
            if (!opened) {
                throw new UpstreamFailure(
                        UpstreamFailure.Kind.TIMEOUT,
                        0,
                        "the stream stalled or broke: " + e.getClass().getSimpleName(),
                        null);
            }
            sink.error(Gateway.errorJson("the provider's stream stalled or broke", "upstream_timeout"));
            return ended(504, translator, requestedModel, firstTokenMs, "stream stalled");
        }
        if (!translator.complete()) {
            if (!opened) {
                throw new UpstreamFailure(
                        UpstreamFailure.Kind.STREAM, 502, "the stream ended before any content", null);
            }
            // The provider closed the connection cleanly but never said the answer was over: a
            // cut-off answer must not reach the client (or the log) as a finished one.
            sink.error(
                    Gateway.errorJson("the provider's stream ended before the answer was complete", "upstream_error"));
            return ended(502, translator, requestedModel, firstTokenMs, Gateway.TRUNCATED);
        }
        if (!opened) {
            // A finished stream without content (an empty answer) is still an answer.
            sink.open(headers.apply(modelOf(translator, requestedModel)));
            held.forEach(sink::buffer);
        }
        TokenUsage usage = translator.usage();
        if (!usage.equals(TokenUsage.NONE) && (includeUsage || accumulator != null)) {
            String usageChunk = usageChunk(translator, requestedModel, usage);
            if (includeUsage) {
                sink.buffer(usageChunk);
            }
            if (accumulator != null) {
                accumulator.add(usageChunk);
            }
        }
        sink.done();
        return new Relayed(
                200,
                modelOf(translator, requestedModel),
                usage,
                firstTokenMs,
                null,
                accumulator == null ? null : accumulator.completion());
    }

    private static Relayed ended(
            int status, StreamTranslator translator, String requestedModel, Double firstTokenMs, String error) {
        return new Relayed(status, modelOf(translator, requestedModel), translator.usage(), firstTokenMs, error, null);
    }

    /** The usage-only chunk OpenAI sends last when {@code stream_options.include_usage} is set. */
    private static String usageChunk(StreamTranslator translator, String requestedModel, TokenUsage usage) {
        ObjectNode chunk = Translation.chunk(
                translator.id() == null ? "chatcmpl-orchestra" : translator.id(),
                translator.created() == 0 ? System.currentTimeMillis() / 1000 : translator.created(),
                modelOf(translator, requestedModel));
        chunk.set("usage", Translation.usageNode(usage));
        return Json.write(chunk);
    }

    private static String modelOf(StreamTranslator translator, String requestedModel) {
        String model = translator.model();
        return model == null || model.isEmpty() ? requestedModel : model;
    }

    /** The next line of the provider's stream; before waiting for it, what the client was sent so far is flushed. */
    private static String nextLine(BufferedReader reader, StreamSink sink) throws IOException {
        if (!reader.ready()) {
            sink.flush();
        }
        return reader.readLine();
    }
}
