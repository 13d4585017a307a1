package io.orchestra.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestra.core.json.Json;
import io.orchestra.gateway.providers.MalformedAnswer;
import io.orchestra.gateway.providers.Provider;
import io.orchestra.gateway.providers.ProviderSettings;
import io.orchestra.gateway.providers.Providers;
import io.orchestra.gateway.providers.StreamFormat;
import io.orchestra.gateway.providers.StreamTranslator;
import io.orchestra.gateway.providers.UpstreamStreamError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Every provider's translation of what comes back (answers, embeddings, error bodies, streams), as the
 * gateway gets it from the registry, fed random and mutated provider JSON: the gateway's typed errors
 * ({@link MalformedAnswer}, {@link UpstreamStreamError}) and, inside a stream, an unparsable event (a
 * {@link JacksonException}, which the gateway skips) are the only failures; anything else was a 500.
 */
class ProviderTranslationFuzzTest {
    private static final List<String> RESPONSES = Fuzz.corpus("provider-response");
    private static final List<String> STREAMS = Fuzz.corpus("provider-stream");

    @Provide
    Arbitrary<String> kinds() {
        return Arbitraries.of(Providers.kinds().stream().sorted().toList());
    }

    @Provide
    Arbitrary<String> responses() {
        return Fuzz.json(RESPONSES);
    }

    @Provide
    Arbitrary<String> streams() {
        return Arbitraries.longs().map(seed -> mutateStream(new Random(seed)));
    }

    @Property(seed = Fuzz.SEED)
    void answersTranslateOrFailTyped(@ForAll("kinds") String kind, @ForAll("responses") String body) {
        answer(kind, body);
    }

    @Property(seed = Fuzz.SEED)
    void streamsTranslateOrFailTyped(@ForAll("kinds") String kind, @ForAll("streams") String stream) {
        stream(kind, stream);
    }

    @Property(seed = Fuzz.SEED)
    void errorBodiesGiveAMessage(@ForAll("kinds") String kind, @ForAll("responses") String body) {
        Provider provider = Providers.byKind(kind).orElseThrow();
        Fuzz.expectOnly(
                "provider-response",
                body,
                () -> assertThat(provider.errorMessage(429, body)).isNotBlank());
    }

    @Example
    void corpusReplays() {
        for (String kind : Providers.kinds()) {
            RESPONSES.forEach(body -> answer(kind, body));
            STREAMS.forEach(stream -> stream(kind, stream));
        }
    }

    private static void answer(String kind, String body) {
        JsonNode parsed;
        try {
            parsed = Json.mapper().readTree(body);
        } catch (JacksonException e) {
            return; // the gateway answers invalid JSON from a provider with a 502 before any translation
        }
        if (parsed == null) {
            return;
        }
        Provider provider = Providers.byKind(kind).orElseThrow();
        Fuzz.expectOnly(
                "provider-response",
                body,
                () -> {
                    Json.write(provider.chatResponse(parsed, "m"));
                    provider.usage(parsed);
                    if (provider.embeddingsRequest(settings(kind), "m", Json.tree("\"text\"")) != null) {
                        provider.embeddings(parsed);
                        provider.embeddingTokens(parsed);
                    }
                },
                MalformedAnswer.class);
    }

    private static void stream(String kind, String stream) {
        Provider provider = Providers.byKind(kind).orElseThrow();
        StreamTranslator translator = provider.streamTranslator("m");
        for (String[] event : events(provider.streamFormat(), stream)) {
            Fuzz.expectOnly(
                    "provider-stream",
                    stream,
                    () -> {
                        List<String> chunks = translator.onEvent(event[0], event[1]);
                        if (!kind.startsWith("openai")) {
                            // The OpenAI kinds pass chunks through as they came; the others write them.
                            chunks.forEach(chunk ->
                                    assertThat(isObject(chunk)).as(chunk).isTrue());
                        }
                        translator.usage();
                        translator.sentContent();
                    },
                    UpstreamStreamError.class,
                    JacksonException.class);
            if (translator.finished()) {
                return;
            }
        }
    }

    private static boolean isObject(String chunk) {
        try {
            return Json.tree(chunk).isObject();
        } catch (JacksonException e) {
            return false;
        }
    }

    private static ProviderSettings settings(String kind) {
        return new ProviderSettings(kind, kind, "http://127.0.0.1:1", "sk-test", Map.of());
    }

    /** The gateway's framing: NDJSON lines, or SSE "event:"/"data:" lines with a blank line after each event. */
    static List<String[]> events(StreamFormat format, String stream) {
        List<String[]> out = new ArrayList<>();
        String event = null;
        StringBuilder data = new StringBuilder();
        for (String line : stream.split("\r?\n", -1)) {
            if (format == StreamFormat.NDJSON) {
                if (!line.isBlank()) {
                    out.add(new String[] {null, line});
                }
            } else if (line.isEmpty()) {
                if (!data.isEmpty()) {
                    out.add(new String[] {event, data.toString()});
                }
                data.setLength(0);
                event = null;
            } else if (line.startsWith("data:")) {
                data.append(data.isEmpty() ? "" : "\n").append(line.substring(line.startsWith("data: ") ? 6 : 5));
            } else if (line.startsWith("event:")) {
                event = line.substring(6).trim();
            }
        }
        return out;
    }

    /** A seed stream with its events' JSON mutated, events dropped, repeated or swapped, and names changed. */
    private static String mutateStream(Random r) {
        String seed = STREAMS.get(r.nextInt(STREAMS.size()));
        boolean ndjson = !seed.startsWith("data:") && !seed.startsWith("event:");
        List<String[]> events = events(ndjson ? StreamFormat.NDJSON : StreamFormat.SSE, seed);
        List<String[]> mutated = new ArrayList<>();
        for (String[] event : events) {
            int roll = r.nextInt(10);
            if (roll == 0) {
                continue;
            }
            String name = event[0] != null && r.nextInt(8) == 0 ? Fuzz.mutateText(r, event[0]) : event[0];
            String data = roll < 5 ? Fuzz.json(r, List.of(event[1])) : event[1];
            mutated.add(new String[] {name, data.replace("\n", " ")});
            if (roll == 9) {
                mutated.add(mutated.get(r.nextInt(mutated.size())));
            }
        }
        if (mutated.size() > 1 && r.nextBoolean()) {
            int a = r.nextInt(mutated.size());
            int b = r.nextInt(mutated.size());
            String[] swap = mutated.get(a);
            mutated.set(a, mutated.get(b));
            mutated.set(b, swap);
        }
        StringBuilder out = new StringBuilder();
        for (String[] event : mutated) {
            if (ndjson) {
                out.append(event[1]).append('\n');
            } else {
                if (event[0] != null) {
                    out.append("event: ").append(event[0]).append('\n');
                }
                out.append("data: ").append(event[1]).append("\n\n");
            }
        }
        return out.toString();
    }
}
